import { setTimeout as sleep } from 'node:timers/promises';
import { abortError, isOrasError, OrasError } from '../errors';
import { discard, header, isReplayable, type HttpRequest, type HttpResponse, type Send } from './http';

/**
 * RetryOptions: defaults retry 3 times, 200 ms doubling with jitter, waits capped at
 * 10 s, and give up on a registry that has not answered within `deadlineMs`.
 */
export interface RetryOptions {
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * How long one request may go unanswered, all its tries and the waits between them
   * together, before it fails saying so. Default DEFAULT_DEADLINE_MS (60 s). It bounds
   * the wait for an answer, not a transfer: a body that is flowing is never cut.
   */
  deadlineMs?: number;
}

/** DEFAULT_DEADLINE_MS: a registry that stops answering is given up on within a minute. */
export const DEFAULT_DEADLINE_MS = 60_000;

// How long undici waits for an answer's headers on its own (dispatch.ts's
// headersTimeout). A try with at least this long left before the deadline is bounded
// by undici alone and needs no timer, or signal, of ours.
const WIRE_HEADERS_TIMEOUT_MS = 30_000;

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
// PUT and DELETE are idempotent by HTTP's definition and by the distribution spec for
// manifests and blobs; POST and PATCH move an upload session forward and are not.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/**
 * retryAfterMs reads `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3);
 * anything else is undefined, so the caller falls back to its own backoff.
 */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  // Every HTTP-date names its month. Date.parse alone is lenient: it reads "-1" or
  // "1.5" as dates in 2001, which would turn garbage into "retry at once".
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function canRetry(request: HttpRequest): boolean {
  return IDEMPOTENT.has(request.method) && isReplayable(request);
}

/**
 * retryLayer re-sends idempotent requests with replayable bodies after a network error
 * or a 429/502/503/504, waiting with exponential backoff or as `Retry-After` says, for
 * at most `deadlineMs` in all: past it no new try starts and a try under way is cut
 * short, failing with NETWORK "… did not answer within 60 s (2 tries)".
 */
export function retryLayer(next: Send, options: RetryOptions = {}): Send {
  const maxRetries = options.maxRetries ?? 3;
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 10_000;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  return async (request) => {
    const started = Date.now();
    const retryable = canRetry(request);
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= maxRetries || !retryable;
      let response: HttpResponse;
      try {
        response = retryable ? await tryWithin(next, request, started + deadlineMs - Date.now()) : await next(request);
      } catch (err) {
        if (err instanceof DeadlinePassed) throw gaveUp(request, deadlineMs, attempt + 1);
        if (last || !isOrasError(err, 'NETWORK')) throw err;
        const delay = backoff(attempt, base, cap);
        if (Date.now() + delay >= started + deadlineMs) throw gaveUp(request, deadlineMs, attempt + 1);
        await wait(delay, request.signal);
        continue;
      }
      if (last || !RETRY_STATUSES.has(response.status)) return response;
      const asked = retryAfterMs(header(response, 'retry-after'));
      const delay = asked !== undefined ? Math.min(asked, cap) : backoff(attempt, base, cap);
      // No time for another try: the registry's own answer (503, 429…) is the error.
      if (Date.now() + delay >= started + deadlineMs) return response;
      await discard(response);
      await wait(delay, request.signal);
    }
  };
}

/** DeadlinePassed marks a try cut short by the deadline, not by the caller's signal. */
class DeadlinePassed extends Error {}

/**
 * tryWithin sends one try, cut short when `remainingMs` pass before the answer's
 * headers arrive. The timer is cleared once they do, so a body is never cut.
 */
async function tryWithin(next: Send, request: HttpRequest, remainingMs: number): Promise<HttpResponse> {
  if (remainingMs >= WIRE_HEADERS_TIMEOUT_MS) return next(request);
  if (remainingMs <= 0) throw new DeadlinePassed();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlinePassed()), remainingMs);
  const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
  try {
    return await next({ ...request, signal });
  } catch (err) {
    if (deadline.signal.aborted && !request.signal?.aborted) throw new DeadlinePassed();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * gaveUp is the deadline's error. It carries no Node error as its cause, so a caller
 * that adds what was being done keeps these words.
 */
function gaveUp(request: HttpRequest, deadlineMs: number, tries: number): OrasError {
  const within = deadlineMs >= 1000 ? `${Number((deadlineMs / 1000).toFixed(1))} s` : `${deadlineMs} ms`;
  return new OrasError(
    'NETWORK',
    `${request.url.host} did not answer within ${within} (${tries} ${tries === 1 ? 'try' : 'tries'}); it may be down or overloaded: try again later`,
  );
}

function backoff(attempt: number, base: number, cap: number): number {
  const exp = Math.min(cap, base * 2 ** attempt);
  return exp / 2 + Math.random() * (exp / 2);
}

async function wait(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw abortError(signal);
  }
}
