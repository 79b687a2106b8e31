import type { Readable } from 'node:stream';

/**
 * The HTTP client is a stack of small layers, each a `Send` wrapping the next one
 * (after go-containerregistry's transports). `createRegistryClient` composes them.
 */
export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** A Buffer can be sent again (retries, auth challenges); a stream only once. */
  body?: Buffer | Readable | null;
  /** Token scopes the request needs, e.g. `repository:foo:pull,push`. */
  scopes?: string[];
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Always read or dumped by whoever receives the response. */
  body: Readable & { dump?: (opts?: { limit: number }) => Promise<void> };
  /** The URL that finally answered, after redirects. */
  url: URL;
}

export type Send = (request: HttpRequest) => Promise<HttpResponse>;

/** header reads one response header as a single string. */
export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** discard drains a response body we do not need so the connection can be reused. */
export async function discard(response: HttpResponse): Promise<void> {
  try {
    if (response.body.dump) await response.body.dump({ limit: 64 * 1024 });
    else response.body.resume();
  } catch {
    // The connection is gone either way; nothing to keep.
  }
}

/** isReplayable tells whether a request's body can be sent more than once. */
export function isReplayable(request: HttpRequest): boolean {
  return request.body === undefined || request.body === null || Buffer.isBuffer(request.body);
}

/** redactUrl drops the query and userinfo, where signed URLs and tokens hide. */
export function redactUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** readCapped reads a body into memory, failing once it passes `maxBytes`. */
export async function readCapped(body: AsyncIterable<Uint8Array>, maxBytes: number, onOverflow: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      (body as Readable).destroy?.();
      throw onOverflow();
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, size);
}
