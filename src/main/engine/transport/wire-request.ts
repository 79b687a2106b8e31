import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { abortError } from '../errors';
import { watchAbort } from './abort-watch';
import { SMALL_BLOB_BYTES, takeHeldBytes } from '../small-blobs';

/** WireResponse is an answer's status and headers, and its body as it arrives. */
export interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: ResponseBody;
}

/** The default most `dump()` reads before it closes the connection instead (undici's is 128 KiB). */
const DUMP_LIMIT = 128 * 1024;

type Controller = Dispatcher.DispatchController;

/**
 * ResponseBody is an answer's body as a Node stream, fed by undici's dispatch handler
 * with backpressure (the connection pauses while the reader is behind).
 *
 * `dump()` is how a body nobody needs is let go. An answer without a body (HEAD, 201,
 * 202, most 404s) has usually arrived whole before anyone looks at it: dump then only
 * drops what is buffered and returns, and the connection is already back in the pool.
 * A body still arriving is read and thrown away up to `limit` bytes; past that, or when
 * the reader destroys the stream early, the request is aborted, which closes that one
 * connection (its unread bytes would otherwise be taken for the next answer).
 */
export class ResponseBody extends Readable {
  private controller: Controller | undefined;
  private complete = false;

  constructor() {
    super({ highWaterMark: 64 * 1024 });
  }

  /** dump discards the rest of the body; see the class comment. Never rejects. */
  async dump(options: { limit?: number } = {}): Promise<void> {
    if (this.destroyed) return;
    // Everything is here: nothing to read from the wire, nothing to wait for, and what
    // is buffered goes with the stream.
    if (this.complete) return;
    const limit = options.limit ?? DUMP_LIMIT;
    let seen = 0;
    await new Promise<void>((resolve) => {
      const done = (): void => resolve();
      this.once('end', done);
      this.once('close', done);
      this.on('error', () => {
        // Nobody wants this body; its failure only closes the connection.
      });
      this.on('data', (chunk: Buffer) => {
        seen += chunk.byteLength;
        if (seen > limit) this.destroy();
      });
    });
  }

  /** @internal the dispatch handler's side */
  started(controller: Controller): void {
    this.controller = controller;
  }

  /** @internal */
  received(chunk: Buffer): void {
    if (this.destroyed) return;
    if (!this.push(chunk)) this.controller?.pause();
  }

  /** @internal */
  ended(): void {
    this.complete = true;
    if (!this.destroyed) this.push(null);
  }

  /** @internal */
  failed(err: Error): void {
    this.complete = true;
    if (!this.destroyed) this.destroy(err);
  }

  override _read(): void {
    this.controller?.resume();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.complete && this.controller && !this.controller.aborted) {
      this.complete = true;
      // The reader let go before the end: stop the transfer and close its connection.
      this.controller.abort(err ?? new BodyReleased());
    }
    callback(err);
  }
}

/** BodyReleased is the reason given to undici when a reader drops a body before its end. */
class BodyReleased extends Error {
  constructor() {
    super('the response body was released before its end');
  }
}

export interface WireRequest {
  origin: string;
  path: string;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: Buffer | Readable;
  signal?: AbortSignal;
}

/**
 * sendOnWire sends one request through `dispatcher` and resolves with the answer once
 * its headers are in; failures reject with undici's error, untouched (dispatch.ts
 * turns them into the engine's). It is `dispatcher.request` without what a registry
 * client pays for on every request and does not need: an async resource, an abort
 * listener added and removed per request (here one per signal, see abort-watch.ts),
 * and undici's closing of the connection after each HEAD.
 */
export async function sendOnWire(dispatcher: Dispatcher, request: WireRequest): Promise<WireResponse> {
  const { body } = request;
  // A small streamed body (a small file's blob) is read into memory first: undici then
  // writes headers and body in one go instead of following the stream with its
  // listeners and one write per chunk, which, for a push of 1,000 files of 4 KiB, cost
  // more than the bytes.
  if (body instanceof Readable && declaredLength(request.headers) <= SMALL_BLOB_BYTES) {
    return dispatchOnce(dispatcher, { ...request, body: await collect(body) });
  }
  return dispatchOnce(dispatcher, request);
}

function declaredLength(headers: Record<string, string>): number {
  const value = headers['content-length'] ?? headers['Content-Length'];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : Number.POSITIVE_INFINITY;
}

/** collect reads a small stream whole; its failure (a digest check, a read error) is the request's. */
async function collect(stream: Readable): Promise<Buffer> {
  const held = takeHeldBytes(stream);
  if (held !== undefined) return held;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function dispatchOnce(dispatcher: Dispatcher, request: WireRequest): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const { signal } = request;
    if (signal?.aborted) {
      if (request.body instanceof Readable) request.body.destroy();
      reject(abortError(signal));
      return;
    }
    let controller: Controller | undefined;
    let body: ResponseBody | undefined;
    let settled = false;
    const unwatch = signal ? watchAbort(signal, () => abort(abortError(signal))) : undefined;

    function abort(reason: Error): void {
      if (controller) {
        controller.abort(reason);
        return;
      }
      // Still queued for a connection: undici aborts it once it gets one (onRequestStart
      // sees the signal); the caller hears now, and a streamed body is let go now.
      fail(reason);
    }

    function fail(err: Error): void {
      unwatch?.();
      // A streamed request body that will not be sent (any more) is let go, as undici's
      // own request() does, so its file handle closes now. Without the error: it is the
      // destination's, and whoever fed the stream must not take it for its own.
      if (request.body instanceof Readable && !request.body.destroyed) request.body.destroy();
      if (body) body.failed(err);
      else if (!settled) {
        settled = true;
        reject(err);
      }
    }

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (signal?.aborted) c.abort(abortError(signal));
      },
      onResponseStart(c, statusCode, headers) {
        // 1xx answers (100 Continue) come before the real one; undici handles them.
        if (statusCode < 200 || body) return;
        body = new ResponseBody();
        body.started(c);
        settled = true;
        resolve({ status: statusCode, headers: headers as WireResponse['headers'], body });
      },
      onResponseData(_c, chunk) {
        body?.received(chunk);
      },
      onResponseEnd() {
        unwatch?.();
        body?.ended();
      },
      onResponseError(_c, err) {
        fail(err);
      },
    };

    try {
      dispatcher.dispatch(
        {
          origin: request.origin,
          path: request.path,
          method: request.method,
          headers: request.headers,
          body: request.body,
          // undici closes the connection after every HEAD unless told otherwise, in case a
          // broken server sends a body anyway. A push asks HEAD for every blob, so that
          // was one new TCP connection per file. Go's client (oras-go's) keeps it; so do we.
          ...(request.method === 'HEAD' ? { reset: false } : {}),
        },
        handler,
      );
    } catch (err) {
      fail(err as Error);
    }
  });
}
