import { describe, expect, it, vi } from 'vitest';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DownloadStarted, JobProgressEvent, JobStateEvent } from '../../shared/contract';
import type { BrowseService } from '../services/browse';
import type { JobEventHandlers } from '../services/jobs';
import { ServiceError } from '../services/oras';
import type { Services } from '../services/registries';
import { createJobsSlice, nextSpeed, secondsLeft, type JobsSlice } from './jobs-slice';
import type { AppState, StoreDeps } from './types';

const BLOB = { registry: 'local', repository: 'rocket', digest: `sha256:${'a'.repeat(64)}`, name: 'rocket.txt' };

/** setup builds the jobs slice alone over stand-in services that record what it sends. */
function setup(answers: Array<DownloadStarted | Error> = []) {
  let handlers: JobEventHandlers | undefined;
  const sent: unknown[] = [];
  const cancelled: string[] = [];
  const next = async (request: unknown): Promise<DownloadStarted> => {
    sent.push(request);
    const answer = answers.shift() ?? { jobId: `job-${sent.length}` };
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const browse = {
    downloadBlob: vi.fn(next),
    downloadPull: vi.fn(next),
    cancelJob: vi.fn(async (id: string) => (cancelled.push(id), true)),
  } as unknown as BrowseService;
  const services = {
    browse,
    jobs: {
      watch: (h: JobEventHandlers) => {
        handlers = h;
        return () => (handlers = undefined);
      },
    },
  } as unknown as Services;
  const deps: StoreDeps = { services };
  const store = createStore<JobsSlice>()((...a) => createJobsSlice(deps)(...(a as unknown as Parameters<ReturnType<typeof createJobsSlice>>))) as unknown as StoreApi<AppState>;
  const stop = store.getState().watchJobs();
  const emitState = (e: JobStateEvent) => handlers?.onState(e);
  const emitProgress = (e: JobProgressEvent) => handlers?.onProgress(e);
  return { store, sent, cancelled, emitState, emitProgress, stop, watching: () => handlers !== undefined };
}

describe('job maths', () => {
  it('smooths the speed and says the time left', () => {
    expect(nextSpeed(undefined, 0, 1000, 1000)).toBe(1000);
    expect(nextSpeed(1000, 1000, 3000, 1000)).toBeCloseTo(1000 + 0.3 * (2000 - 1000));
    expect(nextSpeed(500, 10, 20, 0)).toBe(500); // no time passed: keep the old figure
    expect(nextSpeed(500, 20, 10, 100)).toBe(500); // bytes went back (a retry inside): keep it
    expect(secondsLeft({ bytes: 250, total: 1250, speed: 100 })).toBe(10);
    expect(secondsLeft({ bytes: 250, total: 0, speed: 100 })).toBeUndefined();
    expect(secondsLeft({ bytes: 250, total: 1000, speed: undefined })).toBeUndefined();
    expect(secondsLeft({ bytes: 2000, total: 1000, speed: 5 })).toBe(0);
  });
});

describe('jobs slice', () => {
  it('adds a row for a started download and follows its events to done, announcing it', async () => {
    vi.useFakeTimers();
    try {
      const t = setup();
      const started = await t.store.getState().startJob({ method: 'downloadBlob', request: BLOB }, 'Download rocket.txt');
      expect(started).toEqual({ jobId: 'job-1' });
      expect(t.store.getState().jobs).toMatchObject([{ jobId: 'job-1', title: 'Download rocket.txt', state: 'running', retry: { method: 'downloadBlob', request: BLOB } }]);
      t.emitProgress({ jobId: 'job-1', bytes: 100, total: 1000 });
      vi.advanceTimersByTime(1000);
      t.emitProgress({ jobId: 'job-1', bytes: 600, total: 1000 });
      const job = t.store.getState().jobs[0]!;
      expect(job).toMatchObject({ bytes: 600, total: 1000, speed: 500 });
      expect(secondsLeft(job)).toBeCloseTo(0.8);
      t.emitState({ jobId: 'job-1', kind: 'download-blob', title: 'Download rocket.txt', state: 'done' });
      expect(t.store.getState().jobs[0]).toMatchObject({ state: 'done', bytes: 1000 });
      expect(t.store.getState().jobsAnnouncement).toBe('Download rocket.txt: done');
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps events that come before the answer, and jobs it did not start', async () => {
    const t = setup();
    t.emitState({ jobId: 'job-1', kind: 'download-blob', title: 'Download rocket.txt', state: 'running' });
    t.emitState({ jobId: 'push-9', kind: 'push', title: 'Push demo:v1', state: 'running' });
    await t.store.getState().startJob({ method: 'downloadBlob', request: BLOB }, 'Download it');
    const jobs = t.store.getState().jobs;
    expect(jobs.map((j) => j.jobId)).toEqual(['push-9', 'job-1']);
    expect(jobs[1]).toMatchObject({ title: 'Download rocket.txt', retry: { method: 'downloadBlob' } });
    expect(jobs[0]!.retry).toBeUndefined();
  });

  it('adds nothing when the save dialog was closed, and throws what main refused', async () => {
    const t = setup([{ cancelled: true }, new ServiceError({ code: 'NOT_FOUND', message: 'no such blob' })]);
    expect(await t.store.getState().startJob({ method: 'downloadBlob', request: BLOB }, 'x')).toBeUndefined();
    await expect(t.store.getState().startJob({ method: 'downloadBlob', request: BLOB }, 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(t.store.getState().jobs).toEqual([]);
  });

  it('cancels through the service, and shows a failure with its error; Retry re-sends the same request', async () => {
    const t = setup();
    const pull = { registry: '127.0.0.1:5000', repository: 'demo', reference: 'v1' };
    await t.store.getState().startJob({ method: 'downloadPull', request: pull }, 'Pull demo:v1');
    await t.store.getState().cancelJob('job-1');
    expect(t.cancelled).toEqual(['job-1']);
    t.emitState({ jobId: 'job-1', kind: 'download-pull', state: 'failed', error: { code: 'NETWORK', message: 'connection reset' } });
    expect(t.store.getState().jobs[0]).toMatchObject({ state: 'failed', error: { code: 'NETWORK' } });
    expect(t.store.getState().jobsAnnouncement).toBe('Pull demo:v1 failed: connection reset');
    await t.store.getState().retryJob('job-1');
    expect(t.sent).toEqual([pull, pull]);
    expect(t.store.getState().jobs.map((j) => [j.jobId, j.state, j.title])).toEqual([['job-2', 'running', 'Pull demo:v1']]);
  });

  it('a retry main refuses stays on the old row as its error', async () => {
    const t = setup([{ jobId: 'job-1' }, new ServiceError({ code: 'UNAUTHORIZED', message: 'log in again' })]);
    await t.store.getState().startJob({ method: 'downloadBlob', request: BLOB }, 'Download rocket.txt');
    t.emitState({ jobId: 'job-1', kind: 'download-blob', state: 'cancelled' });
    expect(t.store.getState().jobsAnnouncement).toBe('Download rocket.txt: cancelled');
    await t.store.getState().retryJob('job-1');
    expect(t.store.getState().jobs).toMatchObject([{ jobId: 'job-1', state: 'failed', error: { code: 'UNAUTHORIZED' } }]);
  });

  it('in browser mode, knows the job by the id answered with the offer, whichever comes first: the answer or its first event', async () => {
    const pull = { registry: 'local', repository: 'demo', reference: 'v1' };
    const t = setup([{ jobId: 'j-blob', browserDownload: { id: 'd1', name: 'rocket.txt', size: 27 } }, { jobId: 'j-pull', browserDownload: { id: 'd2', name: 'demo_v1.tar' } }]);
    expect(await t.store.getState().startJob({ method: 'downloadBlob', request: BLOB }, 'Download rocket.txt')).toMatchObject({ jobId: 'j-blob' });
    t.emitState({ jobId: 'j-pull', kind: 'download', title: 'Pull demo:v1', state: 'running' }); // the event before the answer
    await t.store.getState().startJob({ method: 'downloadPull', request: pull }, 'Pull demo:v1');
    t.emitState({ jobId: 'j-other', kind: 'download', title: 'Download rocket.txt', state: 'running' }); // same title, another page's job
    const byId = Object.fromEntries(t.store.getState().jobs.map((j) => [j.jobId, j.retry]));
    expect(byId).toEqual({ 'j-pull': { method: 'downloadPull', request: pull }, 'j-blob': { method: 'downloadBlob', request: BLOB }, 'j-other': undefined });
    expect(t.store.getState().jobs.find((j) => j.jobId === 'j-blob')).toMatchObject({ state: 'running', bytes: 0, total: 27 });
  });

  it('clears finished rows, dismisses one, and stops listening', async () => {
    const t = setup();
    t.emitState({ jobId: 'a', kind: 'download-blob', state: 'running' });
    t.emitState({ jobId: 'b', kind: 'download-blob', state: 'done' });
    t.emitState({ jobId: 'c', kind: 'download-blob', state: 'failed', error: { code: 'INTERNAL', message: 'x' } });
    t.store.getState().clearFinishedJobs();
    expect(t.store.getState().jobs.map((j) => j.jobId)).toEqual(['a']);
    t.store.getState().dismissJob('a');
    expect(t.store.getState().jobs).toEqual([]);
    t.stop();
    expect(t.watching()).toBe(false);
  });
});
