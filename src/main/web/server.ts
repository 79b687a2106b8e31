import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { Result } from '../../shared/contract';
import type { SerializedError } from '../../shared/error-codes';
import {
  WEB_API_PREFIX,
  WEB_DOWNLOAD_PREFIX,
  WEB_EVENTS_PATH,
  WEB_FILE_NAME_HEADER,
  WEB_TOKEN_HEADER,
  WEB_TOKEN_QUERY,
  WEB_UPLOAD_PATH,
  WEB_FOLDER_ENTRY_HEADER,
  WEB_FOLDER_ID_HEADER,
  WEB_FOLDER_PATH_HEADER,
  webTokenCookie,
} from '../../shared/web-protocol';
import { fail } from '../api/errors';
import { dispatch, type HandlerTable } from '../api/handlers';
import { contentSecurityPolicy } from '../page/csp';
import { contentTypeOf, resolveAssetPath } from '../page/renderer-assets';
import { toSerializedError } from '../services/serialized-error';
import { sendHelpPage, wantsPage, type HelpPage } from './help-page';
import type { AppServices } from '../services';

/**
 * Browser mode's server: the built renderer and the same handlers as Electron's IPC,
 * on 127.0.0.1 only, for one person's browser. Every request must
 *
 * 1. name this server in `Host` (`127.0.0.1:<port>`): a DNS-rebinding page reaches us
 *    under its own host name and is refused;
 * 2. come from this server's own origin when it says where it comes from (`Origin`,
 *    `Sec-Fetch-Site`): other pages, even on another loopback port, are refused;
 * 3. carry the per-run token: the `x-oras-token` header, or the HttpOnly, SameSite=Strict
 *    cookie set when the page is first opened with `?token=…` (the URL printed at start).
 *
 * Routes: `GET|HEAD /…` static files of the renderer with the app's CSP;
 * `POST /api/<channel>` (JSON `Result`); `GET /api/events` (Server-Sent Events);
 * `POST /api/upload` (one file, or one file of a folder, into the staging folder); `GET /api/download/<id>`.
 * A browser opening a page without the token or under another Host name gets a short
 * HTML page saying what to do (`help-page.ts`); API calls get JSON errors.
 */

/** LOOPBACK is the one address browser mode listens on. */
export const LOOPBACK = '127.0.0.1';

export interface WebServerOptions {
  handlers: HandlerTable;
  services: Pick<AppServices, 'events' | 'staging' | 'downloads'>;
  /** The built renderer (`out/renderer`). */
  rendererRoot: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default: 32 random bytes, base64url. */
  token?: string;
  /** Largest JSON request body. Default 1 MiB. */
  maxJsonBytes?: number;
  /** Seconds between SSE keep-alive comments. Default 15. */
  heartbeatSeconds?: number;
  log?: (error: unknown) => void;
}

export interface WebServer {
  /** The URL to open: `http://127.0.0.1:<port>/?token=…`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly address: AddressInfo;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: SerializedError,
    /** The help page a browser opening a page gets instead of the JSON (see help-page.ts). */
    readonly page?: HelpPage,
  ) {
    super(error.message);
  }
}

const digestOf = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** startWebServer listens on 127.0.0.1 and resolves once it does. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const tokenDigest = digestOf(token);
  const maxJsonBytes = options.maxJsonBytes ?? 1024 * 1024;
  const csp = contentSecurityPolicy({ delivery: 'header' });
  const streams = new Set<ServerResponse>();
  const log = options.log ?? ((error: unknown) => console.error('ORAS Desktop (browser mode):', error));
  let port = 0;
  let origin = '';

  const tokenMatches = (candidate: string | undefined): boolean =>
    candidate !== undefined && candidate !== '' && timingSafeEqual(digestOf(candidate), tokenDigest);

  const cookieToken = (req: IncomingMessage): string | undefined => {
    const name = webTokenCookie(port);
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
    }
    return undefined;
  };

  /** checkSource refuses requests that do not come from our own page on our own address. */
  const checkSource = (req: IncomingMessage): void => {
    if (req.headers.host !== `${LOOPBACK}:${port}`) {
      throw new HttpError(403, { code: 'DENIED', message: `browser mode answers only to ${origin}` }, 'host');
    }
    const from = req.headers.origin;
    if (from !== undefined && from !== origin) {
      throw new HttpError(403, { code: 'DENIED', message: 'requests from other sites are refused' }, 'token');
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw new HttpError(403, { code: 'DENIED', message: 'requests from other sites are refused' }, 'token');
    }
  };

  /** checkToken wants the header or the cookie; `queryToken` only where no header can be sent (EventSource). */
  const checkToken = (req: IncomingMessage, queryToken?: string): void => {
    const header = req.headers[WEB_TOKEN_HEADER];
    if (tokenMatches(typeof header === 'string' ? header : undefined) || tokenMatches(cookieToken(req))) return;
    if (tokenMatches(queryToken)) return;
    throw new HttpError(
      401,
      { code: 'UNAUTHORIZED', message: 'this browser-mode server needs its token: open the URL it printed when it started' },
      'token',
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    checkSource(req);
    // Appended, not resolved: a path of `//host/…` stays a path on this server.
    const url = new URL(`${origin}${req.url ?? '/'}`);
    const method = req.method ?? 'GET';
    const isApi = url.pathname.startsWith(WEB_API_PREFIX);

    // First visit: the token in the query becomes a cookie, and the address bar loses it.
    const queryToken = url.searchParams.get(WEB_TOKEN_QUERY);
    if (!isApi && queryToken !== null && (method === 'GET' || method === 'HEAD')) {
      if (!tokenMatches(queryToken)) throw new HttpError(401, { code: 'UNAUTHORIZED', message: 'wrong token' }, 'token');
      url.searchParams.delete(WEB_TOKEN_QUERY);
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${webTokenCookie(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`,
        // Leading slashes collapsed: `//host/` would send the browser to another site.
        Location: `/${url.pathname.replace(/^\/+/, '')}${url.search}`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    checkToken(req, url.pathname === WEB_EVENTS_PATH && method === 'GET' ? (queryToken ?? undefined) : undefined);

    if (!isApi) {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, { code: 'UNSUPPORTED', message: `${method} is not allowed here` });
      await serveStatic(url.pathname, method, res);
      return;
    }
    if (url.pathname === WEB_EVENTS_PATH) {
      if (method !== 'GET') throw new HttpError(405, { code: 'UNSUPPORTED', message: 'events are read with GET' });
      openEventStream(req, res);
      return;
    }
    if (url.pathname.startsWith(WEB_DOWNLOAD_PREFIX)) {
      if (method !== 'GET') throw new HttpError(405, { code: 'UNSUPPORTED', message: 'downloads are read with GET' });
      await serveDownload(url.pathname.slice(WEB_DOWNLOAD_PREFIX.length), res);
      return;
    }
    if (method !== 'POST') throw new HttpError(405, { code: 'UNSUPPORTED', message: 'API calls are POST requests' });
    if (url.pathname === WEB_UPLOAD_PATH) {
      await receiveUpload(req, res);
      return;
    }
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new HttpError(415, { code: 'INVALID_ARGUMENT', message: 'send the request as application/json' });
    }
    const request = await readJson(req, maxJsonBytes);
    sendJson(res, 200, await dispatch(options.handlers, url.pathname.slice(WEB_API_PREFIX.length), request));
  };

  const serveStatic = async (pathname: string, method: string, res: ServerResponse): Promise<void> => {
    const file = resolveAssetPath(options.rendererRoot, pathname);
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile()) {
      const index = await stat(resolveAssetPath(options.rendererRoot, '/') ?? '').catch(() => undefined);
      if (!index) {
        throw new HttpError(503, { code: 'NOT_FOUND', message: "the app's pages are not built: run npm run build (npm run web does it)" });
      }
      throw new HttpError(404, { code: 'NOT_FOUND', message: 'not found' });
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Security-Policy': csp,
      'Content-Type': contentTypeOf(file),
      'Content-Length': info.size,
      'Cache-Control': file.endsWith('.html') ? 'no-cache' : 'private, max-age=3600',
    });
    if (method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(createReadStream(file), res);
  };

  const openEventStream = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 2000\n: connected\n\n');
    streams.add(res);
    const unsubscribe = options.services.events.subscribe((event, payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), (options.heartbeatSeconds ?? 15) * 1000);
    heartbeat.unref();
    const stop = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.once('close', stop);
    res.once('close', stop);
  };

  const decodedHeader = (req: IncomingMessage, header: string): string | undefined => {
    const value = req.headers[header];
    if (typeof value !== 'string' || value === '') return undefined;
    try {
      return decodeURIComponent(value);
    } catch {
      throw new HttpError(400, { code: 'INVALID_ARGUMENT', message: `${header} is not percent-encoded UTF-8` });
    }
  };

  const receiveUpload = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const name = decodedHeader(req, WEB_FILE_NAME_HEADER) ?? 'file';
    const folderPath = decodedHeader(req, WEB_FOLDER_PATH_HEADER);
    const folderId = decodedHeader(req, WEB_FOLDER_ID_HEADER);
    const directory = req.headers[WEB_FOLDER_ENTRY_HEADER] === 'directory';
    const controller = new AbortController();
    const abort = (): void => {
      if (!req.complete) controller.abort();
    };
    req.once('close', abort);
    try {
      const staged =
        folderPath === undefined
          ? await options.services.staging.receive(name, req, controller.signal)
          : await options.services.staging.receiveInFolder(folderPath, req, { signal: controller.signal, directory, ...(folderId ? { folderId } : {}) });
      sendJson(res, 200, { ok: true, value: staged });
    } finally {
      req.off('close', abort);
    }
  };

  const serveDownload = async (id: string, res: ServerResponse): Promise<void> => {
    const offer = options.services.downloads.take(id);
    if (!offer) throw new HttpError(404, { code: 'NOT_FOUND', message: 'this download is gone: start it again' });
    const content = await offer.open();
    const ascii = offer.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': offer.contentType ?? 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(offer.name)}`,
      'Cache-Control': 'no-store',
      ...(offer.size === undefined ? {} : { 'Content-Length': offer.size }),
    });
    await pipeline(content, res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError && error.page && wantsPage(req)) {
        sendHelpPage(res, error.status, error.page, origin, { ...SECURITY_HEADERS, 'Content-Security-Policy': csp }, req.method ?? 'GET');
      } else if (error instanceof HttpError) {
        sendJson(res, error.status, fail(error.error));
      } else {
        sendJson(res, 500, fail(toSerializedError(error, log)));
      }
    });
  });
  // No browser waits minutes for a header; drop slow clients.
  server.headersTimeout = 20_000;
  server.requestTimeout = 0; // uploads and event streams may last

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: LOOPBACK, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  port = address.port;
  origin = `http://${LOOPBACK}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?${WEB_TOKEN_QUERY}=${token}`,
    origin,
    port,
    token,
    address,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

function sendJson(res: ServerResponse, status: number, body: Result<unknown>): void {
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
function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
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
