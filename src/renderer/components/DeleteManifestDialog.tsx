import { useEffect, useId, useState } from 'react';
import type { SerializedError } from '../../shared/error-codes';
import { toServiceError } from '../services/oras';
import { useAppStore } from '../store/react';
import { tagsOfDigest, type TagsOfDigest } from '../views/manifest/tags-of-digest';
import { ConfirmDialog, ErrorBox, Loading, shortDigest } from './kit';
import { useSubmit } from './use-submit';

interface DeleteManifestDialogProps {
  registry: string;
  repository: string;
  digest: string;
  /** The tag the view was opened by: then "only this tag" is offered too. */
  tag?: string;
  /** Called after the registry deleted it: what went, the manifest or one tag. */
  onDeleted(what: { digest: string; tagOnly?: string }): void;
  onClose(): void;
}

/**
 * DeleteManifestDialog asks before deleting a manifest: it names every tag that points
 * at the digest (they all go with it), says that the registry's garbage collection
 * frees the space later, and says plainly when the registry does not delete at all.
 * Opened by a tag, it offers deleting only that tag (where the registry can).
 */
export function DeleteManifestDialog({ registry, repository, digest, tag, onDeleted, onClose }: DeleteManifestDialogProps) {
  const id = useId();
  const listTags = useAppStore((s) => s.listTags);
  const tagDetails = useAppStore((s) => s.tagDetails);
  const deleteManifest = useAppStore((s) => s.deleteManifest);
  const [sharing, setSharing] = useState<TagsOfDigest | { error: SerializedError }>();
  const [what, setWhat] = useState<'manifest' | 'tag'>('manifest');
  const { busy, error, run } = useSubmit();

  useEffect(() => {
    let live = true;
    tagsOfDigest({ listTags, tagDetails }, { registry, repository }, digest).then(
      (found) => live && setSharing(found),
      (caught: unknown) => live && setSharing({ error: toServiceError(caught).toJSON() }),
    );
    return () => {
      live = false;
    };
  }, [listTags, tagDetails, registry, repository, digest]);

  const confirm = () =>
    run(async () => {
      const reference = what === 'tag' && tag ? tag : digest;
      const deleted = await deleteManifest({ registry, repository, reference });
      onDeleted(what === 'tag' && tag ? { digest: deleted, tagOnly: tag } : { digest: deleted });
    });

  const unsupported = error?.code === 'UNSUPPORTED';
  return (
    <ConfirmDialog
      title={what === 'tag' && tag ? `Delete tag ${tag}?` : `Delete ${repository}@${shortDigest(digest)}?`}
      confirmLabel={what === 'tag' ? 'Delete tag' : 'Delete manifest'}
      danger
      busy={busy}
      error={
        error && (
          <>
            {unsupported && <p className="delete-refused">This registry does not allow deleting (it refuses DELETE requests). Nothing was deleted.</p>}
            <ErrorBox error={error} />
          </>
        )
      }
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      {tag && (
        <fieldset className="field-group delete-choice">
          <legend>What to delete</legend>
          <div className="check">
            <input id={`${id}-manifest`} type="radio" name={`${id}-what`} checked={what === 'manifest'} onChange={() => setWhat('manifest')} />
            <label htmlFor={`${id}-manifest`}>The manifest, with every tag on it</label>
          </div>
          <div className="check">
            <input id={`${id}-tag`} type="radio" name={`${id}-what`} checked={what === 'tag'} onChange={() => setWhat('tag')} />
            <label htmlFor={`${id}-tag`}>Only the tag {tag} (where the registry can)</label>
          </div>
        </fieldset>
      )}
      {what === 'manifest' && (
        <>
          <p>
            The manifest <code>{digest}</code> will be deleted from {repository}, and with it every tag that points at it:
          </p>
          {sharing === undefined && <Loading label="Finding the tags that point at it…" />}
          {sharing && 'error' in sharing && <ErrorBox error={sharing.error} />}
          {sharing && 'tags' in sharing && (
            <p className="delete-tags">
              {sharing.tags.length === 0 ? 'No tag points at it.' : `Tags deleted with it: ${[...sharing.tags].sort().join(', ')}`}
              {sharing.partial && ' (only the first tags of this repository were checked; others may point at it too)'}
            </p>
          )}
        </>
      )}
      <p className="muted">Deleting frees no space at once: the registry's garbage collection does, when its operator runs it.</p>
    </ConfirmDialog>
  );
}
