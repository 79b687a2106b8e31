import { useId, useState, type FormEvent } from 'react';
import { orasCommand } from '../../shared/oras-command';
import { useAppStore } from '../store/react';
import { parseTagList } from '../views/manifest/tag-input';
import { ErrorBox, shortDigest } from './kit';
import { Modal } from './Modal';
import { useSubmit } from './use-submit';

interface AddTagsDialogProps {
  registry: string;
  repository: string;
  digest: string;
  /** Called with the tags added, after the registry accepted them. */
  onDone(tags: string[]): void;
  onClose(): void;
}

/**
 * AddTagsDialog points more tags at a manifest (`tags.add`): tags typed separated by
 * commas or spaces, each checked before anything is sent; the registry's refusal stays
 * in the dialog. It also shows the `oras tag` line that does the same.
 */
export function AddTagsDialog({ registry, repository, digest, onDone, onClose }: AddTagsDialogProps) {
  const id = useId();
  const addTags = useAppStore((s) => s.addTags);
  const entry = useAppStore((s) => s.entries.find((e) => e.id === registry));
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const { busy, error, run } = useSubmit();
  const parsed = parseTagList(text);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (parsed.error) {
      setFieldError(parsed.error);
      return;
    }
    setFieldError(undefined);
    await run(async () => {
      onDone(await addTags({ registry, repository, digest, tags: parsed.tags }));
    });
  };

  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose}>
      <form className="modal-form" noValidate onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <h2 id={`${id}-title`} className="modal-title">
          Add tags to {repository}@{shortDigest(digest)}
        </h2>
        <div className="modal-body">
          <div className="field">
            <label htmlFor={`${id}-tags`}>New tags</label>
            <input
              id={`${id}-tags`}
              type="text"
              spellCheck={false}
              autoComplete="off"
              value={text}
              data-autofocus
              onChange={(e) => setText(e.target.value)}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={`${id}-hint${fieldError ? ` ${id}-error` : ''}`}
            />
            <p className="hint" id={`${id}-hint`}>
              Separate tags with commas or spaces. A tag that exists moves to this manifest.
            </p>
            {fieldError && (
              <p className="field-error" id={`${id}-error`}>
                {fieldError}
              </p>
            )}
          </div>
          {!parsed.error && (
            <p className="hint">
              Same as <code>{orasCommand({ kind: 'tag', registry, repository, reference: digest, tags: parsed.tags }, entry)}</code>
            </p>
          )}
          {error && <ErrorBox error={error} />}
        </div>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? 'Adding…' : 'Add tags'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
