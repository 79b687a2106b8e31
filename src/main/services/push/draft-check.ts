import path from 'node:path';
import { LOCAL_REGISTRY } from '../../../shared/browse';
import type { DraftProblem, PushDraft } from '../../../shared/push';
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
 * checkDraft checks a saved draft before a preview or a push. The first problem is
 * refused with the code the engine uses (INVALID_MEDIA_TYPE, INVALID_REFERENCE,
 * INVALID_ARGUMENT, …) and a message starting with the field's path, so the composer
 * can show it next to the field: `files[0] (rocket.txt).mediaType: invalid …`.
 */
export async function checkDraft(draft: PushDraft, resolveStaged: (id: string) => Promise<ResolvedStaged>): Promise<CheckedDraft> {
  const { checked, problems } = await inspectDraft(draft, resolveStaged);
  const first = problems[0];
  if (first !== undefined || checked === undefined) {
    throw first ? new OrasError(first.code, `${first.label}: ${first.message}`) : new OrasError('INTERNAL', 'the draft could not be checked');
  }
  return checked;
}

/**
 * validateDraft lists every problem of a draft at once, each with its field (`files[0].mediaType`,
 * `config.text`, `target.tags[1]`, …), without reading any file's content: what the
 * composer shows inline as the user types.
 */
export async function validateDraft(draft: PushDraft, resolveStaged: (id: string) => Promise<ResolvedStaged>): Promise<DraftProblem[]> {
  return (await inspectDraft(draft, resolveStaged)).problems.map(({ field, code, message }) => ({ field, code, message }));
}

interface Problem extends DraftProblem {
  /** The field as a person reads it: `files[0] (rocket.txt).mediaType`. */
  label: string;
}

async function inspectDraft(
  draft: PushDraft,
  resolveStaged: (id: string) => Promise<ResolvedStaged>,
): Promise<{ checked?: CheckedDraft; problems: Problem[] }> {
  const problems: Problem[] = [];
  /** field runs a check; an OrasError becomes a problem of that field, anything else propagates. */
  const field = async <T>(name: string, label: string, check: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await check();
    } catch (error) {
      if (!(error instanceof OrasError)) throw error;
      problems.push({ field: name, label, code: error.code, message: error.message });
      return undefined;
    }
  };
  const at = (name: string) => [name, name] as const;

  const registryId = draft.target.registry.trim();
  await field(...at('target.registry'), () => {
    if (registryId === '') throw new OrasError('INVALID_ARGUMENT', 'choose where to push: the local store or a saved registry');
    if (registryId !== LOCAL_REGISTRY) validateRegistry(registryId);
  });
  const repository = draft.target.repository.trim();
  await field(...at('target.repository'), () => {
    if (repository === '') throw new OrasError('INVALID_ARGUMENT', 'the repository is empty');
    validateRepository(repository);
  });
  const tags: string[] = [];
  for (const [i, raw] of draft.target.tags.entries()) {
    const tag = raw.trim();
    if (tag === '') continue;
    await field(...at(`target.tags[${i}]`), () => validateTag(tag));
    tags.push(tag);
  }

  let subject: string | undefined;
  if (draft.mode === 'attach') {
    subject = draft.subject.trim();
    await field(...at('subject'), () => {
      if (subject === '') throw new OrasError('INVALID_ARGUMENT', 'attaching needs the subject: the tag or digest of the manifest to attach to');
    });
    await field(...at('artifactType'), () => {
      if (draft.artifactType.trim() === '') throw new OrasError('INVALID_ARGUMENT', 'attaching needs an artifact type, e.g. application/vnd.example.sbom');
    });
    await field(...at('imageSpec'), () => {
      if (draft.imageSpec === 'v1.0') throw new OrasError('INVALID_ARGUMENT', 'attaching needs image spec v1.1: v1.0 manifests have no subject field');
    });
  }
  const artifactType = draft.artifactType.trim();
  if (artifactType !== '') await field(...at('artifactType'), () => assertMediaType(artifactType, 'artifact type'));

  const seen = new Set<string>();
  const files: CheckedFile[] = [];
  for (const [i, file] of draft.files.entries()) {
    const title = file.title.trim();
    const label = `files[${i}]${title === '' ? '' : ` (${title})`}`;
    await field(`files[${i}].title`, `${label}.title`, () => checkTitle(title, seen));
    const mediaType = file.mediaType.trim();
    if (mediaType !== '') await field(`files[${i}].mediaType`, `${label}.mediaType`, () => assertMediaType(mediaType, `media type of ${title}`));
    await field(`files[${i}].annotations`, `${label}.annotations`, () => checkAnnotationKeys(file.annotations));
    const staged = await field(`files[${i}]`, label, () => resolveStaged(file.stagedId));
    if (staged) files.push({ stagedId: file.stagedId, title, mediaType, annotations: file.annotations, staged });
  }

  let config: CheckedConfig = { kind: 'none' };
  if (draft.config.kind !== 'none') {
    const mediaType = draft.config.mediaType.trim();
    if (mediaType !== '') await field(...at('config.mediaType'), () => assertMediaType(mediaType, 'config media type'));
    if (draft.config.kind === 'inline') {
      const text = draft.config.text;
      await field(...at('config.text'), () => {
        try {
          JSON.parse(text);
        } catch (error) {
          throw new OrasError('INVALID_ARGUMENT', `the config is not valid JSON: ${(error as Error).message}`);
        }
      });
      config = { kind: 'inline', bytes: new TextEncoder().encode(text), mediaType };
    } else {
      const id = draft.config.stagedId;
      const staged = await field(...at('config'), async () => {
        const found = await resolveStaged(id);
        if (found.kind !== 'file') throw new OrasError('INVALID_ARGUMENT', `${found.name} is a folder; a config is one file`);
        return found;
      });
      if (staged) config = { kind: 'file', staged, mediaType };
    }
  }
  await field(...at('annotations'), () => checkAnnotationKeys(draft.annotations));
  if (draft.imageSpec === 'v1.0' && config.kind !== 'none' && artifactType !== '' && config.mediaType !== '' && config.mediaType !== artifactType) {
    await field(...at('artifactType'), () => {
      throw new OrasError('INVALID_ARGUMENT', 'with image spec v1.0 the artifact type is the config media type: give one of them, or the same');
    });
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    checked: {
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
    },
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
