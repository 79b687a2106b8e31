import { useEffect, useId, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/react';
import { isFinished, secondsLeft, type JobEntry } from '../store/jobs-slice';
import { ErrorBox, ProgressBar, formatDuration, formatSize, visible } from './kit';
import '../views/manifest.css';

const STATE_WORDS: Record<JobEntry['state'], string> = {
  queued: 'Waiting',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * JobsPanel is the layout's "Transfers (n)" toggle (n: running now) and the panel it opens: every
 * transfer job with its progress, bytes, speed and time left, Cancel while it runs,
 * and its error with Retry when it failed. A live region says when one finishes or
 * fails, panel open or not. It subscribes the store to job events while mounted.
 */
export function JobsPanel() {
  const id = useId();
  const watchJobs = useAppStore((s) => s.watchJobs);
  const jobs = useAppStore(useShallow((s) => s.jobs));
  const open = useAppStore((s) => s.jobsPanelOpen);
  const setOpen = useAppStore((s) => s.setJobsPanelOpen);
  const clearFinished = useAppStore((s) => s.clearFinishedJobs);
  const announcement = useAppStore((s) => s.jobsAnnouncement);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLElement>(null);

  useEffect(() => watchJobs(), [watchJobs]);
  useEffect(() => {
    if (open) panelRef.current?.focus();
  }, [open]);

  const active = jobs.filter((j) => !isFinished(j.state)).length;
  const close = () => {
    setOpen(false);
    toggleRef.current?.focus();
  };

  return (
    <div className="jobs">
      <button
        ref={toggleRef}
        type="button"
        className="button button-small jobs-toggle"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen(!open)}
      >
        {active > 0 ? `Transfers (${active})` : 'Transfers'}
      </button>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {open && (
        <section
          ref={panelRef}
          id={`${id}-panel`}
          className="jobs-panel"
          aria-labelledby={`${id}-title`}
          tabIndex={-1}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              close();
            }
          }}
        >
          <header className="jobs-panel-header">
            <h2 id={`${id}-title`} className="jobs-title">
              Transfers
            </h2>
            {jobs.some((j) => isFinished(j.state)) && (
              <button type="button" className="button button-small" onClick={clearFinished}>
                Clear finished
              </button>
            )}
            <button type="button" className="button button-small" onClick={close}>
              Close
            </button>
          </header>
          {jobs.length === 0 ? (
            <p className="muted jobs-empty">No transfers yet. Downloads and pulls show here while they run.</p>
          ) : (
            <ul className="jobs-list">
              {jobs.map((job) => (
                <JobRow key={job.jobId} job={job} />
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}

function JobRow({ job }: { job: JobEntry }) {
  const cancelJob = useAppStore((s) => s.cancelJob);
  const retryJob = useAppStore((s) => s.retryJob);
  const dismissJob = useAppStore((s) => s.dismissJob);
  const title = visible(job.title);
  const left = secondsLeft(job);
  const running = !isFinished(job.state);
  return (
    <li className={`job job-${job.state}`} aria-label={title}>
      <div className="job-line">
        <span className="job-title">{title}</span>
        <span className="job-state">{STATE_WORDS[job.state]}</span>
      </div>
      {job.state !== 'failed' && job.state !== 'cancelled' && <ProgressBar value={job.bytes} max={job.total || undefined} label={`${title} progress`} />}
      <div className="job-line job-figures muted">
        <span>
          {formatSize(job.bytes)}
          {job.total > 0 ? ` of ${formatSize(job.total)}` : ''}
        </span>
        {running && job.speed !== undefined && <span>{formatSize(job.speed)}/s</span>}
        {running && left !== undefined && <span>{formatDuration(left)} left</span>}
        {job.current && running && <span className="job-current">{visible(job.current)}</span>}
      </div>
      {job.savedTo && job.state === 'done' && <p className="job-saved muted">Saved to {job.savedTo}</p>}
      {job.error && job.state !== 'cancelled' && <ErrorBox error={job.error} />}
      <div className="job-actions">
        {running && (
          <button type="button" className="button button-small" aria-label={`Cancel ${title}`} onClick={() => void cancelJob(job.jobId)}>
            Cancel
          </button>
        )}
        {(job.state === 'failed' || job.state === 'cancelled') && job.retry && (
          <button type="button" className="button button-small" aria-label={`Retry ${title}`} onClick={() => void retryJob(job.jobId)}>
            Retry
          </button>
        )}
        {!running && (
          <button type="button" className="button button-small" aria-label={`Dismiss ${title}`} onClick={() => dismissJob(job.jobId)}>
            Dismiss
          </button>
        )}
      </div>
    </li>
  );
}
