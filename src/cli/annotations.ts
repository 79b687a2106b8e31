import { readFile } from 'node:fs/promises';
import { quoted } from '../main/engine/echo';
import { UsageError } from './errors';

/** The keys of an annotation file that are not file names (ORAS's format). */
export const MANIFEST_KEY = '$manifest';
export const CONFIG_KEY = '$config';

/**
 * Annotations as ORAS groups them: for the manifest, for the config, and per file name.
 */
export interface AnnotationSet {
  manifest: Record<string, string>;
  config: Record<string, string>;
  files: Map<string, Record<string, string>>;
}

export function emptyAnnotations(): AnnotationSet {
  return { manifest: {}, config: {}, files: new Map() };
}

/**
 * parseAnnotationFlag reads one `-a key=value`: the key is everything before the first
 * "=", the value everything after (it may hold "=" itself, or be empty).
 */
export function parseAnnotationFlag(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq === -1) throw new UsageError(`annotation ${quoted(text)} has no "=": write --annotation key=value`);
  const key = text.slice(0, eq);
  if (key.trim() === '') throw new UsageError(`annotation ${quoted(text)} has an empty key: write --annotation key=value`);
  if (key !== key.trim()) throw new UsageError(`annotation key ${quoted(key)} has leading or trailing white space`);
  return [key, text.slice(eq + 1)];
}

/** parseAnnotationFlags turns repeated `-a key=value` into a map, refusing a key given twice. */
export function parseAnnotationFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const [key, value] = parseAnnotationFlag(flag);
    if (Object.hasOwn(out, key)) throw new UsageError(`annotation ${key} is given twice`);
    out[key] = value;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * parseAnnotationFile validates the JSON of an `--annotation-file`:
 *
 *   { "$manifest": { "key": "value" }, "$config": { … }, "<file name>": { … } }
 *
 * Every entry must be an object of string values. `where` names the file in errors.
 */
export function parseAnnotationJson(text: string, where: string): AnnotationSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`annotation file ${where} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(
      `annotation file ${where} must hold a JSON object like {"$manifest": {"key": "value"}, "<file name>": {"key": "value"}}, not ${describe(parsed)}`,
    );
  }
  const set = emptyAnnotations();
  for (const [name, entry] of Object.entries(parsed)) {
    const label = name === MANIFEST_KEY ? 'the manifest ("$manifest")' : name === CONFIG_KEY ? 'the config ("$config")' : `file ${JSON.stringify(name)}`;
    if (name === '') throw new UsageError(`annotation file ${where} has an entry with an empty name; use "$manifest", "$config" or a file name`);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new UsageError(`annotation file ${where}: the annotations of ${label} must be an object of strings, not ${describe(entry)}`);
    }
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
      if (key === '') throw new UsageError(`annotation file ${where}: ${label} has an annotation with an empty key`);
      if (typeof value !== 'string') {
        throw new UsageError(`annotation file ${where}: annotation ${quoted(key)} of ${label} must be a string, not ${describe(value)}`);
      }
      values[key] = value;
    }
    if (name === MANIFEST_KEY) set.manifest = values;
    else if (name === CONFIG_KEY) set.config = values;
    else set.files.set(name, values);
  }
  return set;
}

/** readAnnotationFile reads and validates an `--annotation-file`. */
export async function readAnnotationFile(file: string): Promise<AnnotationSet> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message;
    throw new UsageError(`cannot read annotation file ${file}: ${why}`);
  }
  return parseAnnotationJson(text, file);
}

/**
 * mergeAnnotations combines the annotation file and `-a` flags (which are manifest
 * annotations). A key set by both is refused, as ORAS does, rather than silently
 * picking one.
 */
export function mergeAnnotations(fromFile: AnnotationSet | undefined, flags: Record<string, string>): AnnotationSet {
  const set = fromFile ?? emptyAnnotations();
  for (const [key, value] of Object.entries(flags)) {
    if (Object.hasOwn(set.manifest, key)) {
      throw new UsageError(`annotation ${key} is given both by --annotation and in the annotation file's "$manifest"`);
    }
    set.manifest[key] = value;
  }
  return set;
}

/**
 * assertFileAnnotationsUsed refuses annotations for file names that are not pushed: a
 * typo in the annotation file would otherwise be ignored without a word.
 */
export function assertFileAnnotationsUsed(set: AnnotationSet, titles: readonly string[]): void {
  const known = new Set(titles);
  for (const name of set.files.keys()) {
    if (!known.has(name)) {
      const list = titles.length > 0 ? titles.map((t) => JSON.stringify(t)).join(', ') : 'none';
      throw new UsageError(`the annotation file has annotations for ${quoted(name)}, which is not among the files pushed (${list})`);
    }
  }
}
