import path from 'node:path';
import { LOCAL_REGISTRY } from '../../../shared/browse';
import type { PushDraft } from '../../../shared/push';
import { OrasError } from '../../engine/errors';
import { assertMediaType } from '../../engine/media-type';
import { normalizeRegistry, validateRegistry, validateRepository, validateTag } from '../../engine/reference';
import type { ResolvedStaged } from './draft-store';

/** CheckedFile is one layer to push: the draft's fields, checked, and where the file is. */
export interface CheckedFile {
  stagedId: string;
  title: string;
  /** '' for ORAS's default. */
  mediaType: string;
  annotations: Record<string, string>;
  staged: ResolvedStaged;
}

export type CheckedConfig =
  | { kind: 'none' }
  | { kind: 'file'; staged: ResolvedStaged; mediaType: string }
  | { kind: 'inline'; bytes: Uint8Array; mediaType: string };

/** CheckedDraft is a draft main will push: every field valid, every staged file found. */
export interface CheckedDraft {
  mode: 'push' | 'attach';
  /** `local` or a normalised host[:port]. */
  registry: string;
  repository: string;
  tags: string[];
  /** attach: the subject's tag or digest in the target repository. */
  subject?: string;
  files: CheckedFile[];
  config: CheckedConfig;
  artifactType?: string;
  annotations: Record<string, string>;
  imageSpec: 'v1.1' | 'v1.0';
  reproducible: boolean;
}

/**
 * checkDraft checks a saved draft before a preview or a push. Each problem is refused
 * with the code the engine uses (INVALID_MEDIA_TYPE, INVALID_REFERENCE,
 * INVALID_ARGUMENT, …) and a message starting with the field's path, so the composer
 * can show it next to the field: `files[0].mediaType (rocket.txt): invalid …`.
 */
export async function checkDraft(draft: PushDraft, resolveStaged: (id: string) => Promise<ResolvedStaged>): Promise<CheckedDraft> {
  const registryId = draft.target.registry.trim();
  field('target.registry', () => {
    if (registryId === '') throw new OrasError('INVALID_ARGUMENT', 'choose where to push: the local store or a saved registry');
    if (registryId !== LOCAL_REGISTRY) validateRegistry(registryId);
  });
  const repository = draft.target.repository.trim();
  field('target.repository', () => {
    if (repository === '') throw new OrasError('INVALID_ARGUMENT', 'the repository is empty');
    validateRepository(repository);
  });
  const tags = draft.target.tags.map((t) => t.trim()).filter((t) => t !== '');
  tags.forEach((tag, i) => field(`target.tags[${i}]`, () => validateTag(tag)));

  let subject: string | undefined;
  if (draft.mode === 'attach') {
    subject = draft.subject.trim();
    field('subject', () => {
      if (subject === '') throw new OrasError('INVALID_ARGUMENT', 'attaching needs the subject: the tag or digest of the manifest to attach to');
    });
    field('artifactType', () => {
      if (draft.artifactType.trim() === '') throw new OrasError('INVALID_ARGUMENT', 'attaching needs an artifact type, e.g. application/vnd.example.sbom');
    });
    field('imageSpec', () => {
      if (draft.imageSpec === 'v1.0') throw new OrasError('INVALID_ARGUMENT', 'attaching needs image spec v1.1: v1.0 manifests have no subject field');
    });
  }
  const artifactType = draft.artifactType.trim();
  if (artifactType !== '') field('artifactType', () => assertMediaType(artifactType, 'artifact type'));

  const seen = new Set<string>();
  const files: CheckedFile[] = [];
  for (const [i, file] of draft.files.entries()) {
    const title = file.title.trim();
    const label = `files[${i}]${title === '' ? '' : ` (${title})`}`;
    field(`${label}.title`, () => checkTitle(title, seen));
    const mediaType = file.mediaType.trim();
    if (mediaType !== '') field(`${label}.mediaType`, () => assertMediaType(mediaType, `media type of ${title}`));
    field(`${label}.annotations`, () => checkAnnotationKeys(file.annotations));
    const staged = await fieldAsync(label, () => resolveStaged(file.stagedId));
    files.push({ stagedId: file.stagedId, title, mediaType, annotations: file.annotations, staged });
  }

  let config: CheckedConfig = { kind: 'none' };
  if (draft.config.kind !== 'none') {
    const mediaType = draft.config.mediaType.trim();
    if (mediaType !== '') field('config.mediaType', () => assertMediaType(mediaType, 'config media type'));
    if (draft.config.kind === 'inline') {
      const text = draft.config.text;
      field('config.text', () => {
        try {
          JSON.parse(text);
        } catch (error) {
          throw new OrasError('INVALID_ARGUMENT', `the config is not valid JSON: ${(error as Error).message}`);
        }
      });
      config = { kind: 'inline', bytes: new TextEncoder().encode(text), mediaType };
    } else {
      const id = draft.config.stagedId;
      const staged = await fieldAsync('config', () => resolveStaged(id));
      if (staged.kind !== 'file') field('config', () => {
        throw new OrasError('INVALID_ARGUMENT', `${staged.name} is a folder; a config is one file`);
      });
      config = { kind: 'file', staged, mediaType };
    }
  }
  field('annotations', () => checkAnnotationKeys(draft.annotations));
  if (draft.imageSpec === 'v1.0' && config.kind !== 'none' && artifactType !== '' && config.mediaType !== '' && config.mediaType !== artifactType) {
    field('artifactType', () => {
      throw new OrasError('INVALID_ARGUMENT', 'with image spec v1.0 the artifact type is the config media type: give one of them, or the same');
    });
  }
  return {
    mode: draft.mode,
    registry: registryId === LOCAL_REGISTRY ? LOCAL_REGISTRY : normalizeRegistry(registryId),
    repository,
    // An attached artifact is found through its subject, never tagged (as `oras attach`).
    tags: draft.mode === 'attach' ? [] : tags,
    ...(subject === undefined ? {} : { subject }),
    files,
    config,
    ...(artifactType === '' ? {} : { artifactType }),
    annotations: draft.annotations,
    imageSpec: draft.imageSpec,
    reproducible: draft.reproducible,
  };
}

/** checkTitle: non-empty, unique, relative, never leaving the folder a pull writes into (as the CLI's titleFor). */
function checkTitle(title: string, seen: Set<string>): void {
  if (title === '') throw new OrasError('INVALID_ARGUMENT', 'the title is empty: it is the name a pull writes the file as');
  const slashed = title.replaceAll('\\', '/');
  if (path.posix.isAbsolute(slashed) || path.win32.isAbsolute(title)) {
    throw new OrasError('UNSAFE_PATH', 'the title is an absolute path; a pull would write outside its folder. Give a relative name');
  }
  const cleaned = path.posix.normalize(slashed);
  if (cleaned === '..' || cleaned.startsWith('../') || cleaned === '.') {
    throw new OrasError('UNSAFE_PATH', 'the title leaves the folder a pull writes into (".."); give a plain name');
  }
  if (seen.has(title)) throw new OrasError('ALREADY_EXISTS', `two files are titled ${JSON.stringify(title)}; a pull writes one file of each name`);
  seen.add(title);
}

function checkAnnotationKeys(annotations: Record<string, string>): void {
  for (const key of Object.keys(annotations)) {
    if (key.trim() === '') throw new OrasError('INVALID_ANNOTATION', 'an annotation key is empty');
  }
}

/** field runs a check and prefixes its error's message with the field's path. */
function field<T>(name: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw named(name, error);
  }
}

async function fieldAsync<T>(name: string, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    throw named(name, error);
  }
}

function named(name: string, error: unknown): unknown {
  if (error instanceof OrasError) return new OrasError(error.code, `${name}: ${error.message}`, { cause: error });
  return error;
}
