import { useId, useRef } from 'react';
import type { DraftConfig } from '../../../shared/push';
import { formatSize } from '../../components/kit';
import { jsonError } from '../../store/push-logic';
import { useAppStore } from '../../store/react';
import { describedBy, FieldError } from './FieldError';

const KINDS: { kind: DraftConfig['kind']; label: string }[] = [
  { kind: 'none', label: 'None' },
  { kind: 'file', label: 'A file' },
  { kind: 'inline', label: 'JSON typed here' },
];

/**
 * ConfigSection chooses the manifest's config: none (image-spec 1.1's empty
 * descriptor), a staged file, or JSON typed in and checked as it is typed; each but
 * none with its own media type.
 */
export function ConfigSection({ errors }: { errors: Record<string, string> }) {
  const config = useAppStore((s) => s.pushDraft?.config ?? ({ kind: 'none' } as DraftConfig));
  const staged = useAppStore((s) => (config.kind === 'file' ? s.pushStaged[config.stagedId] : undefined));
  const editDraft = useAppStore((s) => s.editDraft);
  const stageFiles = useAppStore((s) => s.stageFiles);
  const picker = useRef<HTMLInputElement>(null);
  const id = useId();

  const setConfig = (next: DraftConfig) => editDraft((d) => ({ ...d, config: next }));
  const mediaType = config.kind === 'none' ? '' : config.mediaType;
  const choose = (kind: DraftConfig['kind']) => {
    if (kind === config.kind) return;
    if (kind === 'none') setConfig({ kind: 'none' });
    else if (kind === 'inline') setConfig({ kind: 'inline', text: '{}', mediaType });
    else picker.current?.click();
  };
  const typedError = config.kind === 'inline' ? (jsonError(config.text) ?? errors['config.text']) : undefined;
  const fileError = errors['config.stagedId'] ?? errors['config'];

  return (
    <section className="push-section" aria-labelledby="push-config-title">
      <h2 id="push-config-title">Config</h2>
      <fieldset className="push-radios">
        <legend>Config</legend>
        {KINDS.map((k) => (
          <label key={k.kind} className="push-radio">
            <input type="radio" name={`${id}-kind`} value={k.kind} checked={config.kind === k.kind} onChange={() => choose(k.kind)} />
            {k.label}
          </label>
        ))}
      </fieldset>
      <input
        ref={picker}
        type="file"
        hidden
        aria-label="Config file"
        onChange={(e) => {
          void stageFiles(Array.from(e.target.files ?? []).slice(0, 1), 'config');
          e.target.value = '';
        }}
      />
      {config.kind === 'none' && <p className="hint">No config: image spec 1.1’s empty config (<code>{'{}'}</code>, application/vnd.oci.empty.v1+json).</p>}
      {config.kind === 'file' && (
        <p className="push-config-file">
          {staged ? `${staged.name} (${formatSize(staged.size)})` : 'The config file'}
          {staged?.missing && <span className="field-error"> missing: choose it again</span>}{' '}
          <button type="button" className="button button-small" onClick={() => picker.current?.click()}>
            Choose another…
          </button>
        </p>
      )}
      <FieldError id={`${id}-file-error`} message={config.kind === 'file' ? fileError : undefined} />
      {config.kind === 'inline' && (
        <div className="field">
          <label htmlFor={`${id}-json`}>Config JSON</label>
          <textarea
            id={`${id}-json`}
            className="control push-json"
            rows={6}
            spellCheck={false}
            value={config.text}
            aria-invalid={typedError ? true : undefined}
            aria-describedby={describedBy(typedError && `${id}-json-error`)}
            onChange={(e) => setConfig({ ...config, text: e.target.value })}
          />
          <FieldError id={`${id}-json-error`} message={typedError} />
        </div>
      )}
      {config.kind !== 'none' && (
        <div className="field">
          <label htmlFor={`${id}-mt`}>Config media type</label>
          <input
            id={`${id}-mt`}
            value={mediaType}
            spellCheck={false}
            placeholder="application/vnd.oci.image.config.v1+json"
            aria-invalid={errors['config.mediaType'] ? true : undefined}
            aria-describedby={describedBy(errors['config.mediaType'] && `${id}-mt-error`)}
            onChange={(e) => setConfig({ ...config, mediaType: e.target.value })}
          />
          <FieldError id={`${id}-mt-error`} message={errors['config.mediaType']} />
        </div>
      )}
    </section>
  );
}
