import { setTimeout as sleep } from 'node:timers/promises';
import { abortError, isOrasError } from '../errors';
import { discard, header, isReplayable, type HttpRequest, type HttpResponse, type Send } from './http';

/** RetryOptions: defaults retry 3 times, 200 ms doubling with jitter, waits capped at 10 s. */
export interface RetryOptions {
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

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
 * or a 429/502/503/504, waiting with exponential backoff or as `Retry-After` says.
 */
export function retryLayer(next: Send, options: RetryOptions = {}): Send {
  const maxRetries = options.maxRetries ?? 3;
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 10_000;
  return async (request) => {
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= maxRetries || !canRetry(request);
      let response: HttpResponse;
      try {
        response = await next(request);
      } catch (err) {
        if (last || !isOrasError(err, 'NETWORK')) throw err;
        await wait(backoff(attempt, base, cap), request.signal);
        continue;
      }
      if (last || !RETRY_STATUSES.has(response.status)) return response;
      const asked = retryAfterMs(header(response, 'retry-after'));
      await discard(response);
      await wait(asked !== undefined ? Math.min(asked, cap) : backoff(attempt, base, cap), request.signal);
    }
  };
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
