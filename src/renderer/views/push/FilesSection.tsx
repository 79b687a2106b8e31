import { useId, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { DraftFile, DraftStagedFile, MediaTypeSuggestion } from '../../../shared/push';
import { formatSize, ProgressBar } from '../../components/kit';
import { ErrorBox } from '../../components/kit';
import { useAppStore } from '../../store/react';
import { AnnotationsEditor } from './AnnotationsEditor';
import { describedBy, FieldError } from './FieldError';
import { droppedFiles, pickedFolder, stageDropped } from './dropped-files';
import { problemsUnder } from '../../store/push-logic';

/** LAYER_DRAG is the drag data type of a row being reordered, so a row dropped is never taken for files. */
export const LAYER_DRAG = 'application/x-oras-layer-index';

/** hasFiles tells a drag of files (from the desktop) from anything else. */
export const hasFiles = (event: DragEvent | globalThis.DragEvent): boolean => Array.from(event.dataTransfer?.types ?? []).includes('Files');

/**
 * FilesSection is the composer's files: the drop zone with a file and a folder picker,
 * uploads in flight, and the ordered list of layers (the first is the first layer).
 */
export function FilesSection({ errors }: { errors: Record<string, string> }) {
  const files = useAppStore((s) => s.pushDraft?.files ?? []);
  const staged = useAppStore((s) => s.pushStaged);
  const suggestions = useAppStore((s) => s.pushSuggestions);
  const uploads = useAppStore((s) => s.pushUploads);
  const stageError = useAppStore((s) => s.pushStageError);
  const stageFiles = useAppStore((s) => s.stageFiles);
  const stageProblem = useAppStore((s) => s.stageProblem);
  const pickFolder = useAppStore((s) => s.pickFolder);
  const browserMode = useAppStore((s) => s.appInfo?.mode === 'browser');
  const [over, setOver] = useState(false);
  const filePicker = useRef<HTMLInputElement>(null);
  const folderPicker = useRef<HTMLInputElement>(null);
  const hintId = useId();

  const onDrop = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    setOver(false);
    stageDropped(droppedFiles(event.dataTransfer, browserMode), { stageFiles, stageProblem });
  };

  return (
    <section className="push-section" aria-labelledby="push-files-title">
      <h2 id="push-files-title">Files</h2>
      <div
        className={`push-drop-zone${over ? ' push-drop-zone-over' : ''}`}
        data-testid="push-drop-zone"
        aria-describedby={hintId}
        onDragOver={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p id={hintId}>
          Drop files or folders here{browserMode ? ' (they are uploaded to ORAS Desktop’s staging folder)' : ''}, or
        </p>
        <div className="push-drop-actions">
          <button type="button" className="button" onClick={() => filePicker.current?.click()}>
            Choose files…
          </button>
          <button type="button" className="button" onClick={() => (browserMode ? folderPicker.current?.click() : void pickFolder())}>
            Choose a folder…
          </button>
        </div>
        <input
          ref={filePicker}
          type="file"
          multiple
          hidden
          aria-label="Files to push"
          onChange={(e) => {
            void stageFiles(Array.from(e.target.files ?? []));
            e.target.value = '';
          }}
        />
        <input
          ref={folderPicker}
          type="file"
          hidden
          aria-label="Folder to push"
          {...({ webkitdirectory: '' } as Record<string, string>)}
          onChange={(e) => {
            stageDropped(Promise.resolve(pickedFolder(e.target.files)), { stageFiles, stageProblem });
            e.target.value = '';
          }}
        />
      </div>
      {uploads.map((u) => (
        <div className="push-upload" key={u.id}>
          <span>
            {browserMode ? 'Uploading' : 'Adding'} {u.names.length === 1 ? u.names[0] : `${u.names.length} files`}
            {browserMode ? ` ${formatSize(u.sent)} of ${formatSize(u.size)}` : ` (${formatSize(u.size)})`}…
          </span>
          {/* Electron names paths and sends no bytes: its bar stays indeterminate. */}
          <ProgressBar value={u.sent} {...(browserMode ? { max: u.size } : {})} label={`Uploading ${u.names.join(', ')}`} />
        </div>
      ))}
      {stageError && <ErrorBox error={stageError} />}
      <FieldError id="push-files-error" message={errors['files']} />
      {files.length === 0 ? (
        <p className="hint">No files yet. Each file becomes one layer, in the order listed; a folder becomes one tar+gzip layer.</p>
      ) : (
        <ol className="push-file-list" aria-label="Files, in layer order">
          {files.map((file, i) => (
            <FileRow key={file.stagedId} index={i} count={files.length} file={file} staged={staged[file.stagedId]} suggestions={suggestions[file.stagedId]} errors={errors} />
          ))}
        </ol>
      )}
    </section>
  );
}

interface FileRowProps {
  index: number;
  count: number;
  file: DraftFile;
  staged: DraftStagedFile | undefined;
  suggestions: MediaTypeSuggestion[] | undefined;
  errors: Record<string, string>;
}

/** FileRow is one layer: title, size, media type with suggestions, annotations, reorder and remove. */
function FileRow({ index, count, file, staged, suggestions, errors }: FileRowProps) {
  const editDraft = useAppStore((s) => s.editDraft);
  const moveFile = useAppStore((s) => s.moveFile);
  const removeFile = useAppStore((s) => s.removeFile);
  const recent = useAppStore((s) => s.pushRecentMediaTypes);
  const id = useId();
  const name = file.title || staged?.name || `file ${index + 1}`;
  const path = `files[${index}]`;
  const mediaTypeError = errors[`${path}.mediaType`];
  const titleError = errors[`${path}.title`] ?? errors[`${path}.stagedId`] ?? errors[path];
  const annotationsError = problemsUnder(errors, `${path}.annotations`);
  const [dragOver, setDragOver] = useState(false);

  const setFile = (change: Partial<DraftFile>) => editDraft((d) => ({ ...d, files: d.files.map((f, i) => (i === index ? { ...f, ...change } : f)) }));

  const onKeyDown = (event: KeyboardEvent) => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    moveFile(index, index + (event.key === 'ArrowUp' ? -1 : 1));
  };

  const options = [...(suggestions ?? []), ...recent.filter((t) => !suggestions?.some((s) => s.mediaType === t)).map((t) => ({ mediaType: t, reason: 'used lately' }))];

  return (
    <li
      className={`push-file${dragOver ? ' push-file-drag-over' : ''}`}
      aria-label={name}
      onKeyDown={onKeyDown}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(LAYER_DRAG)) return;
        e.preventDefault();
        setDragOver(true);
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={(e) => {
        const from = e.dataTransfer.getData(LAYER_DRAG);
        if (from === '') return;
        e.preventDefault();
        setDragOver(false);
        moveFile(Number(from), index);
      }}
    >
      <div className="push-file-head">
        <span
          className="push-file-handle"
          draggable
          title="Drag to reorder (or Alt+↑/↓)"
          aria-hidden="true"
          onDragStart={(e) => {
            e.dataTransfer.setData(LAYER_DRAG, String(index));
            e.dataTransfer.effectAllowed = 'move';
          }}
        >
          ⠿
        </span>
        <span className="push-file-order">{index + 1}.</span>
        <div className="field push-file-title">
          <label htmlFor={`${id}-title`} className="visually-hidden">
            Title of {name}
          </label>
          <input
            id={`${id}-title`}
            value={file.title}
            spellCheck={false}
            aria-invalid={titleError ? true : undefined}
            aria-describedby={describedBy(titleError && `${id}-title-error`)}
            onChange={(e) => setFile({ title: e.target.value })}
          />
        </div>
        <span className="push-file-size">
          {staged?.missing ? <span className="field-error">missing: drop it again</span> : staged?.kind === 'directory' ? 'folder (tar+gzip)' : staged ? formatSize(staged.size) : ''}
        </span>
        <div className="push-file-buttons">
          <button type="button" className="button button-small" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => moveFile(index, index - 1)}>
            ↑
          </button>
          <button type="button" className="button button-small" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => moveFile(index, index + 1)}>
            ↓
          </button>
          <button type="button" className="button button-small" aria-label={`Remove ${name}`} onClick={() => removeFile(index)}>
            Remove
          </button>
        </div>
      </div>
      <FieldError id={`${id}-title-error`} message={titleError} />
      <div className="field push-file-media-type">
        <label htmlFor={`${id}-mt`}>
          Media type<span className="visually-hidden"> of {name}</span>
        </label>
        <input
          id={`${id}-mt`}
          value={file.mediaType}
          list={`${id}-mt-list`}
          spellCheck={false}
          placeholder={options[0]?.mediaType ?? (staged?.kind === 'directory' ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar')}
          aria-invalid={mediaTypeError ? true : undefined}
          aria-describedby={describedBy(mediaTypeError && `${id}-mt-error`, options[0] && `${id}-mt-hint`)}
          onChange={(e) => setFile({ mediaType: e.target.value })}
        />
        <datalist id={`${id}-mt-list`}>
          {options.map((o) => (
            <option key={o.mediaType} value={o.mediaType} label={o.reason} />
          ))}
        </datalist>
        <FieldError id={`${id}-mt-error`} message={mediaTypeError} />
        {options[0] && !file.mediaType && (
          <p className="hint" id={`${id}-mt-hint`}>
            Suggested: <button type="button" className="link-button" onClick={() => setFile({ mediaType: options[0]!.mediaType })}>{options[0].mediaType}</button> ({options[0].reason})
          </p>
        )}
      </div>
      <details className="push-file-annotations" open={Object.keys(file.annotations).length > 0 || Boolean(annotationsError) || undefined}>
        <summary>Annotations of {name} ({Object.keys(file.annotations).length})</summary>
        <AnnotationsEditor label={`Annotations of ${name}`} value={file.annotations} error={annotationsError} onChange={(annotations) => setFile({ annotations })} />
      </details>
    </li>
  );
}
