import { useId, useRef, useState } from 'react';
import { applyAnnotationFile, parseAnnotationFile, problemsUnder } from '../../store/push-logic';
import { useAppStore } from '../../store/react';
import { AnnotationsEditor } from './AnnotationsEditor';
import { describedBy, FieldError } from './FieldError';

/**
 * ManifestSection edits the manifest itself: artifactType, annotations (typed, or
 * imported from an ORAS annotation file read in the page), image spec and the
 * Reproducible switch.
 */
export function ManifestSection({ errors }: { errors: Record<string, string> }) {
  const draft = useAppStore((s) => s.pushDraft);
  const editDraft = useAppStore((s) => s.editDraft);
  const picker = useRef<HTMLInputElement>(null);
  const [importError, setImportError] = useState<string>();
  const id = useId();
  if (!draft) return null;

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const parsed = parseAnnotationFile(await file.text());
      setImportError(undefined);
      editDraft((d) => applyAnnotationFile(d, parsed));
    } catch (error) {
      setImportError(error instanceof Error ? error.message : String(error));
    }
  };
  const artifactTypeError = errors['artifactType'];

  return (
    <section className="push-section" aria-labelledby="push-manifest-title">
      <h2 id="push-manifest-title">Manifest</h2>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-spec`}>Image spec</label>
          <select id={`${id}-spec`} className="control" value={draft.imageSpec} onChange={(e) => editDraft((d) => ({ ...d, imageSpec: e.target.value as 'v1.1' | 'v1.0' }))}>
            <option value="v1.1">1.1 (artifactType, empty config)</option>
            <option value="v1.0">1.0 (type in the config’s media type)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>Artifact type{draft.mode === 'attach' ? ' (required to attach)' : ''}</label>
          <input
            id={`${id}-type`}
            value={draft.artifactType}
            spellCheck={false}
            placeholder="application/vnd.example.thing"
            aria-invalid={artifactTypeError ? true : undefined}
            aria-describedby={describedBy(artifactTypeError && `${id}-type-error`)}
            onChange={(e) => editDraft((d) => ({ ...d, artifactType: e.target.value }))}
          />
          <FieldError id={`${id}-type-error`} message={artifactTypeError} />
        </div>
      </div>
      <div className="check">
        <input id={`${id}-repro`} type="checkbox" checked={draft.reproducible} aria-describedby={`${id}-repro-hint`} onChange={(e) => editDraft((d) => ({ ...d, reproducible: e.target.checked }))} />
        <label htmlFor={`${id}-repro`}>Reproducible</label>
        <p className="hint" id={`${id}-repro-hint`}>
          No created time; folders packed with fixed times, order and owners (SOURCE_DATE_EPOCH): the same input gives the same digest.
        </p>
      </div>
      <AnnotationsEditor label="Manifest annotations" value={draft.annotations} error={problemsUnder(errors, 'annotations')} onChange={(annotations) => editDraft((d) => ({ ...d, annotations }))} />
      <div className="push-import">
        <button type="button" className="button button-small" onClick={() => picker.current?.click()}>
          Import annotation file…
        </button>
        <input
          ref={picker}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Annotation file"
          onChange={(e) => {
            void importFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <FieldError id={`${id}-import-error`} message={importError} />
      </div>
    </section>
  );
}
