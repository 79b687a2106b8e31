import { z } from 'zod';
import { type Channel, type EventName, type MethodName, methods } from './channel-names';
import type { SerializedError } from './error-codes';
import {
  addTagsSchema,
  blobRefSchema,
  deleteManifestSchema,
  downloadBlobSchema,
  downloadPullSchema,
  listRepositoriesSchema,
  listTagsSchema,
  manifestRefSchema,
  referrersSchema,
  tagDetailsSchema,
  type BlobPreview,
  type DownloadStarted,
  type ManifestDetails,
  type ReferrerNode,
  type RepositoriesPage,
  type TagDetail,
  type TagsPage,
} from './browse';
import {
  copyArtifactSchema,
  jobOutcomeSchema,
  previewPushSchema,
  runPushSchema,
  saveDraftSchema,
  suggestMediaTypesSchema,
  validateDraftSchema,
  type DraftProblem,
  type DraftState,
  type JobOutcome,
  type MediaTypeSuggestion,
  type PushPreview,
  type PushStarted,
} from './push';

export * from './channel-names';
export * from './browse';
export * from './push';

/**
 * The one typed contract between the renderer and main. Main, the preload, the
 * browser-mode shim and the renderer all import it; none re-declares it.
 *
 * Every channel has a request schema (checked in main: the renderer is untrusted) and
 * a response type. Answers travel as `Result`. Secrets go one way only: into main
 * (`registries.add`'s `secret`); no response carries one.
 */

/** Result is every handler's answer: a value, or an error the renderer can show. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

// --- shared pieces -------------------------------------------------------------------

/** A registry host[:port] as a user types it; normalised in main. */
const registryHost = z
  .string()
  .trim()
  .min(1, 'the registry is empty')
  .max(255, 'the registry is longer than 255 characters')
  .refine((v) => !/^[a-z]+:\/\//i.test(v), 'leave out http:// or https://: give host[:port]')
  .refine((v) => !/[\s/]/.test(v), 'a registry is host[:port], without spaces or "/"');

/** How to reach a registry: not secret, kept with the app's settings. */
export const connectionOptionsSchema = z
  .object({
    /** Speak plain HTTP. Default: only for loopback hosts. */
    plainHttp: z.boolean().optional(),
    /** Skip TLS verification. */
    insecure: z.boolean().optional(),
    /** PEM file of CA certificates to trust, a path on the main process's machine. */
    caFile: z.string().min(1).max(4096).optional(),
  })
  .strict();
export type ConnectionOptions = z.infer<typeof connectionOptionsSchema>;

/** Where a login is kept (see src/main/credentials/types.ts). */
export type LoginLocation = 'keychain' | 'docker-config' | 'docker-helper' | 'file';

/** RegistryEntry is one row of the registries sidebar. */
export interface RegistryEntry {
  /** `local` for the built-in OCI layout, else a normalised host[:port]. */
  id: string;
  kind: 'local' | 'remote';
  /** What to show: the host, or "Local OCI layout". */
  label: string;
  /** The layout's folder, for the local entry. */
  path?: string;
  username?: string;
  /** Where its login lives; absent for anonymous registries and the local layout. */
  location?: LoginLocation;
  options: ConnectionOptions;
}

// --- requests ------------------------------------------------------------------------

export const addRegistrySchema = z
  .object({
    registry: registryHost,
    username: z.string().max(1024).optional(),
    /** The password or token; never returned by any channel. */
    secret: z.string().max(64 * 1024).optional(),
    /** 'password' with a user name, 'identity-token' for a refresh token. Default 'password'. */
    secretKind: z.enum(['password', 'identity-token']).optional(),
    options: connectionOptionsSchema.default({}),
  })
  .strict()
  .refine((v) => v.secret === undefined || v.secretKind === 'identity-token' || (v.username ?? '') !== '', {
    message: 'a password needs a user name',
    path: ['username'],
  });
export type AddRegistryRequest = z.input<typeof addRegistrySchema>;

export const registryRefSchema = z.object({ registry: registryHost }).strict();
export type RegistryRef = z.infer<typeof registryRefSchema>;

export const jobRefSchema = z.object({ jobId: z.string().min(1).max(100) }).strict();
export const emptySchema = z.object({}).strict().optional();

/** A path on the main process's machine: absolute (POSIX, `C:\…` or `\\server\…`), no NUL. */
const localPath = z
  .string()
  .min(1, 'the path is empty')
  .max(4096, 'the path is longer than 4096 characters')
  .refine((v) => !v.includes('\0'), 'the path contains a NUL character')
  .refine((v) => v.startsWith('/') || /^[a-z]:[\\/]/i.test(v) || v.startsWith('\\\\'), 'the path is not absolute');

/**
 * stageFilesSchema is what the preload sends for `files.stage`: the paths Electron gives
 * for files the user dropped or picked (`webUtils.getPathForFile`). The page never
 * writes this request itself: `window.oras.stageFiles` takes `File` objects.
 */
export const stageFilesSchema = z
  .object({ paths: z.array(localPath).min(1, 'no files to stage').max(1000, 'more than 1000 files at once') })
  .strict();
export type StageFilesRequest = z.infer<typeof stageFilesSchema>;

// --- channels ------------------------------------------------------------------------

/**
 * Channels: name → request schema and response type. The preload exposes one method per
 * channel; browser mode posts to `/api/<channel>`.
 */
export const channels = {
  'app.info': { request: emptySchema },
  'registries.list': { request: emptySchema },
  /** Tests the login against the registry, then saves it (keychain) and its options. */
  'registries.add': { request: addRegistrySchema },
  /** Tests a login without saving anything. */
  'registries.test': { request: addRegistrySchema },
  /** Replaces a saved registry's login and options (tests first). */
  'registries.update': { request: addRegistrySchema },
  /** Removes the login, keeps the registry in the sidebar as anonymous. */
  'registries.logout': { request: registryRefSchema },
  /** Removes the registry from the sidebar and its login from where it lives. */
  'registries.remove': { request: registryRefSchema },
  'jobs.cancel': { request: jobRefSchema },
  /**
   * Hands files the user dropped or picked to main for a later push, answering one
   * `StagedFile` per path. Electron only: the preload turns `File`s into paths. In
   * browser mode the shim uploads the files to `POST /api/upload` instead, and this
   * channel answers UNSUPPORTED (a page must not name files on the server's disk).
   */
  'files.stage': { request: stageFilesSchema },
  /**
   * Asks the user for a folder with the desktop's own dialog and stages it (packed as
   * one tar+gzip layer on push). Electron only: browser mode answers UNSUPPORTED and
   * the page uses `<input webkitdirectory>` with `stageFiles` instead.
   */
  'files.pickFolder': { request: emptySchema },
  /** One page of a registry's catalog (or the local layouts); says when there is no catalog. */
  'browse.repositories': { request: listRepositoriesSchema },
  /** One page of a repository's tags. */
  'browse.tags': { request: listTagsSchema },
  /** Digest, media type, size and created time of a few tags, cached by digest in main. */
  'browse.tagDetails': { request: tagDetailsSchema },
  /** A manifest (or index) by tag or digest, its bytes verified. */
  'browse.manifest': { request: manifestRefSchema },
  /** The referrers tree of a manifest. */
  'browse.referrers': { request: referrersSchema },
  /** A blob's size and first 64 KiB. */
  'browse.blob': { request: blobRefSchema },
  /** Points more tags at a manifest. */
  'tags.add': { request: addTagsSchema },
  /** Deletes a manifest (by digest) or a tag. */
  'manifests.delete': { request: deleteManifestSchema },
  /** Saves a blob to a file, as a job. */
  'downloads.blob': { request: downloadBlobSchema },
  /** Saves every file of an artifact, as a job. */
  'downloads.pull': { request: downloadPullSchema },
  /** The push composer's draft, kept in main (data folder) until pushed or discarded. */
  'drafts.get': { request: emptySchema },
  'drafts.save': { request: saveDraftSchema },
  /** Drops the draft and the uploads it staged. */
  'drafts.discard': { request: emptySchema },
  /** Ranked media types for a staged file, from its name, its first bytes and OCI/ORAS types. */
  'push.suggestMediaTypes': { request: suggestMediaTypesSchema },
  /** Every problem of a draft, by field, without reading files: the composer's inline errors. */
  'push.validate': { request: validateDraftSchema },
  /** The exact manifest and digest a draft gives, before any upload (hashing large files as a job). */
  'push.preview': { request: previewPushSchema },
  /** Pushes (or attaches) a draft as a job; the draft is kept until it succeeds. */
  'push.run': { request: runPushSchema },
  /** How a push, attach or copy job ended: the digest and where, or the error. */
  'push.outcome': { request: jobOutcomeSchema },
  /** Copies a manifest (with its referrers when asked) to another repository, as a job. */
  'artifacts.copy': { request: copyArtifactSchema },
} as const satisfies Record<Channel, { request: z.ZodType }>;

/**
 * StagedFile is a file or folder main holds for a later push: the page names it by
 * `id` (push requests will carry ids, never paths). `name` is the file's own name, the
 * layer title by default; `size` is in bytes (0 for a folder).
 */
export interface StagedFile {
  id: string;
  name: string;
  size: number;
  kind: 'file' | 'directory';
}

/**
 * SavedFile is how channels that write a file for the user (blob download, pull) will
 * answer: in Electron main asks where with a save dialog and writes it (`savedTo`); in
 * browser mode main offers the content once at a private URL and the shim starts a
 * browser download by itself (`browserDownload`), so the page handles both alike.
 */
export interface SavedFile {
  savedTo?: string;
  browserDownload?: { id: string; name: string; size?: number };
}

export interface AppInfo {
  version: string;
  platform: string;
  /** How this page reaches main. */
  mode: 'electron' | 'browser';
}

/** Responses, per channel. */
export interface ChannelResponses {
  'app.info': AppInfo;
  'registries.list': RegistryEntry[];
  'registries.add': RegistryEntry;
  'registries.test': { ok: true };
  'registries.update': RegistryEntry;
  'registries.logout': RegistryEntry;
  'registries.remove': { removed: true };
  'jobs.cancel': { cancelled: boolean };
  'files.stage': StagedFile[];
  'files.pickFolder': StagedFile | { cancelled: true };
  'browse.repositories': RepositoriesPage;
  'browse.tags': TagsPage;
  'browse.tagDetails': TagDetail[];
  'browse.manifest': ManifestDetails;
  'browse.referrers': ReferrerNode;
  'browse.blob': BlobPreview;
  'tags.add': { tagged: string[] };
  'manifests.delete': { deleted: string };
  'downloads.blob': DownloadStarted;
  'downloads.pull': DownloadStarted;
  'drafts.get': DraftState;
  'drafts.save': DraftState;
  'drafts.discard': { discarded: boolean };
  'push.suggestMediaTypes': MediaTypeSuggestion[];
  'push.validate': DraftProblem[];
  'push.preview': PushPreview;
  'push.run': PushStarted;
  'push.outcome': JobOutcome;
  'artifacts.copy': PushStarted;
}

export type ChannelRequest<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type ChannelResponse<C extends Channel> = ChannelResponses[C];

// --- events (main → renderer) -----------------------------------------------------------

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobProgressEvent {
  jobId: string;
  /** Bytes done and total over the whole job. */
  bytes: number;
  total: number;
  /** The descriptor moving now, for a line of detail. */
  current?: { digest: string; title?: string; bytes: number; size: number };
}

export interface JobStateEvent {
  jobId: string;
  kind: string;
  /** What the job does, for the jobs panel: "Download rocket.txt". */
  title?: string;
  state: JobState;
  error?: SerializedError;
}

export interface Events {
  'job.progress': JobProgressEvent;
  'job.state': JobStateEvent;
}
// Events has exactly the events eventNames lists: checked by the compiler here.
const eventsMatchNames: [Exclude<EventName, keyof Events>, Exclude<keyof Events, EventName>] extends [never, never] ? true : never = true;
void eventsMatchNames;

// --- the API the page sees -------------------------------------------------------------

/**
 * FileMethodName names the methods that take the page's `File` objects rather than
 * their channel's request: the preload and the browser shim turn them into what main
 * accepts (paths in Electron, uploads in browser mode).
 */
export type FileMethodName = 'stageFiles';

/**
 * StageOptions says more about the `File`s handed to `stageFiles`.
 *
 * - `relativePaths[i]` is file i's path inside a folder the user picked or dropped,
 *   the folder's own name first (`photos/2024/a.jpg`, as `webkitRelativePath` gives
 *   it); files sharing a first name become ONE staged folder (one tar+gzip layer).
 *   Browser mode only: in Electron a folder is dropped as itself, or picked with
 *   `pickFolder`.
 * - `emptyFolders` are folders inside those folders that hold nothing (same form,
 *   `photos/empty`; or just `photos` for a dropped folder with nothing in it): made in
 *   the staged folder, so its layer is the same as `oras push` of the folder.
 * - `onProgress` hears the bytes of file i sent so far (browser mode's uploads).
 */
export interface StageOptions {
  relativePaths?: readonly (string | undefined)[];
  emptyFolders?: readonly string[];
  onProgress?: (progress: StageProgress) => void;
}

export interface StageProgress {
  /** The file's index in the list given to `stageFiles`. */
  index: number;
  sent: number;
  size: number;
}

/** OrasApi is `window.oras`: one method per channel plus event subscription. */
export type OrasApi = {
  readonly [M in Exclude<MethodName, FileMethodName>]: (
    request?: ChannelRequest<(typeof methods)[M]>,
  ) => Promise<Result<ChannelResponse<(typeof methods)[M]>>>;
} & {
  /**
   * stageFiles hands files the user dropped (or picked with `<input type=file>`) to
   * main. Files the page made itself (`new File(…)`) have no path in Electron and are
   * refused; in browser mode every file is uploaded into a private staging folder.
   * Answers one StagedFile per file, or per folder when `relativePaths` group files.
   */
  readonly stageFiles: (files: readonly File[], options?: StageOptions) => Promise<Result<StagedFile[]>>;
  readonly version: string;
  /** on subscribes to an event; the returned function unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};

/** channelNames lists the channels, for the preload and the shim to build methods from. */
export const channelNames = Object.keys(channels) as Channel[];

// Every channel has a schema and no schema lacks a method: checked by the compiler here.
const channelsMatchMethods: Exclude<keyof typeof channels, Channel> extends never ? true : never = true;
void channelsMatchMethods;
