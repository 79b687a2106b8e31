import { useEffect, useId, useState } from 'react';
import { problemsUnder, referenceOf } from '../../store/push-logic';
import { useAppStore } from '../../store/react';
import { describedBy, FieldError } from './FieldError';

/** parseTags reads the tags box: words split by commas or spaces. */
export const parseTags = (text: string): string[] => text.split(/[\s,]+/).filter((t) => t !== '');

/**
 * TargetSection says where the draft goes: a sidebar registry (or the local layouts),
 * the repository (suggested from the catalog's first page and recent ones), tags, and
 * in attach mode the subject; the exact reference is shown under it.
 */
export function TargetSection({ errors }: { errors: Record<string, string> }) {
  const draft = useAppStore((s) => s.pushDraft);
  const entries = useAppStore((s) => s.entries);
  const recents = useAppStore((s) => s.recents);
  const editDraft = useAppStore((s) => s.editDraft);
  const listRepositories = useAppStore((s) => s.listRepositories);
  const previewReference = useAppStore((s) => s.pushPreview?.reference);
  const id = useId();
  const registry = draft?.target.registry ?? '';
  const [catalog, setCatalog] = useState<string[]>([]);
  const [tagsText, setTagsText] = useState(() => draft?.target.tags.join(', ') ?? '');
  const tags = draft?.target.tags;

  useEffect(() => {
    if (!registry) return;
    let live = true;
    listRepositories({ registry, pageSize: 100 })
      .then((page) => live && setCatalog(page.repositories ?? []))
      .catch(() => live && setCatalog([]));
    return () => {
      live = false;
    };
  }, [registry, listRepositories]);

  // The tags changed from outside (a fresh draft, "Push to this repository"): show them.
  useEffect(() => {
    if (tags && parseTags(tagsText).join(',') !== tags.join(',')) setTagsText(tags.join(', '));
  }, [tags]);

  if (!draft) return null;
  const suggestions = [...new Set([...(recents[registry] ?? []), ...catalog])];
  const setTarget = (change: Partial<typeof draft.target>) => editDraft((d) => ({ ...d, target: { ...d.target, ...change } }));
  const tagsError = problemsUnder(errors, 'target.tags');
  const reference = previewReference ?? referenceOf(draft);

  return (
    <section className="push-section" aria-labelledby="push-target-title">
      <h2 id="push-target-title">Target</h2>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-mode`}>Mode</label>
          <select id={`${id}-mode`} className="control" value={draft.mode} onChange={(e) => editDraft((d) => ({ ...d, mode: e.target.value as 'push' | 'attach' }))}>
            <option value="push">Push a new artifact</option>
            <option value="attach">Attach to a manifest (referrer)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-registry`}>Registry</label>
          <select
            id={`${id}-registry`}
            className="control"
            value={registry}
            aria-invalid={errors['target.registry'] ? true : undefined}
            aria-describedby={describedBy(errors['target.registry'] && `${id}-registry-error`)}
            onChange={(e) => setTarget({ registry: e.target.value })}
          >
            <option value="">Choose…</option>
            {entries.map((e) => (
              <option key={e.id} value={e.id}>
                {e.id === 'local' ? 'Local OCI layouts' : e.label}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-registry-error`} message={errors['target.registry']} />
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-repo`}>Repository</label>
          <input
            id={`${id}-repo`}
            value={draft.target.repository}
            list={`${id}-repo-list`}
            spellCheck={false}
            autoComplete="off"
            placeholder="mystuff/myrocket"
            aria-invalid={errors['target.repository'] ? true : undefined}
            aria-describedby={describedBy(errors['target.repository'] && `${id}-repo-error`)}
            onChange={(e) => setTarget({ repository: e.target.value })}
          />
          <datalist id={`${id}-repo-list`}>
            {suggestions.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
          <FieldError id={`${id}-repo-error`} message={errors['target.repository']} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-tags`}>Tags</label>
          <input
            id={`${id}-tags`}
            value={tagsText}
            spellCheck={false}
            placeholder="v1, latest"
            aria-invalid={tagsError ? true : undefined}
            aria-describedby={describedBy(`${id}-tags-hint`, tagsError && `${id}-tags-error`)}
            onChange={(e) => {
              setTagsText(e.target.value);
              setTarget({ tags: parseTags(e.target.value) });
            }}
          />
          <p className="hint" id={`${id}-tags-hint`}>
            Separated by commas or spaces{draft.mode === 'attach' ? '; usually none for a referrer' : ''}.
          </p>
          <FieldError id={`${id}-tags-error`} message={tagsError} />
        </div>
      </div>
      {draft.mode === 'attach' && (
        <div className="field">
          <label htmlFor={`${id}-subject`}>Subject (tag or digest in this repository)</label>
          <input
            id={`${id}-subject`}
            value={draft.subject}
            spellCheck={false}
            placeholder="v1 or sha256:…"
            aria-invalid={errors['subject'] ? true : undefined}
            aria-describedby={describedBy(errors['subject'] && `${id}-subject-error`)}
            onChange={(e) => editDraft((d) => ({ ...d, subject: e.target.value }))}
          />
          <FieldError id={`${id}-subject-error`} message={errors['subject']} />
        </div>
      )}
      <p className="push-reference">
        {reference ? (
          <>
            Goes to <code data-testid="push-reference">{reference}</code>
          </>
        ) : (
          'Choose a registry and a repository.'
        )}
      </p>
    </section>
  );
}
