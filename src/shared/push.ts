import { z } from 'zod';
import { registryIdSchema, repositoryNameSchema, tagOrDigestSchema, tagSchema } from './browse';
import type { SerializedError } from './error-codes';

/**
 * The push part of the contract: the composer's draft (kept in main, in the data
 * folder, so it survives a reload and a restart), media-type suggestions, the live
 * preview, the push and attach job, and copying an artifact elsewhere.
 *
 * A draft is saved while it is being edited, so its fields are loose here (a media type
 * half typed, no repository yet); `push.preview` and `push.run` check it in main and
 * refuse a bad one with INVALID_ARGUMENT naming the field (`files[0].mediaType
 * (rocket.txt)`, `config.text`, `target.repository`), never echoing secrets.
 * Files are named by their staged id (`files.stage` or a browser-mode upload): the
 * page never names a path on main's disk.
 */

const stagedIdSchema = z.string().min(1, 'the staged file id is empty').max(100);
/** A media type as typed; checked against RFC 6838 in main, where the error names the field. */
const typedMediaType = z.string().max(255, 'a media type is at most 255 characters');
const annotationsSchema = z
  .record(z.string().max(1024, 'an annotation key is at most 1024 characters'), z.string().max(64 * 1024, 'an annotation value is at most 64 KiB'))
  .refine((v) => Object.keys(v).length <= 1000, 'at most 1000 annotations');

/** One file (or folder) of the draft; its place in `files` is its layer order. */
export const draftFileSchema = z
  .object({
    stagedId: stagedIdSchema,
    /** The `org.opencontainers.image.title` annotation: the name a pull writes it as. */
    title: z.string().max(255, 'a title is at most 255 characters'),
    /** '' means ORAS's default (`application/vnd.oci.image.layer.v1.tar`, folders `…tar+gzip`). */
    mediaType: typedMediaType.default(''),
    annotations: annotationsSchema.default({}),
  })
  .strict();
export type DraftFile = z.output<typeof draftFileSchema>;

/** The config: none (image-spec 1.1's empty descriptor, or v1.0's `{}`), a staged file, or JSON typed in. */
export const draftConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('file'), stagedId: stagedIdSchema, mediaType: typedMediaType.default('') }).strict(),
  z.object({ kind: z.literal('inline'), text: z.string().max(1024 * 1024, 'the config is larger than 1 MiB'), mediaType: typedMediaType.default('') }).strict(),
]);
export type DraftConfig = z.output<typeof draftConfigSchema>;

/** Where the draft goes: a sidebar id (`local` or host[:port]), a repository, tags ('' while not chosen). */
export const draftTargetSchema = z
  .object({
    registry: z.string().max(255).default(''),
    repository: z.string().max(255).default(''),
    tags: z.array(z.string().max(128)).max(100, 'at most 100 tags').default([]),
  })
  .strict();

export const pushDraftSchema = z
  .object({
    /** `attach`: the result refers to `subject` (a tag or digest in the target repository). */
    mode: z.enum(['push', 'attach']).default('push'),
    subject: z.string().max(300).default(''),
    files: z.array(draftFileSchema).max(1000, 'at most 1000 files').default([]),
    config: draftConfigSchema.default({ kind: 'none' }),
    /** v1.1: the manifest's artifactType; v1.0: the config's media type. Required to attach. */
    artifactType: typedMediaType.default(''),
    annotations: annotationsSchema.default({}),
    imageSpec: z.enum(['v1.1', 'v1.0']).default('v1.1'),
    /** No created annotation (unless given), folder tars at fixed times: same input, same digest. */
    reproducible: z.boolean().default(false),
    target: draftTargetSchema.default({ registry: '', repository: '', tags: [] }),
  })
  .strict();
/** PushDraft is the composer's whole state that main keeps. */
export type PushDraft = z.output<typeof pushDraftSchema>;
export type PushDraftInput = z.input<typeof pushDraftSchema>;

// --- requests ------------------------------------------------------------------------

export const saveDraftSchema = z.object({ draft: pushDraftSchema }).strict();
export type SaveDraftRequest = z.input<typeof saveDraftSchema>;

export const suggestMediaTypesSchema = z.object({ stagedId: stagedIdSchema }).strict();
export type SuggestMediaTypesRequest = z.input<typeof suggestMediaTypesSchema>;

export const previewPushSchema = z.object({ draft: pushDraftSchema }).strict();
export type PreviewPushRequest = z.input<typeof previewPushSchema>;

/**
 * `push.run`: `created` is the created time the preview showed (when not reproducible),
 * so what is pushed is byte for byte the previewed manifest, digest included.
 */
export const runPushSchema = z
  .object({
    draft: pushDraftSchema,
    created: z.string().max(64).optional(),
  })
  .strict();
export type RunPushRequest = z.input<typeof runPushSchema>;

export const validateDraftSchema = z.object({ draft: pushDraftSchema }).strict();
export type ValidateDraftRequest = z.input<typeof validateDraftSchema>;

export const jobOutcomeSchema = z.object({ jobId: z.string().min(1).max(100) }).strict();

/** `artifacts.copy`: a manifest (by tag or digest) to another repository, registry or the local layouts. */
export const copyArtifactSchema = z
  .object({
    from: z.object({ registry: registryIdSchema, repository: repositoryNameSchema, reference: tagOrDigestSchema }).strict(),
    to: z.object({ registry: registryIdSchema, repository: repositoryNameSchema, tag: tagSchema.optional() }).strict(),
    /** Also copy the artifacts that refer to it (signatures, SBOMs), recursively. Default false. */
    referrers: z.boolean().default(false),
  })
  .strict();
export type CopyArtifactRequest = z.input<typeof copyArtifactSchema>;

// --- responses -----------------------------------------------------------------------

/** A staged file as a draft sees it: `missing` when main no longer has it (drop it again). */
export interface DraftStagedFile {
  id: string;
  name: string;
  size: number;
  kind: 'file' | 'directory';
  missing?: boolean;
}

/** DraftState is `drafts.get`/`drafts.save`'s answer. `draft` is null when there is none. */
export interface DraftState {
  draft: PushDraft | null;
  /** The staged files the draft names, by id. */
  staged: Record<string, DraftStagedFile>;
  /** Media types pushed lately, newest first (for suggestions). */
  recentMediaTypes: string[];
}

/**
 * DraftProblem is one thing wrong with a draft, for the composer to show next to its
 * field: `field` is the draft's path (`files[0].mediaType`, `config.text`,
 * `target.tags[1]`, `subject`, …), `message` says what to do.
 */
export interface DraftProblem {
  field: string;
  code: SerializedError['code'];
  message: string;
}

/** MediaTypeSuggestion: one ranked guess, best first, with why. */
export interface MediaTypeSuggestion {
  mediaType: string;
  /** Why, in a few words: "Helm chart (Chart.yaml inside)", "from the .txt extension". */
  reason: string;
  source: 'oras' | 'content' | 'extension' | 'default' | 'recent';
}

/** A layer or config as the preview computed it. */
export interface PreviewBlob {
  /** The staged file it comes from (absent for an inline or empty config). */
  stagedId?: string;
  title?: string;
  mediaType: string;
  digest: string;
  size: number;
}

/**
 * OrasPushCommand: the `oras push` (or `oras attach`) that gives the same manifest.
 * Run `line` in `cwd` (when given) after writing `files` there (an inline config, an
 * annotation file); `words` is the same line unquoted.
 */
export interface OrasPushCommand {
  line: string;
  words: string[];
  /** Environment the line sets in front (`SOURCE_DATE_EPOCH` when folders are packed: their tar times). */
  env?: Record<string, string>;
  cwd?: string;
  files: { name: string; text: string }[];
  /** Set when the line cannot reproduce the draft exactly (say, titles that are not the files' names). */
  note?: string;
  /**
   * True when `cwd` is a folder the app made for the line: a link per file named by its
   * title, and `files` written there already (titles that are not the files' own names
   * in one folder).
   */
  prepared?: boolean;
}

/** PushPreview is exactly what `push.run` would push, computed before any upload. */
export interface PushPreview {
  /** The manifest's exact bytes, as text. */
  manifest: string;
  digest: string;
  size: number;
  mediaType: string;
  layers: PreviewBlob[];
  config: PreviewBlob;
  /** The created annotation written (absent when reproducible); pass it to `push.run`. */
  created?: string;
  /** What the target is called: `host/repo:tag` or the local layout's folder. */
  reference: string;
  /** The target has this manifest already: nothing to upload (tags may still be written). Undefined when it could not be asked. */
  exists?: boolean;
  /** Why `exists` is unknown (the registry could not be reached, the login was refused). */
  existsError?: SerializedError;
  command: OrasPushCommand;
}

/** PushStarted: the job pushing (or copying); follow it with `job.*` events and `push.outcome`. */
export interface PushStarted {
  jobId: string;
  /** The reference being written, for the jobs panel. */
  reference: string;
}

/** JobOutcome is what a push, attach or copy job ended with (kept in main for a while). */
export interface JobOutcome {
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** The manifest written, once done. */
  digest?: string;
  /** Where: registry id, repository, and the first tag (if any), to open it in the browse view. */
  registry?: string;
  repository?: string;
  tag?: string;
  error?: SerializedError;
}
