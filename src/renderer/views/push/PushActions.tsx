import { useEffect, useState } from 'react';
import { ConfirmDialog, ErrorBox, formatSize, ProgressBar, shortDigest } from '../../components/kit';
import { href } from '../../routes/routes';
import { isFinished } from '../../store/jobs-slice';
import { useAppStore } from '../../store/react';

/**
 * PushActions is the composer's foot: Push (only once the preview is there and the
 * draft has no problem), the running job's progress with Cancel, how it ended (the
 * digest and a link to it, or what failed and where, the draft kept), and Discard.
 */
export function PushActions() {
  const run = useAppStore((s) => s.pushRun);
  const job = useAppStore((s) => (s.pushRun ? s.jobs.find((j) => j.jobId === s.pushRun!.jobId) : undefined));
  const ready = useAppStore((s) => s.pushPreview !== null && s.pushProblems.length === 0);
  const settling = useAppStore((s) => s.pushSettling);
  const mode = useAppStore((s) => s.pushDraft?.mode ?? 'push');
  const runError = useAppStore((s) => s.pushRunError);
  const perFile = useAppStore((s) => s.pushFileProgress);
  const runPush = useAppStore((s) => s.runPush);
  const cancelPush = useAppStore((s) => s.cancelPush);
  const pushJobEnded = useAppStore((s) => s.pushJobEnded);
  const discardDraft = useAppStore((s) => s.discardDraft);
  const [confirming, setConfirming] = useState(false);
  const [discardError, setDiscardError] = useState<string>();
  const [starting, setStarting] = useState(false);

  const running = run !== null && !run.outcome && (!job || !isFinished(job.state));
  const jobState = job?.state;
  useEffect(() => {
    if (run && !run.outcome && jobState && isFinished(jobState)) void pushJobEnded(run.jobId);
  }, [run, jobState, pushJobEnded]);

  const outcome = run?.outcome;
  const verb = mode === 'attach' ? 'Attach' : 'Push';

  return (
    <section className="push-section push-actions" aria-label="Push">
      <div className="push-buttons">
        <button
          type="button"
          className="button button-primary"
          aria-disabled={!ready || running || starting || undefined}
          aria-describedby={!ready && !settling ? 'push-not-ready' : undefined}
          onClick={async () => {
            if (running || starting) return;
            setStarting(true);
            try {
              await runPush();
            } finally {
              setStarting(false);
            }
          }}
        >
          {starting ? `${verb}ing…` : verb}
        </button>
        {running && (
          <button type="button" className="button" onClick={() => void cancelPush()}>
            Cancel push
          </button>
        )}
        <span className="spacer" />
        <button type="button" className="button button-danger" disabled={running} onClick={() => setConfirming(true)}>
          Discard draft
        </button>
      </div>
      {!ready && !settling && !running && (
        <p className="hint" id="push-not-ready">
          Push is possible once the preview shows the manifest.
        </p>
      )}
      {running && job && (
        <div className="push-progress" aria-live="polite">
          <span>
            {job.title}
            {job.current ? `: ${job.current}` : ''} — {formatSize(job.bytes)}
            {job.total ? ` of ${formatSize(job.total)}` : ''}
            {job.speed ? `, ${formatSize(job.speed)}/s` : ''}
          </span>
          <ProgressBar value={job.bytes} max={job.total} label={`Progress of ${job.title}`} />
          {Object.keys(perFile).length > 0 && (
            <ul className="push-file-progress" aria-label="Progress per file">
              {Object.entries(perFile).map(([name, p]) => (
                <li key={name}>
                  <span>
                    {name}: {formatSize(p.bytes)} of {formatSize(p.size)}
                  </span>
                  <ProgressBar value={p.bytes} max={p.size} label={`Progress of ${name}`} />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {runError && <ErrorBox error={runError} />}
      {outcome?.state === 'done' && outcome.digest && (
        <div role="status" className="alert push-done">
          <strong>Pushed</strong> {run!.reference}: <code data-testid="push-done-digest">{outcome.digest}</code>.{' '}
          {outcome.registry && outcome.repository && (
            <a href={href({ name: 'manifest', registry: outcome.registry, repository: outcome.repository, digest: outcome.digest })}>Open {shortDigest(outcome.digest)} in the browser view</a>
          )}
        </div>
      )}
      {outcome?.state === 'failed' && outcome.error && (
        <>
          <ErrorBox error={outcome.error} />
          <p className="hint">The draft is kept: fix what the error says and push again.</p>
        </>
      )}
      {outcome?.state === 'cancelled' && <p role="status">Cancelled: no tag was written, and the draft is kept.</p>}
      {confirming && (
        <ConfirmDialog
          title="Discard the draft?"
          confirmLabel="Discard"
          danger
          error={discardError ? <p className="field-error">{discardError}</p> : undefined}
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            try {
              await discardDraft();
              setConfirming(false);
              setDiscardError(undefined);
            } catch (error) {
              setDiscardError(error instanceof Error ? error.message : String(error));
            }
          }}
        >
          <p>The files, media types, config, annotations and target you set are forgotten, and uploaded files are deleted. Files on your disk stay.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
