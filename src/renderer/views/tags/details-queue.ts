import type { TagDetail } from '../../../shared/browse';

/** DETAILS_BATCH is the most tags one `browse.tagDetails` call may name (the contract's cap). */
export const DETAILS_BATCH = 100;
/** DETAILS_IN_FLIGHT is how many detail requests run at once; main spreads each over the registry too. */
export const DETAILS_IN_FLIGHT = 2;

export interface DetailsQueueOptions {
  /** fetch reads details of ≤ `batch` tags (the store's `tagDetails`). */
  fetch(tags: string[]): Promise<TagDetail[]>;
  /** onDetails receives each answered batch (errors included, as details with `error`). */
  onDetails(details: TagDetail[]): void;
  /** onError receives a batch's failure (the whole call failed): its tags are not retried. */
  onError?(error: unknown, tags: string[]): void;
  batch?: number;
  concurrency?: number;
}

/**
 * DetailsQueue fetches tag details in the background: batches of at most 100 tags, at
 * most 2 requests in flight, the most recently wanted tags first (what is on screen
 * now beats what scrolled past). `cancel()` drops everything queued and ignores
 * answers still on their way, so a view that was left never updates.
 */
export class DetailsQueue {
  private readonly queue: string[] = [];
  private readonly seen = new Set<string>();
  private inFlight = 0;
  private cancelled = false;
  private idleWaiters: (() => void)[] = [];
  private readonly batch: number;
  private readonly concurrency: number;

  constructor(private readonly options: DetailsQueueOptions) {
    this.batch = Math.min(options.batch ?? DETAILS_BATCH, DETAILS_BATCH);
    this.concurrency = options.concurrency ?? DETAILS_IN_FLIGHT;
  }

  /** want asks for tags' details; tags already asked for (answered or not) are skipped. */
  want(tags: readonly string[], options: { first?: boolean } = { first: true }): void {
    if (this.cancelled) return;
    const fresh = tags.filter((tag) => !this.seen.has(tag));
    for (const tag of fresh) this.seen.add(tag);
    if (options.first) this.queue.unshift(...fresh);
    else this.queue.push(...fresh);
    this.pump();
  }

  /** known marks tags whose details the page holds already: they are never asked for. */
  known(tags: Iterable<string>): void {
    for (const tag of tags) this.seen.add(tag);
  }

  /** dropQueued forgets tags still waiting (not those in flight), so a later `want` asks again. */
  dropQueued(): void {
    for (const tag of this.queue) this.seen.delete(tag);
    this.queue.length = 0;
    if (this.inFlight === 0) this.wakeIdle();
  }

  /** has tells whether a tag was asked for already. */
  has(tag: string): boolean {
    return this.seen.has(tag);
  }

  /** pending is how many tags wait or are being read. */
  get pending(): number {
    return this.queue.length + this.inFlight * this.batch;
  }

  /** whenIdle resolves once nothing is queued or in flight (at once when cancelled). */
  whenIdle(): Promise<void> {
    if (this.cancelled || (this.queue.length === 0 && this.inFlight === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  cancel(): void {
    this.cancelled = true;
    this.queue.length = 0;
    this.wakeIdle();
  }

  private pump(): void {
    while (!this.cancelled && this.inFlight < this.concurrency && this.queue.length > 0) {
      const tags = this.queue.splice(0, this.batch);
      this.inFlight++;
      void this.options
        .fetch(tags)
        .then(
          (details) => {
            if (!this.cancelled) this.options.onDetails(details);
          },
          (error: unknown) => {
            if (!this.cancelled) this.options.onError?.(error, tags);
          },
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
          if (this.queue.length === 0 && this.inFlight === 0) this.wakeIdle();
        });
    }
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
