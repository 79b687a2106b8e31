import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventName, Events } from '../../shared/contract';
import { OrasError } from '../engine/errors';
import { EventBus } from './events';
import { JobsService, type JobContext } from './jobs';

function setup(throttleMs = 100) {
  const events = new EventBus();
  const seen: { event: EventName; payload: Events[EventName] }[] = [];
  events.subscribe((event, payload) => seen.push({ event, payload }));
  const jobs = new JobsService({ events, throttleMs, now: () => Date.now() });
  const progress = () => seen.filter((e) => e.event === 'job.progress').map((e) => (e.payload as Events['job.progress']).bytes);
  const states = () => seen.filter((e) => e.event === 'job.state').map((e) => (e.payload as Events['job.state']).state);
  return { events, jobs, seen, progress, states };
}

/** controlled gives a job body that waits until the test lets it finish. */
function controlled() {
  let ctx!: JobContext;
  let finish!: (value: string) => void;
  let failWith!: (error: unknown) => void;
  const body = (c: JobContext): Promise<string> => {
    ctx = c;
    return new Promise<string>((resolve, reject) => {
      finish = resolve;
      failWith = reject;
      c.signal.addEventListener('abort', () => reject(new Error('socket hang up')));
    });
  };
  return { body, ctx: () => ctx, finish: (v: string) => finish(v), fail: (e: unknown) => failWith(e) };
}

describe('JobsService', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives each job an id and reports running, then done with the value', async () => {
    const { jobs, seen, states } = setup();
    const job = controlled();
    const a = jobs.start('push', job.body);
    const b = jobs.start('pull', async () => 'other');
    expect(a.jobId).not.toBe(b.jobId);
    expect(seen[0]).toEqual({ event: 'job.state', payload: { jobId: a.jobId, kind: 'push', state: 'running' } });
    job.finish('pushed');
    expect(await a.result).toEqual({ ok: true, value: 'pushed' });
    expect(await b.result).toEqual({ ok: true, value: 'other' });
    expect(states()).toEqual(['running', 'running', 'done', 'done']);
    expect(jobs.runningCount).toBe(0);
  });

  it('throttles progress to one event per 100 ms, always with the newest figures, and flushes the last before done', async () => {
    const { jobs, seen, progress } = setup(100);
    const job = controlled();
    const { jobId, result } = jobs.start('push', job.body);
    const report = (bytes: number): void => job.ctx().progress({ bytes, total: 1000 });

    report(1); // first: at once
    for (let b = 2; b <= 50; b++) report(b); // 49 more within the same instant
    expect(progress()).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(progress()).toEqual([1, 50]);

    // 1,000 reports over one second: about ten events, not a thousand.
    for (let i = 0; i < 1000; i++) {
      report(100 + i);
      vi.advanceTimersByTime(1);
    }
    const count = progress().length - 2;
    expect(count).toBeGreaterThanOrEqual(9);
    expect(count).toBeLessThanOrEqual(11);

    report(1000);
    job.finish('ok');
    await result;
    const last = seen.at(-1)!;
    const beforeLast = seen.at(-2)!;
    expect(beforeLast).toEqual({ event: 'job.progress', payload: { jobId, bytes: 1000, total: 1000 } });
    expect(last.event).toBe('job.state');
    expect((last.payload as Events['job.state']).state).toBe('done');
    // Nothing is sent after the job ended.
    vi.advanceTimersByTime(1000);
    job.ctx().progress({ bytes: 5, total: 1000 });
    expect(seen.at(-1)).toBe(last);
  });

  it('cancels: the signal aborts, whatever the body throws becomes ABORTED, the state is cancelled', async () => {
    const { jobs, seen, states } = setup();
    const job = controlled();
    const { jobId, result } = jobs.start('pull', job.body);
    expect(jobs.cancel(jobId)).toBe(true);
    expect(job.ctx().signal.aborted).toBe(true);
    const outcome = await result;
    expect(outcome).toEqual({ ok: false, error: { code: 'ABORTED', message: 'the job was cancelled' } });
    expect(states()).toEqual(['running', 'cancelled']);
    expect((seen.at(-1)!.payload as Events['job.state']).error?.code).toBe('ABORTED');
    expect(jobs.cancel(jobId)).toBe(false);
    expect(jobs.cancel('no-such-job')).toBe(false);
  });

  it('reports a failure with its code, and hides an unexpected error behind INTERNAL', async () => {
    const { jobs, states } = setup();
    const a = jobs.start('push', async () => {
      throw new OrasError('UNAUTHORIZED', 'r.io: log in first');
    });
    expect(await a.result).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'r.io: log in first' } });
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const b = jobs.start('push', async () => {
      throw new TypeError('cannot read properties of undefined');
    });
    const outcome = await b.result;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(outcome)).not.toContain('undefined');
    spy.mockRestore();
    expect(states()).toEqual(['running', 'failed', 'running', 'failed']);
  });

  it('cancelAll aborts every running job', async () => {
    const { jobs } = setup();
    const one = controlled();
    const two = controlled();
    const a = jobs.start('push', one.body);
    const b = jobs.start('pull', two.body);
    jobs.cancelAll();
    expect((await a.result).ok).toBe(false);
    expect((await b.result).ok).toBe(false);
    expect(jobs.runningCount).toBe(0);
  });
});
