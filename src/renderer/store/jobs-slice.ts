import type { DownloadBlobRequest, DownloadPullRequest, DownloadStarted, JobProgressEvent, JobState, JobStateEvent } from '../../shared/contract';
import type { SerializedError } from '../../shared/error-codes';
import { toServiceError } from '../services/oras';
import type { SliceCreator } from './types';

/**
 * The jobs slice: every transfer main runs as a job (downloads today, pushes later),
 * folded from `job.state` and `job.progress` events into rows the jobs panel shows,
 * with speed and time left worked out here. The request that started a download is
 * kept with its row, so "Retry" sends the very same request again.
 */

/** JobRequest is a request that starts a job, kept for Retry. */
export type JobRequest =
  | { method: 'downloadBlob'; request: DownloadBlobRequest }
  | { method: 'downloadPull'; request: DownloadPullRequest };

/** JobEntry is one row of the jobs panel. */
export interface JobEntry {
  jobId: string;
  kind: string;
  /** What the job does: main's title, else the one given when it was started. */
  title: string;
  state: JobState;
  /** Bytes done and total (0 while unknown). */
  bytes: number;
  total: number;
  /** Bytes a second, smoothed; undefined until two progress events have come. */
  speed?: number;
  /** Date.now() of the last progress event. */
  updatedAt?: number;
  /** The file now moving, for a line of detail. */
  current?: string;
  error?: SerializedError;
  /** Where Electron writes the file. */
  savedTo?: string;
  /** What started it, for Retry; absent for jobs this page did not start. */
  retry?: JobRequest;
}

export interface JobsData {
  /** Newest first. */
  jobs: JobEntry[];
  jobsPanelOpen: boolean;
  /** The last thing the live region said: a job finished, failed or was cancelled. */
  jobsAnnouncement: string;
}

export interface JobsActions {
  /** watchJobs subscribes the slice to main's job events; call once, the result unsubscribes. */
  watchJobs(): () => void;
  /**
   * startJob sends a download request and adds its row. Undefined when the user closed
   * the save dialog; throws a ServiceError when main refused (shown where it started).
   */
  startJob(job: JobRequest, title: string): Promise<DownloadStarted | undefined>;
  cancelJob(jobId: string): Promise<void>;
  /** retryJob re-sends a failed or cancelled job's request; its row gives way to the new job's. */
  retryJob(jobId: string): Promise<void>;
  dismissJob(jobId: string): void;
  clearFinishedJobs(): void;
  setJobsPanelOpen(open: boolean): void;
  /** jobStateChanged and jobProgressed fold one event in (watchJobs calls them). */
  jobStateChanged(event: JobStateEvent): void;
  jobProgressed(event: JobProgressEvent): void;
}

export type JobsSlice = JobsData & JobsActions;

export const initialJobsData = (): JobsData => ({ jobs: [], jobsPanelOpen: false, jobsAnnouncement: '' });

/** SPEED_WEIGHT is how much a new speed sample counts against the running average. */
const SPEED_WEIGHT = 0.3;

/**
 * nextSpeed smooths bytes a second over progress events (an exponential moving
 * average), so the figure does not jump with every chunk. Undefined while it cannot
 * be known (first event, or no time passed).
 */
export function nextSpeed(previous: number | undefined, bytesBefore: number, bytesNow: number, msElapsed: number): number | undefined {
  if (msElapsed <= 0 || bytesNow < bytesBefore) return previous;
  const sample = ((bytesNow - bytesBefore) * 1000) / msElapsed;
  return previous === undefined ? sample : previous + SPEED_WEIGHT * (sample - previous);
}

/** secondsLeft is the time left at the current speed; undefined when it cannot be said. */
export function secondsLeft(job: Pick<JobEntry, 'bytes' | 'total' | 'speed'>): number | undefined {
  if (!job.total || job.speed === undefined || job.speed <= 0) return undefined;
  return Math.max(0, job.total - job.bytes) / job.speed;
}

export const isFinished = (state: JobState): boolean => state === 'done' || state === 'failed' || state === 'cancelled';

/** announcementOf says a finished job for the live region. */
export function announcementOf(job: JobEntry): string {
  if (job.state === 'done') return `${job.title}: done`;
  if (job.state === 'cancelled') return `${job.title}: cancelled`;
  if (job.state === 'failed') return `${job.title} failed: ${job.error?.message ?? 'unknown error'}`;
  return '';
}

export const createJobsSlice: SliceCreator<JobsSlice> = ({ services }) => (set, get) => {
  const update = (jobId: string, change: (job: JobEntry) => JobEntry): void =>
    set((s) => ({ jobs: s.jobs.map((j) => (j.jobId === jobId ? change(j) : j)) }));

  const ensure = (jobId: string, seed: Partial<JobEntry>): void => {
    if (get().jobs.some((j) => j.jobId === jobId)) return;
    const job: JobEntry = { jobId, kind: seed.kind ?? 'job', title: seed.title ?? seed.kind ?? 'Transfer', state: 'queued', bytes: 0, total: 0, ...seed };
    set((s) => ({ jobs: [job, ...s.jobs] }));
  };

  const send = (job: JobRequest): Promise<DownloadStarted> =>
    job.method === 'downloadBlob' ? services.browse.downloadBlob(job.request) : services.browse.downloadPull(job.request);

  return {
    ...initialJobsData(),

    watchJobs() {
      return services.jobs.watch({ onState: (e) => get().jobStateChanged(e), onProgress: (e) => get().jobProgressed(e) });
    },

    async startJob(job, title) {
      const started = await send(job);
      if (started.cancelled) return undefined;
      // Main answers the job's id in both modes (in browser mode the job waits for the browser's fetch).
      if (!started.jobId) return started;
      const jobId = started.jobId;
      ensure(jobId, { kind: job.method === 'downloadBlob' ? 'download-blob' : 'download-pull', title, state: 'running' });
      update(jobId, (j) => ({ ...j, retry: job, ...(started.savedTo ? { savedTo: started.savedTo } : {}), ...(j.total === 0 && started.browserDownload?.size ? { total: started.browserDownload.size } : {}) }));
      return started;
    },

    async cancelJob(jobId) {
      try {
        await services.browse.cancelJob(jobId);
      } catch (error) {
        update(jobId, (j) => ({ ...j, error: toServiceError(error).toJSON() }));
      }
    },

    async retryJob(jobId) {
      const old = get().jobs.find((j) => j.jobId === jobId);
      if (!old?.retry) return;
      try {
        const started = await get().startJob(old.retry, old.title);
        if (started) set((s) => ({ jobs: s.jobs.filter((j) => j.jobId !== jobId) }));
      } catch (error) {
        update(jobId, (j) => ({ ...j, state: 'failed', error: toServiceError(error).toJSON() }));
      }
    },

    dismissJob(jobId) {
      set((s) => ({ jobs: s.jobs.filter((j) => j.jobId !== jobId) }));
    },

    clearFinishedJobs() {
      set((s) => ({ jobs: s.jobs.filter((j) => !isFinished(j.state)) }));
    },

    setJobsPanelOpen(open) {
      set({ jobsPanelOpen: open });
    },

    jobStateChanged(event) {
      ensure(event.jobId, { kind: event.kind, ...(event.title ? { title: event.title } : {}) });
      update(event.jobId, (j) => {
        const next: JobEntry = { ...j, kind: event.kind, state: event.state, ...(event.title ? { title: event.title } : {}) };
        if (event.error) next.error = event.error;
        else if (event.state === 'running') delete next.error;
        if (event.state === 'done' && next.total > 0) next.bytes = next.total;
        return next;
      });
      const job = get().jobs.find((j) => j.jobId === event.jobId);
      if (job && isFinished(job.state)) set({ jobsAnnouncement: announcementOf(job) });
    },

    jobProgressed(event) {
      ensure(event.jobId, { state: 'running' });
      const now = Date.now();
      update(event.jobId, (j) => ({
        ...j,
        state: j.state === 'queued' ? 'running' : j.state,
        bytes: event.bytes,
        total: event.total,
        speed: j.updatedAt === undefined ? undefined : nextSpeed(j.speed, j.bytes, event.bytes, now - j.updatedAt),
        updatedAt: now,
        ...(event.current ? { current: event.current.title ?? event.current.digest } : {}),
      }));
    },
  };
};
