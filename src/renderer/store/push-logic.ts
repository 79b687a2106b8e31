import { pushDraftSchema, type DraftProblem, type PushDraft } from '../../shared/push';

/**
 * Pure rules of the push composer, kept out of the slice and the components so they
 * are tested alone: an empty draft, reordering, problems grouped by the control that
 * shows them, and reading an ORAS annotation file.
 */

/** emptyDraft is a draft with every default of the contract (image-spec 1.1, no config). */
export function emptyDraft(): PushDraft {
  return pushDraftSchema.parse({});
}

/** moveItem returns a copy of `items` with the item at `from` moved to `to` (clamped); same list when nothing moves. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(items.length - 1, to));
  if (from < 0 || from >= items.length || from === target) return [...items];
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(target, 0, item!);
  return copy;
}

/**
 * problemsByField groups main's problems by the draft path they name
 * (`files[0].mediaType`, `config.text`, `target.tags[1]`), the key each control looks
 * itself up by; several problems of one field are joined in one message.
 */
export function problemsByField(problems: readonly DraftProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) out[p.field] = out[p.field] ? `${out[p.field]} ${p.message}` : p.message;
  return out;
}

/**
 * problemsUnder lists the messages for a field and everything below it
 * (`target.tags` also gets `target.tags[1]`; `files[0].annotations` gets its keys'),
 * for controls that show one line for a group of values.
 */
export function problemsUnder(byField: Record<string, string>, prefix: string): string | undefined {
  const hits = Object.entries(byField)
    .filter(([field]) => field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`))
    .map(([, message]) => message);
  return hits.length ? hits.join(' ') : undefined;
}

/** fieldsShownInline are the fields the composer shows next to a control; anything else goes in the summary. */
export function isShownInline(field: string): boolean {
  return /^(files\[\d+\]\.(mediaType|title|annotations.*)|files|config\.(text|mediaType|stagedId)|config|artifactType|annotations.*|subject|target\.(registry|repository|tags.*))$/.test(field);
}

/** AnnotationFile is what an ORAS annotation file gives: the manifest's, and per file title. */
export interface AnnotationFile {
  manifest: Record<string, string>;
  files: Record<string, Record<string, string>>;
}

/**
 * parseAnnotationFile reads an ORAS annotation file (`oras push --annotation-file`):
 * `{"$manifest": {...}, "<title>": {...}}`, every value a string. Throws an Error saying
 * what is wrong, for the composer to show next to the import button.
 */
export function parseAnnotationFile(text: string): AnnotationFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`The annotation file is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('The annotation file must be a JSON object: {"$manifest": {…}, "<file title>": {…}}.');
  const out: AnnotationFile = { manifest: {}, files: {} };
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`"${key}" in the annotation file must be an object of strings.`);
    const entries: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v !== 'string') throw new Error(`The annotation "${k}" of "${key}" must be a string.`);
      entries[k] = v;
    }
    if (key === '$manifest') out.manifest = entries;
    else if (key !== '$config') out.files[key] = entries;
  }
  return out;
}

/** applyAnnotationFile merges an annotation file into a draft: manifest annotations, and each file's by its title. */
export function applyAnnotationFile(draft: PushDraft, file: AnnotationFile): PushDraft {
  return {
    ...draft,
    annotations: { ...draft.annotations, ...file.manifest },
    files: draft.files.map((f) => (file.files[f.title] ? { ...f, annotations: { ...f.annotations, ...file.files[f.title] } } : f)),
  };
}

/** jsonError says why typed config JSON does not parse; undefined when it does (or is empty). */
export function jsonError(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `Not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** referenceOf is the exact reference a draft's target names, as the composer shows it while typing. */
export function referenceOf(draft: PushDraft): string {
  const { registry, repository, tags } = draft.target;
  if (!registry || !repository) return '';
  const base = registry === 'local' ? `local/${repository}` : `${registry}/${repository}`;
  const named = tags.filter((t) => t !== '');
  return named.length ? `${base}:${named.join(',')}` : base;
}
