import { randomUUID } from 'node:crypto';
import type { JobProgressEvent, JobState, Result } from '../../shared/contract';
import { OrasError, isOrasError } from '../engine/errors';
import type { EventBus } from './events';
import { toSerializedError } from './serialized-error';

/** JobContext is what a job's body gets: its abort signal and a progress reporter. */
export interface JobContext {
  readonly jobId: string;
  readonly signal: AbortSignal;
  /** progress reports bytes so far; events go out at most once per `throttleMs`, the last one always. */
  progress(update: Omit<JobProgressEvent, 'jobId'>): void;
}

export interface JobsOptions {
  events: EventBus;
  /** Least time between two progress events of one job. Default 100 ms (10 a second). */
  throttleMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

interface Running {
  kind: string;
  title?: string;
  controller: AbortController;
}

/** JobOptions: `title` says what the job does in the jobs panel ("Download rocket.txt"). */
export interface JobOptions {
  title?: string;
}

/**
 * JobsService runs long operations (push, pull, copy) as jobs: each gets an id, an
 * AbortController that `cancel` trips, throttled `job.progress` events and
 * `job.state` events (`running`, then `done`, `failed` or `cancelled`). A job's
 * answer is a `Result`, so nobody has to catch it.
 */
export class JobsService {
  private readonly running = new Map<string, Running>();
  private readonly throttleMs: number;
  private readonly now: () => number;

  constructor(private readonly options: JobsOptions) {
    this.throttleMs = options.throttleMs ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** start runs `body` as a job of `kind` and returns its id at once, and its outcome. */
  start<T>(kind: string, body: (ctx: JobContext) => Promise<T>, options: JobOptions = {}): { jobId: string; result: Promise<Result<T>> } {
    const jobId = randomUUID();
    const controller = new AbortController();
    const title = options.title;
    this.running.set(jobId, { kind, controller, ...(title === undefined ? {} : { title }) });
    const { events } = this.options;
    const progress = this.throttle(jobId);
    events.emit('job.state', { jobId, kind, ...(title === undefined ? {} : { title }), state: 'running' });
    const result = (async (): Promise<Result<T>> => {
      try {
        const value = await body({ jobId, signal: controller.signal, progress: progress.report });
        progress.flush();
        this.finish(jobId, kind, 'done', undefined, title);
        return { ok: true, value };
      } catch (caught) {
        progress.flush();
        // Whatever a cancelled job throws (a reset socket, a half-written file), it was cancelled.
        const error = controller.signal.aborted && !isOrasError(caught, 'ABORTED')
          ? new OrasError('ABORTED', 'the job was cancelled', { cause: caught })
          : caught;
        const serialized = toSerializedError(error);
        this.finish(jobId, kind, serialized.code === 'ABORTED' ? 'cancelled' : 'failed', serialized, title);
        return { ok: false, error: serialized };
      }
    })();
    return { jobId, result };
  }

  /** cancel aborts a running job; false when no job of that id is running. */
  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    if (!job) return false;
    job.controller.abort(new OrasError('ABORTED', 'the job was cancelled'));
    return true;
  }

  /** cancelAll aborts every running job (the app is quitting). */
  cancelAll(): void {
    for (const id of [...this.running.keys()]) this.cancel(id);
  }

  /** runningCount says how many jobs have not finished. */
  get runningCount(): number {
    return this.running.size;
  }

  private finish(jobId: string, kind: string, state: JobState, error?: ReturnType<typeof toSerializedError>, title?: string): void {
    this.running.delete(jobId);
    this.options.events.emit('job.state', { jobId, kind, ...(title === undefined ? {} : { title }), state, ...(error ? { error } : {}) });
  }

  /**
   * throttle sends a job's first progress event at once and later ones no more often
   * than every `throttleMs`, always with the newest figures; `flush` sends what is
   * still pending, so the last numbers precede the final state.
   */
  private throttle(jobId: string): { report: (u: Omit<JobProgressEvent, 'jobId'>) => void; flush: () => void } {
    let last = -Infinity;
    let pending: JobProgressEvent | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const send = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (!pending) return;
      last = this.now();
      const event = pending;
      pending = undefined;
      this.options.events.emit('job.progress', event);
    };
    return {
      report: (update) => {
        if (!this.running.has(jobId)) return;
        pending = { ...update, jobId };
        const wait = last + this.throttleMs - this.now();
        if (wait <= 0) send();
        else if (!timer) {
          timer = setTimeout(send, wait);
          timer.unref?.();
        }
      },
      flush: send,
    };
  }
}
