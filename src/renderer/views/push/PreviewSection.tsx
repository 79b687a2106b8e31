import { useShallow } from 'zustand/react/shallow';
import { CommandLine } from '../../components/CommandLine';
import { CopyButton, ErrorBox, formatSize, ProgressBar } from '../../components/kit';
import { useAppStore } from '../../store/react';

/**
 * PreviewSection shows what a push would write, computed by main before any upload:
 * the manifest's exact JSON and digest, whether the target has it already, and the
 * `oras push` line that gives the same digest. Hashing large files runs as a job in
 * main; its progress shows here while the preview waits for it.
 */
export function PreviewSection({ otherProblems }: { otherProblems: string[] }) {
  const preview = useAppStore((s) => s.pushPreview);
  const error = useAppStore((s) => s.pushPreviewError);
  const settling = useAppStore((s) => s.pushSettling);
  const problems = useAppStore((s) => s.pushProblems.length);
  const hashing = useAppStore(useShallow((s) => s.jobs.filter((j) => j.kind === 'hash' && (j.state === 'running' || j.state === 'queued'))));

  return (
    <section className="push-section push-preview" aria-labelledby="push-preview-title" aria-busy={settling || undefined}>
      <h2 id="push-preview-title">Preview</h2>
      {hashing.map((job) => (
        <div className="push-hashing" key={job.jobId}>
          <span>
            {job.title}
            {job.current ? `: ${job.current}` : ''} ({formatSize(job.bytes)}
            {job.total ? ` of ${formatSize(job.total)}` : ''})
          </span>
          <ProgressBar value={job.bytes} max={job.total} label={job.title} />
        </div>
      ))}
      {settling && <p className="hint" role="status">Updating the preview…</p>}
      {!settling && problems > 0 && (
        <div role="status" className="push-problems">
          <p>
            {problems === 1 ? 'One thing to fix' : `${problems} things to fix`} before pushing (shown next to each field).
          </p>
          {otherProblems.length > 0 && (
            <ul>
              {otherProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && !settling && <ErrorBox error={error} />}
      {!preview && !error && !settling && problems === 0 && hashing.length === 0 && (
        <p className="hint">The manifest and its digest show here as soon as the draft has a target and something to push.</p>
      )}
      {preview && (
        <div className={settling ? 'push-preview-stale' : undefined}>
          <dl className="push-facts">
            <dt>Digest</dt>
            <dd>
              <code data-testid="push-preview-digest">{preview.digest}</code> <CopyButton text={preview.digest} label="Copy manifest digest" />
            </dd>
            <dt>Size</dt>
            <dd>
              {formatSize(preview.size)} manifest; {preview.layers.length} {preview.layers.length === 1 ? 'layer' : 'layers'},{' '}
              {formatSize(preview.layers.reduce((n, l) => n + l.size, 0) + preview.config.size)} of content
            </dd>
            <dt>Target</dt>
            <dd>
              <code>{preview.reference}</code>
              {preview.exists === true && <strong className="push-exists"> Nothing to upload: it is there already{preview.reference.includes(':') ? ' (tags will still be written)' : ''}.</strong>}
              {preview.existsError && <span className="hint"> Could not ask whether it is there: {preview.existsError.message}</span>}
            </dd>
          </dl>
          <pre className="push-manifest-json" tabIndex={0} role="region" aria-label="Manifest JSON">
            {formatJson(preview.manifest)}
          </pre>
          <CommandLine command={preview.command.line} label="Same with the CLI" />
          {preview.command.cwd && (
            <p className="hint">
              Run it in <code>{preview.command.cwd}</code>
              {preview.command.prepared
                ? `, a folder the app made with a link to each file under its title${preview.command.files.length > 0 ? ` and ${preview.command.files.map((f) => f.name).join(', ')}` : ''}`
                : ''}
              .
            </p>
          )}
          {preview.command.files.length > 0 && !preview.command.prepared && (
            <p className="hint">
              The line reads {preview.command.files.map((f) => f.name).join(', ')}: write {preview.command.files.length === 1 ? 'it' : 'them'} next to the files first.
            </p>
          )}
          {preview.command.note && <p className="hint">{preview.command.note}</p>}
        </div>
      )}
    </section>
  );
}

/** formatJson indents the manifest for reading; the digest is of the exact bytes above it, not of this. */
function formatJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
