import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OrasError } from '../errors';
import type { HttpRequest, HttpResponse, Send } from './http';
import { retryAfterMs, retryLayer } from './retry';

const URL_ = new URL('https://registry.example.com/v2/a/blobs/sha256:x');

function response(status: number, headers: Record<string, string> = {}, body = ''): HttpResponse {
  return { status, headers, body: Readable.from([Buffer.from(body)]), url: URL_ };
}

/** scripted answers each call with the next step: a response, or an error to throw. */
function scripted(steps: Array<HttpResponse | Error>): Send & { calls: HttpRequest[] } {
  const calls: HttpRequest[] = [];
  const send = async (request: HttpRequest) => {
    calls.push(request);
    const step = steps[Math.min(calls.length - 1, steps.length - 1)]!;
    if (step instanceof Error) throw step;
    return step;
  };
  return Object.assign(send, { calls });
}

const FAST = { baseDelayMs: 1, maxDelayMs: 5 };

describe('retryAfterMs', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');

  it('reads delay-seconds', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(' 3 ')).toBe(3000);
    expect(retryAfterMs('0')).toBe(0);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(retryAfterMs('Mon, 01 Jan 2024 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Sun, 31 Dec 2023 23:59:00 GMT', now)).toBe(0);
  });

  it('returns undefined for a missing or garbage value', () => {
    for (const value of [undefined, '', '   ', 'soon', 'later please', '-1', '1.5', '2e3', '0x10', '12 soon']) {
      expect(retryAfterMs(value, now), JSON.stringify(value)).toBeUndefined();
    }
  });
});

describe('retryLayer', () => {
  it('retries a 503 and returns the success, dumping the 503 body', async () => {
    const failed = response(503, {}, 'busy');
    const next = scripted([failed, response(200, {}, 'ok')]);
    const res = await retryLayer(next, FAST)({ method: 'GET', url: URL_ });
    expect(res.status).toBe(200);
    expect(next.calls).toHaveLength(2);
    // The first body was drained so the connection can be reused.
    expect(failed.body.readableFlowing).toBe(true);
  });

  it.each([429, 502, 503, 504])('retries status %i', async (status) => {
    const next = scripted([response(status), response(200)]);
    expect((await retryLayer(next, FAST)({ method: 'HEAD', url: URL_ })).status).toBe(200);
    expect(next.calls).toHaveLength(2);
  });

  it.each([200, 400, 401, 404, 500, 501])('does not retry status %i', async (status) => {
    const next = scripted([response(status), response(200)]);
    expect((await retryLayer(next, FAST)({ method: 'GET', url: URL_ })).status).toBe(status);
    expect(next.calls).toHaveLength(1);
  });

  it('waits as long as Retry-After says', async () => {
    const next = scripted([response(429, { 'retry-after': '1' }), response(200)]);
    const started = performance.now();
    const res = await retryLayer(next, { baseDelayMs: 1 })({ method: 'GET', url: URL_ });
    const waited = performance.now() - started;
    expect(res.status).toBe(200);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(3000);
  });

  it('caps a long Retry-After at maxDelayMs', async () => {
    const next = scripted([response(503, { 'retry-after': '3600' }), response(200)]);
    const started = performance.now();
    await retryLayer(next, { maxDelayMs: 20 })({ method: 'GET', url: URL_ });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(next.calls).toHaveLength(2);
  });

  it.each(['POST', 'PATCH'] as const)('never retries %s, even with a Buffer body', async (method) => {
    const next = scripted([response(503), response(202)]);
    const res = await retryLayer(next, FAST)({ method, url: URL_, body: Buffer.from('chunk') });
    expect(res.status).toBe(503);
    expect(next.calls).toHaveLength(1);
    const failing = scripted([new OrasError('NETWORK', 'reset'), response(202)]);
    await expect(retryLayer(failing, FAST)({ method, url: URL_ })).rejects.toMatchObject({ code: 'NETWORK' });
    expect(failing.calls).toHaveLength(1);
  });

  it.each(['PUT', 'DELETE'] as const)('retries idempotent %s with a Buffer body, resending the same bytes', async (method) => {
    const body = Buffer.from('manifest');
    const next = scripted([response(502), response(201)]);
    expect((await retryLayer(next, FAST)({ method, url: URL_, body })).status).toBe(201);
    expect(next.calls.map((c) => c.body)).toEqual([body, body]);
  });

  it('never retries a request with a streamed body', async () => {
    const next = scripted([response(503), response(201)]);
    const res = await retryLayer(next, FAST)({ method: 'PUT', url: URL_, body: Readable.from([Buffer.from('blob')]) });
    expect(res.status).toBe(503);
    expect(next.calls).toHaveLength(1);
    const failing = scripted([new OrasError('NETWORK', 'reset'), response(201)]);
    await expect(retryLayer(failing, FAST)({ method: 'PUT', url: URL_, body: Readable.from(['x']) })).rejects.toMatchObject({ code: 'NETWORK' });
    expect(failing.calls).toHaveLength(1);
  });

  it('gives up after maxRetries and returns the last response unread', async () => {
    const last = response(503, {}, 'still busy');
    const next = scripted([response(503), response(503), last]);
    const res = await retryLayer(next, { ...FAST, maxRetries: 2 })({ method: 'GET', url: URL_ });
    expect(next.calls).toHaveLength(3);
    expect(res).toBe(last);
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(Buffer.from(chunk as Buffer));
    expect(Buffer.concat(chunks).toString()).toBe('still busy');
  });

  it('makes one attempt only with maxRetries 0', async () => {
    const next = scripted([response(503), response(200)]);
    expect((await retryLayer(next, { maxRetries: 0 })({ method: 'GET', url: URL_ })).status).toBe(503);
    expect(next.calls).toHaveLength(1);
  });

  it('defaults to 3 retries', async () => {
    const next = scripted([response(503)]);
    await retryLayer(next, FAST)({ method: 'GET', url: URL_ });
    expect(next.calls).toHaveLength(4);
  });

  it('retries a NETWORK OrasError and rethrows it once retries run out', async () => {
    const next = scripted([new OrasError('NETWORK', 'reset'), response(200)]);
    expect((await retryLayer(next, FAST)({ method: 'GET', url: URL_ })).status).toBe(200);
    expect(next.calls).toHaveLength(2);

    const error = new OrasError('NETWORK', 'connection refused');
    const down = scripted([error]);
    await expect(retryLayer(down, { ...FAST, maxRetries: 2 })({ method: 'GET', url: URL_ })).rejects.toBe(error);
    expect(down.calls).toHaveLength(3);
  });

  it('does not retry TLS errors or foreign exceptions', async () => {
    const tls = scripted([new OrasError('TLS', 'bad certificate'), response(200)]);
    await expect(retryLayer(tls, FAST)({ method: 'GET', url: URL_ })).rejects.toMatchObject({ code: 'TLS' });
    expect(tls.calls).toHaveLength(1);
    const bug = scripted([new TypeError('boom'), response(200)]);
    await expect(retryLayer(bug, FAST)({ method: 'GET', url: URL_ })).rejects.toBeInstanceOf(TypeError);
    expect(bug.calls).toHaveLength(1);
  });

  it('stops waiting with ABORTED when the signal is aborted', async () => {
    const controller = new AbortController();
    const next = scripted([response(503, { 'retry-after': '30' }), response(200)]);
    const started = performance.now();
    const pending = retryLayer(next, { maxDelayMs: 60_000 })({ method: 'GET', url: URL_, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrasError);
    expect((err as OrasError).code).toBe('ABORTED');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(next.calls).toHaveLength(1);
  });

  it('keeps an OrasError given as the abort reason', async () => {
    const controller = new AbortController();
    const reason = new OrasError('ABORTED', 'the user pressed cancel');
    const next = scripted([new OrasError('NETWORK', 'reset')]);
    const pending = retryLayer(next, { baseDelayMs: 10_000, maxDelayMs: 10_000 })({ method: 'GET', url: URL_, signal: controller.signal });
    setTimeout(() => controller.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('retryLayer deadline', () => {
  /** hanging never answers until its signal aborts, as a registry that stopped answering. */
  function hanging(): Send & { calls: HttpRequest[] } {
    const calls: HttpRequest[] = [];
    const send: Send = (request) => {
      calls.push(request);
      return new Promise((_resolve, reject) => {
        request.signal?.addEventListener('abort', () => reject(new OrasError('ABORTED', 'the operation was cancelled')), { once: true });
      });
    };
    return Object.assign(send, { calls });
  }

  it('gives up on a registry that does not answer, saying how long it waited', async () => {
    const next = hanging();
    const started = Date.now();
    const err = await retryLayer(next, { ...FAST, deadlineMs: 300 })({ method: 'GET', url: URL_ }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NETWORK', message: 'registry.example.com did not answer within 300 ms (1 try); it may be down or overloaded: try again later' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('starts no new try past the deadline', async () => {
    const reset = new OrasError('NETWORK', 'GET x: the connection was reset');
    const next = scripted([reset]);
    const err = await retryLayer(next, { maxRetries: 10, baseDelayMs: 100, maxDelayMs: 100, deadlineMs: 120 })({ method: 'GET', url: URL_ }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/did not answer within 120 ms \(\d tr(y|ies)\)/) });
    expect(next.calls.length).toBeLessThan(4);
  });

  it('returns the registry\'s own answer when there is no time to try again', async () => {
    const next = scripted([response(503, { 'retry-after': '5' }), response(200)]);
    const res = await retryLayer(next, { ...FAST, maxDelayMs: 10_000, deadlineMs: 1000 })({ method: 'GET', url: URL_ });
    expect(res.status).toBe(503);
    expect(next.calls).toHaveLength(1);
  });

  it('a cancel by the caller stays a cancel', async () => {
    const controller = new AbortController();
    const promise = retryLayer(hanging(), { deadlineMs: 5000 })({ method: 'GET', url: URL_, signal: controller.signal });
    controller.abort();
    await expect(promise).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('never cuts an answer that has arrived: the timer ends with the headers', async () => {
    let seen: AbortSignal | undefined;
    const next: Send = async (request) => {
      seen = request.signal;
      return response(200, {}, 'body');
    };
    await retryLayer(next, { deadlineMs: 50 })({ method: 'GET', url: URL_ });
    await new Promise((r) => setTimeout(r, 100));
    expect(seen?.aborted).toBe(false);
  });
});
