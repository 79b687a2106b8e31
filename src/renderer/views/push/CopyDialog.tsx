import { useId, useState, type FormEvent } from 'react';
import { ErrorBox, shortDigest } from '../../components/kit';
import { Modal } from '../../components/Modal';
import { useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../store/react';

interface CopyDialogProps {
  registry: string;
  repository: string;
  digest: string;
  tag?: string | undefined;
  /** Called once main started the copy job (the Transfers panel follows it). */
  onStarted(reference: string): void;
  onClose(): void;
}

/**
 * CopyDialog copies a manifest (`artifacts.copy`) to another saved registry, repository
 * or the local layouts, with its referrers when asked; blobs already there are skipped
 * and a mount is used within one registry (main decides). The job shows in Transfers.
 */
export function CopyDialog({ registry, repository, digest, tag, onStarted, onClose }: CopyDialogProps) {
  const id = useId();
  const entries = useAppStore((s) => s.entries);
  const copyArtifact = useAppStore((s) => s.copyArtifact);
  const [toRegistry, setToRegistry] = useState(entries.find((e) => e.id !== registry)?.id ?? registry);
  const [toRepository, setToRepository] = useState(repository);
  const [toTag, setToTag] = useState(tag ?? '');
  const [referrers, setReferrers] = useState(false);
  const { busy, error, run } = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const started = await copyArtifact({
        from: { registry, repository, reference: digest },
        to: { registry: toRegistry, repository: toRepository.trim(), ...(toTag.trim() ? { tag: toTag.trim() } : {}) },
        referrers,
      });
      onStarted(started.reference);
    });
  };

  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose}>
      <form className="modal-form" noValidate onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <h2 id={`${id}-title`} className="modal-title">
          Copy {repository}@{shortDigest(digest)}
        </h2>
        <div className="modal-body">
          <div className="field">
            <label htmlFor={`${id}-registry`}>Copy to registry</label>
            <select id={`${id}-registry`} className="control copy-select" value={toRegistry} data-autofocus onChange={(e) => setToRegistry(e.target.value)}>
              {entries.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.id === 'local' ? 'Local OCI layouts' : e.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-repo`}>Repository</label>
              <input id={`${id}-repo`} type="text" spellCheck={false} value={toRepository} onChange={(e) => setToRepository(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-tag`}>Tag (optional)</label>
              <input id={`${id}-tag`} type="text" spellCheck={false} value={toTag} onChange={(e) => setToTag(e.target.value)} />
            </div>
          </div>
          <div className="check">
            <input id={`${id}-referrers`} type="checkbox" checked={referrers} onChange={(e) => setReferrers(e.target.checked)} />
            <label htmlFor={`${id}-referrers`}>With its referrers (signatures, SBOMs…)</label>
          </div>
          {error && <ErrorBox error={error} />}
        </div>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? 'Copying…' : 'Copy'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
