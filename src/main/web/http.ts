import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Result } from '../../shared/contract';
import type { SerializedError } from '../../shared/error-codes';
import type { HelpPage } from './help-page';

/** SECURITY_HEADERS go on every answer of browser mode's server. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/**
 * HttpError is a refusal with its status and the JSON error the client gets; `page`
 * names the help page a browser opening a page gets instead (see help-page.ts).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: SerializedError,
    readonly page?: HelpPage,
  ) {
    super(error.message);
  }
}

/** sendJson answers with a `Result` envelope, never cached. */
export function sendJson(res: ServerResponse, status: number, body: Result<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/**
 * readJson reads a JSON body of at most `limit` bytes. Past the limit it stops keeping
 * the bytes but still drains them, so the 413 answer reaches the client.
 */
export function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => {
      if (size > limit) {
        reject(new HttpError(413, { code: 'SIZE_LIMIT', message: `the request is larger than ${limit} bytes` }));
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        resolve(undefined);
        return;
      }
      try {
        resolve(JSON.parse(text) as unknown);
      } catch {
        reject(new HttpError(400, { code: 'INVALID_ARGUMENT', message: 'the request body is not valid JSON' }));
      }
    });
  });
}

/** decodedHeader reads a percent-encoded UTF-8 header (file names); undefined when absent or empty. */
export function decodedHeader(req: IncomingMessage, header: string): string | undefined {
  const value = req.headers[header];
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new HttpError(400, { code: 'INVALID_ARGUMENT', message: `${header} is not percent-encoded UTF-8` });
  }
}
