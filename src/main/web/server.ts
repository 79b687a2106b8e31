import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEB_API_PREFIX, WEB_DOWNLOAD_PREFIX, WEB_EVENTS_PATH, WEB_TOKEN_QUERY, WEB_UPLOAD_PATH } from '../../shared/web-protocol';
import { fail } from '../api/errors';
import { dispatch, type HandlerTable } from '../api/handlers';
import { contentSecurityPolicy } from '../page/csp';
import type { AppServices } from '../services';
import { toSerializedError } from '../services/serialized-error';
import { serveDownload } from './download';
import { EventStreams } from './event-streams';
import { Guards, LOOPBACK } from './guards';
import { sendHelpPage, wantsPage } from './help-page';
import { HttpError, readJson, SECURITY_HEADERS, sendJson } from './http';
import { serveStatic } from './static-files';
import { receiveUpload } from './upload';

export { LOOPBACK } from './guards';

/**
 * Browser mode's server: the built renderer and the same handlers as Electron's IPC,
 * on 127.0.0.1 only, for one person's browser. Every request passes the guards
 * (`guards.ts`: our own `Host` and origin, the per-run token), then one route:
 *
 * - `GET|HEAD /…`: static files of the renderer with the app's CSP (`static-files.ts`);
 * - `POST /api/<channel>`: the handlers, JSON in, a JSON `Result` out;
 * - `GET /api/events`: Server-Sent Events (`event-streams.ts`);
 * - `POST /api/upload`: one file, or one file of a folder, into the staging folder (`upload.ts`);
 * - `GET /api/download/<id>`: a one-time download (`download.ts`).
 *
 * A browser opening a page without the token or under another Host name gets a short
 * HTML page saying what to do (`help-page.ts`); API calls get JSON errors (`http.ts`).
 */

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

/** startWebServer listens on 127.0.0.1 and resolves once it does. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const maxJsonBytes = options.maxJsonBytes ?? 1024 * 1024;
  const csp = contentSecurityPolicy({ delivery: 'header' });
  const log = options.log ?? ((error: unknown) => console.error('ORAS Desktop (browser mode):', error));
  const streams = new EventStreams(options.services.events, options.heartbeatSeconds);

  // The guards need the port, known once listening: requests are taken from then on.
  const server: Server = createServer();
  server.headersTimeout = 20_000; // no browser waits minutes for a header; drop slow clients
  server.requestTimeout = 0; // uploads and event streams may last
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: LOOPBACK, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const guards = new Guards(address.port, token);
  const { origin } = guards;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    guards.checkSource(req);
    // Appended, not resolved: a path of `//host/…` stays a path on this server.
    const url = new URL(`${origin}${req.url ?? '/'}`);
    const method = req.method ?? 'GET';
    const isApi = url.pathname.startsWith(WEB_API_PREFIX);
    if (!isApi && (method === 'GET' || method === 'HEAD') && guards.acceptQueryToken(url, res)) return;
    const isEvents = url.pathname === WEB_EVENTS_PATH;
    // EventSource cannot send a header: only there may the token come in the query.
    guards.checkToken(req, isEvents && method === 'GET' ? (url.searchParams.get(WEB_TOKEN_QUERY) ?? undefined) : undefined);

    if (!isApi) {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, { code: 'UNSUPPORTED', message: `${method} is not allowed here` });
      return serveStatic(options.rendererRoot, csp, url.pathname, method, res);
    }
    if (isEvents) {
      if (method !== 'GET') throw new HttpError(405, { code: 'UNSUPPORTED', message: 'events are read with GET' });
      return streams.stream(req, res);
    }
    if (url.pathname.startsWith(WEB_DOWNLOAD_PREFIX)) {
      if (method !== 'GET') throw new HttpError(405, { code: 'UNSUPPORTED', message: 'downloads are read with GET' });
      return serveDownload(options.services.downloads, url.pathname.slice(WEB_DOWNLOAD_PREFIX.length), res);
    }
    if (method !== 'POST') throw new HttpError(405, { code: 'UNSUPPORTED', message: 'API calls are POST requests' });
    if (url.pathname === WEB_UPLOAD_PATH) return receiveUpload(options.services.staging, req, res);
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      throw new HttpError(415, { code: 'INVALID_ARGUMENT', message: 'send the request as application/json' });
    }
    const request = await readJson(req, maxJsonBytes);
    sendJson(res, 200, await dispatch(options.handlers, url.pathname.slice(WEB_API_PREFIX.length), request));
  };

  /** answerError: a help page for a browser opening a page, else the JSON error; nothing more once headers went. */
  const answerError = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
    if (res.headersSent) {
      res.destroy();
    } else if (error instanceof HttpError && error.page && wantsPage(req)) {
      sendHelpPage(res, error.status, error.page, origin, { ...SECURITY_HEADERS, 'Content-Security-Policy': csp }, req.method ?? 'GET');
    } else if (error instanceof HttpError) {
      sendJson(res, error.status, fail(error.error));
    } else {
      sendJson(res, 500, fail(toSerializedError(error, log)));
    }
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => answerError(req, res, error));
  });

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?${WEB_TOKEN_QUERY}=${token}`,
    origin,
    port: address.port,
    token,
    address,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        streams.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
