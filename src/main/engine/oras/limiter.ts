import { OrasError, abortError } from '../errors';

/**
 * Limiter runs at most `concurrency` tasks at once, first come first served. Callers
 * hold a slot only around one I/O call, never while waiting for other tasks, so a
 * parent waiting on its children cannot starve them (oras-go's copy releases its
 * limiter the same way).
 */
export class Limiter {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  // One abort listener per signal, not per waiter: a copy of 1,000 files queues 1,000
  // tasks under one signal, and EventTarget checks each new listener against all the
  // others (quadratic), then removes each again when its task starts.
  private readonly watched = new WeakSet<AbortSignal>();

  constructor(readonly concurrency: number) {
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
      throw new OrasError('INVALID_ARGUMENT', `concurrency must be a whole number of at least 1, got ${concurrency}`);
    }
  }

  /** run waits for a slot (or for `signal` to abort, which rejects), then runs `task`. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject, signal });
      if (signal && !this.watched.has(signal)) {
        this.watched.add(signal);
        signal.addEventListener('abort', () => this.dropWaiters(signal), { once: true });
      }
    });
  }

  /** dropWaiters rejects, in order and with one error, the tasks still waiting under `signal`. */
  private dropWaiters(signal: AbortSignal): void {
    const dropped = this.waiting.filter((waiter) => waiter.signal === signal);
    if (dropped.length === 0) return;
    const kept = this.waiting.filter((waiter) => waiter.signal !== signal);
    this.waiting.splice(0, this.waiting.length, ...kept);
    const err = abortError(signal);
    for (const waiter of dropped) waiter.reject(err);
  }

  private release(): void {
    this.running--;
    const next = this.waiting.shift();
    if (next === undefined) return;
    this.running++;
    next.resolve();
  }
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
}
