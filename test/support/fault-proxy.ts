import {
  Agent as HttpAgent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { Transform, pipeline, type TransformCallback } from 'node:stream';
import { closeServer, listenOnLoopback } from './listen';

/**
 * A loopback reverse proxy in front of a registry that misbehaves on request: the
 * failures of real networks and registries (5xx, 429, resets, short or corrupted
 * bodies, slow links) made repeatable. Bodies stream through in both directions, so
 * large blobs cost no memory and a truncation really happens mid-transfer.
 *
 * The client's Host header is forwarded as is: distribution builds upload `Location`
 * URLs from it, so follow-up requests come back through the proxy.
 */

/** Fault is what to do to one request instead of (or while) forwarding it. */
export type Fault =
  /** Answer with this status without forwarding (e.g. 503, or 429 with Retry-After). */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Drop the connection (TCP RST) without answering. */
  | { kind: 'reset' }
  /** Forward, but cut the connection after `afterBytes` bytes of the response body. */
  | { kind: 'truncate'; afterBytes: number }
  /** Forward, inverting the bits of the response body byte at offset `atByte`. */
  | { kind: 'corrupt'; atByte: number }
  /** Wait `ms` first, then apply `then` (or forward normally). */
  | { kind: 'delay'; ms: number; then?: Fault }
  /** Forward the response body at about `bytesPerSecond` (a slow link). */
  | { kind: 'throttle'; bytesPerSecond: number }
  /** Never answer (until the client gives up or the proxy stops). */
  | { kind: 'hang' }
  /**
   * Take `afterBytes` bytes of the request body, then reset the client's connection.
   * By default those bytes are held and never reach the registry, as behind a reverse
   * proxy that buffers request bodies (nginx's default); `forward: true` streams them
   * on and cuts the registry's request too, so it sees a partial body.
   */
  | { kind: 'reset-request'; afterBytes: number; forward?: boolean };

/** ProxyRequest is one request the proxy saw; `status` is what the client was sent. */
export interface ProxyRequest {
  method: string;
  /** Path and query, e.g. `/v2/foo/blobs/sha256:…`. */
  url: string;
  headers: IncomingHttpHeaders;
  fault?: Fault;
  status?: number;
  /** Bytes of the request body the proxy took from the client (forwarded, or held by 'reset-request'). */
  bytesIn: number;
}

/** FaultHandler picks a fault for a request, or undefined to forward it untouched. */
export type FaultHandler = (req: ProxyRequest) => Fault | undefined;

export interface FaultProxy {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** `127.0.0.1:PORT`. */
  host: string;
  requests: ProxyRequest[];
  /** inject replaces the fault handler; `inject()` forwards everything again. */
  inject(handler?: FaultHandler): void;
  stop(): Promise<void>;
}

/** times applies `fault` to the first `n` requests that `match` (default: all), then forwards. */
export function times(n: number, fault: Fault, match: (req: ProxyRequest) => boolean = () => true): FaultHandler {
  let left = n;
  return (req) => (left > 0 && match(req) ? (left--, fault) : undefined);
}

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are not forwarded.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** startFaultProxy listens on 127.0.0.1 and forwards to `targetUrl` (http, or https with `options.ca`). */
export async function startFaultProxy(
  targetUrl: string,
  handler?: FaultHandler,
  options: { ca?: string } = {},
): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const secure = target.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true, ca: options.ca }) : new HttpAgent({ keepAlive: true });
  const requests: ProxyRequest[] = [];
  let current = handler;

  function act(req: IncomingMessage, res: ServerResponse, record: ProxyRequest, fault: Fault | undefined): void {
    switch (fault?.kind) {
      case 'status': {
        req.resume();
        record.status = fault.status;
        const body = fault.body ?? JSON.stringify({ errors: [{ code: 'UNKNOWN', message: `fault proxy: injected ${fault.status}` }] });
        const headers = Object.fromEntries(Object.entries(fault.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        res.writeHead(fault.status, { 'content-type': 'application/json', ...headers });
        res.end(body);
        return;
      }
      case 'reset':
        resetSocket(req.socket);
        return;
      case 'hang':
        req.resume();
        return;
      case 'reset-request':
        if (fault.forward) forward(req, res, record, fault);
        else resetAfterRequestBytes(req, record, fault.afterBytes, () => undefined);
        return;
      case 'delay': {
        const timer = setTimeout(() => act(req, res, record, fault.then), fault.ms);
        res.once('close', () => clearTimeout(timer));
        return;
      }
      default:
        forward(req, res, record, fault);
    }
  }

  function forward(req: IncomingMessage, res: ServerResponse, record: ProxyRequest, fault: Fault | undefined): void {
    const request = secure ? httpsRequest : httpRequest;
    const upstream = request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      servername: secure ? target.hostname : undefined,
      method: req.method,
      path: req.url,
      headers: endToEnd(req.headers),
      agent,
    });
    upstream.on('response', (up) => {
      record.status = up.statusCode;
      res.writeHead(up.statusCode ?? 502, endToEnd(up.headers));
      res.flushHeaders();
      if (fault?.kind === 'truncate') {
        truncate(up, res, fault.afterBytes);
        return;
      }
      const transform = fault?.kind === 'corrupt' ? corrupt(fault.atByte) : fault?.kind === 'throttle' ? throttle(fault.bytesPerSecond) : undefined;
      const done = (error?: Error | null) => {
        if (error) res.destroy();
      };
      if (transform) pipeline(up, transform, res, done);
      else pipeline(up, res, done);
    });
    upstream.on('error', () => {
      if (!res.headersSent) {
        record.status = 502;
        res.writeHead(502).end();
      } else res.destroy();
    });
    // The client went away: stop the upstream transfer too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (fault?.kind === 'reset-request') {
      resetAfterRequestBytes(req, record, fault.afterBytes, (piece) => upstream.write(piece), () => upstream.destroy());
      return;
    }
    pipeline(req, countBytesIn(record), upstream, () => {});
  }

  const server = createServer((req, res) => {
    const record: ProxyRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, bytesIn: 0 };
    requests.push(record);
    const fault = current?.(record);
    record.fault = fault;
    act(req, res, record, fault);
  });
  const port = await listenOnLoopback(server);

  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    inject: (h) => {
      current = h;
    },
    stop: () => {
      const closed = closeServer(server);
      agent.destroy();
      return closed;
    },
  };
}

/** resetSocket sends a TCP RST where Node can (resetAndDestroy, Node ≥ 18.3), else closes. */
function resetSocket(socket: Socket): void {
  const withReset = socket as Socket & { resetAndDestroy?: () => void };
  if (withReset.resetAndDestroy) withReset.resetAndDestroy();
  else socket.destroy();
}

/**
 * truncate passes `limit` body bytes then ends the TCP connection: the client has been
 * promised more (Content-Length or an unfinished chunked body), so it sees a short read.
 * socket.end() rather than destroy() so the bytes before the cut do arrive.
 */
function truncate(up: IncomingMessage, res: ServerResponse, limit: number): void {
  let sent = 0;
  const cut = () => {
    up.destroy();
    res.socket?.end();
  };
  if (limit <= 0) return cut();
  up.on('data', (chunk: Buffer) => {
    const room = limit - sent;
    if (room <= 0) return;
    const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
    sent += piece.length;
    if (!res.write(piece)) {
      up.pause();
      res.once('drain', () => up.resume());
    }
    if (sent >= limit) cut();
  });
  // A body shorter than the limit is not truncated at all.
  up.on('end', () => res.end());
}

/**
 * resetAfterRequestBytes hands the first `limit` bytes of a request body to `take`,
 * then resets the client's connection (after `cut`, e.g. aborting the upstream request).
 */
function resetAfterRequestBytes(req: IncomingMessage, record: ProxyRequest, limit: number, take: (piece: Buffer) => void, cut?: () => void): void {
  let taken = 0;
  const reset = () => {
    req.removeListener('data', onData);
    cut?.();
    resetSocket(req.socket);
  };
  const onData = (chunk: Buffer) => {
    const piece = chunk.subarray(0, Math.max(0, limit - taken));
    taken += piece.length;
    record.bytesIn += piece.length;
    if (piece.length > 0) take(piece);
    if (taken >= limit) reset();
  };
  if (limit <= 0) return reset();
  req.on('data', onData);
}

function countBytesIn(record: ProxyRequest): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      record.bytesIn += chunk.length;
      callback(null, chunk);
    },
  });
}

function corrupt(atByte: number): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (atByte >= offset && atByte < offset + chunk.length) {
        chunk = Buffer.from(chunk);
        chunk[atByte - offset] = chunk[atByte - offset]! ^ 0xff;
      }
      offset += chunk.length;
      callback(null, chunk);
    },
  });
}

/** throttle releases at most bytesPerSecond/10 bytes every 100 ms. */
function throttle(bytesPerSecond: number): Transform {
  const slice = Math.max(1, Math.floor(bytesPerSecond / 10));
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      const send = (start: number) => {
        if (start >= chunk.length) return callback();
        this.push(chunk.subarray(start, start + slice));
        setTimeout(() => send(start + slice), 100);
      };
      send(0);
    },
  });
}
