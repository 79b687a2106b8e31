import { createServer, type IncomingHttpHeaders } from 'node:http';
import { closeServer, listenOnLoopback } from './listen';

/**
 * A second origin, playing the blob storage (S3, a CDN) a registry redirects to. It
 * records every request's headers so tests can prove the client did not carry the
 * registry's Authorization across origins (the reason oras-go strips it on redirect),
 * and serves fixed bytes at chosen paths, with single byte ranges for resumed downloads.
 *
 * To redirect to it, make the fault proxy answer e.g.
 *   { kind: 'status', status: 307, headers: { location: `${redirect.url}/blob` } }.
 */

export interface RedirectRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface RedirectServer {
  /** `http://127.0.0.1:PORT` (a different port is a different origin). */
  url: string;
  host: string;
  requests: RedirectRequest[];
  /** serve answers GET/HEAD `path` (query ignored) with `body`; other paths get 404. */
  serve(path: string, body: Uint8Array | string, headers?: Record<string, string>): void;
  stop(): Promise<void>;
}

export async function startRedirectServer(): Promise<RedirectServer> {
  const routes = new Map<string, { body: Buffer; headers: Record<string, string> }>();
  const requests: RedirectRequest[] = [];

  const server = createServer((req, res) => {
    req.resume();
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    const route = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    const { body, headers } = route;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
      if (start > end) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${body.length}` });
      res.end(req.method === 'HEAD' ? undefined : body.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', ...headers, 'content-length': body.length, 'accept-ranges': 'bytes' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  const port = await listenOnLoopback(server);

  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    serve: (path, body, headers = {}) => {
      routes.set(path, { body: Buffer.from(body), headers });
    },
    stop: () => closeServer(server),
  };
}
