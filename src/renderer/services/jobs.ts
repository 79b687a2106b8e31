import type { JobProgressEvent, JobStateEvent } from '../../shared/contract';
import { windowApi, type ApiSource } from './oras';

/** JobEventHandlers receive main's job events, as the jobs slice folds them in. */
export interface JobEventHandlers {
  onState(event: JobStateEvent): void;
  onProgress(event: JobProgressEvent): void;
}

/**
 * JobsService is the store's one door to job events (`job.state`, `job.progress`):
 * components never subscribe themselves. Cancelling a job is BrowseService's.
 */
export interface JobsService {
  /** watch subscribes to both events; the returned function unsubscribes. No page API: a no-op. */
  watch(handlers: JobEventHandlers): () => void;
}

export function createJobsService(source: ApiSource = windowApi): JobsService {
  return {
    watch(handlers) {
      const api = source();
      if (!api) return () => {};
      const offState = api.on('job.state', (event) => handlers.onState(event));
      const offProgress = api.on('job.progress', (event) => handlers.onProgress(event));
      return () => {
        offState();
        offProgress();
      };
    },
  };
}
