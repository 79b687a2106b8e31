import path from 'node:path';
import type { RegistryEntry } from '../../../shared/contract';
import { connectionFlags, shellQuote } from '../../../shared/oras-command';
import type { OrasPushCommand } from '../../../shared/push';
import { Annotation } from '../../engine/descriptor';
import { MediaType } from '../../engine/media-type';
import type { CheckedDraft } from './draft-check';

/** Names of the helper files the command line needs next to it. */
export const COMMAND_CONFIG_FILE = 'oras-desktop-config.json';
export const COMMAND_ANNOTATION_FILE = 'oras-desktop-annotations.json';

export interface CommandContext {
  /** `local`: the folder of the repository's OCI layout; remote: unused. */
  layoutFolder?: string;
  /** The registry's sidebar row, for its connection flags. */
  entry?: RegistryEntry;
  /** The created annotation the manifest carries (not reproducible): passed with -a so the line gives the same digest. */
  created?: string;
  /**
   * Main's `SOURCE_DATE_EPOCH` ('' when unset): folder tars store it as their time, so
   * a line packing folders sets it the same way in front, whatever the user's shell has.
   */
  sourceDateEpoch?: string;
}

/**
 * pushCommand writes the `oras push` (or `oras attach`) that, run in `cwd` after
 * writing `files` there, pushes the very manifest the preview shows: files by their
 * titles (cwd is their folder), the config by its path (or an inline config written to
 * a file), per-file annotations through ORAS's annotation file, the created time
 * pinned with `-a` unless reproducible. When the titles are not the files' own names
 * in one folder, `note` says what to arrange first.
 */
export function pushCommand(draft: CheckedDraft, context: CommandContext = {}): OrasPushCommand {
  const words = ['oras', draft.mode];
  const local = draft.registry === 'local';
  const name = local ? (context.layoutFolder ?? path.join('oci-layout', draft.repository)) : `${draft.registry}/${draft.repository}`;
  words.push(...(local ? ['--oci-layout'] : connectionFlags(draft.registry, context.entry)));
  if (draft.mode === 'attach') {
    const subject = draft.subject ?? '';
    words.push(subject.includes(':') ? `${name}@${subject}` : `${name}:${subject}`);
  } else {
    words.push(draft.tags.length > 0 ? `${name}:${draft.tags.join(',')}` : name);
  }
  const folders = new Set(draft.files.map((f) => path.dirname(f.staged.path)));
  const namesMatch = draft.files.every((f) => f.title === path.basename(f.staged.path));
  for (const file of draft.files) words.push(file.mediaType === '' ? file.title : `${file.title}:${file.mediaType}`);

  const files: OrasPushCommand['files'] = [];
  if (draft.config.kind !== 'none') {
    const type = draft.config.mediaType || MediaType.UnknownConfig;
    if (draft.config.kind === 'file') words.push('--config', `${draft.config.staged.path}:${type}`);
    else {
      files.push({ name: COMMAND_CONFIG_FILE, text: new TextDecoder().decode(draft.config.bytes) });
      words.push('--config', `${COMMAND_CONFIG_FILE}:${type}`);
    }
  }
  if (draft.artifactType !== undefined) words.push('--artifact-type', draft.artifactType);
  const manifestAnnotations = { ...draft.annotations, ...(context.created === undefined ? {} : { [Annotation.Created]: context.created }) };
  const perFile = draft.files.filter((f) => Object.keys(f.annotations).length > 0);
  if (perFile.length > 0) {
    const annotationFile: Record<string, Record<string, string>> = {};
    if (Object.keys(manifestAnnotations).length > 0) annotationFile['$manifest'] = manifestAnnotations;
    for (const f of perFile) annotationFile[f.title] = f.annotations;
    files.push({ name: COMMAND_ANNOTATION_FILE, text: `${JSON.stringify(annotationFile, null, 2)}\n` });
    words.push('--annotation-file', COMMAND_ANNOTATION_FILE);
  } else {
    for (const [key, value] of Object.entries(manifestAnnotations)) words.push('-a', `${key}=${value}`);
  }
  if (draft.imageSpec === 'v1.0') words.push('--image-spec', 'v1.0');
  if (draft.reproducible) words.push('--reproducible');

  const cwd = folders.size === 1 && namesMatch ? [...folders][0] : undefined;
  const note =
    draft.files.length > 0 && cwd === undefined
      ? 'run it in a folder holding the files under their titles (the titles are not the files\u2019 own names in one folder)'
      : undefined;
  const hasFolders = draft.files.some((f) => f.staged.kind === 'directory');
  const env = hasFolders ? { SOURCE_DATE_EPOCH: context.sourceDateEpoch ?? '' } : undefined;
  const prefix = env ? `SOURCE_DATE_EPOCH=${shellQuote(env.SOURCE_DATE_EPOCH)} ` : '';
  return {
    line: prefix + words.map(shellQuote).join(' '),
    words,
    ...(env ? { env } : {}),
    ...(cwd === undefined ? {} : { cwd }),
    files,
    ...(note ? { note } : {}),
  };
}
