import { z } from 'zod';

/**
 * The browse and download part of the contract: what the page may ask of a registry
 * (or of the local OCI layouts) and what it gets back. Requests are checked in main;
 * every string from a registry in a response is data to show, never markup.
 *
 * `registry` is a sidebar id: `local` for the built-in OCI layouts, else a normalised
 * `host[:port]`. In the local store every repository is an OCI layout folder of its
 * own (`<data>/oci-layout/<repository>/`), so `oras … --oci-layout <folder>` reaches
 * the very same content.
 */

/** The sidebar id of the built-in OCI layouts. */
export const LOCAL_REGISTRY = 'local';

/** A sidebar id: `local` or `host[:port]` (normalised in main). */
export const registryIdSchema = z
  .string()
  .trim()
  .min(1, 'the registry is empty')
  .max(255, 'the registry is longer than 255 characters')
  .refine((v) => !/[\s/]/.test(v), 'a registry is host[:port], without spaces or "/"');

/** A repository name by the distribution spec's grammar (checked again in main). */
export const repositoryNameSchema = z
  .string()
  .min(1, 'the repository is empty')
  .max(255, 'the repository is longer than 255 characters')
  .regex(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/, 'a repository is lower-case letters, digits and . _ - separated parts, joined by "/"');

/** A tag: `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`. */
export const tagSchema = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/, 'a tag is up to 128 letters, digits, "_", "." or "-", not starting with "." or "-"');

/** A digest: `algorithm:hex`. */
export const digestSchema = z
  .string()
  .max(200, 'the digest is too long')
  .regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, 'a digest is algorithm:hex, such as sha256:…');

/** A tag or a digest. */
export const tagOrDigestSchema = z.union([tagSchema, digestSchema]);

const mediaTypeSchema = z.string().min(1).max(255);

/** Where in a repository: the registry and the repository. */
export const repositoryRefSchema = z.object({ registry: registryIdSchema, repository: repositoryNameSchema }).strict();
export type RepositoryRef = z.infer<typeof repositoryRefSchema>;

/** `browse.repositories`: one page of the catalog, after `last`. */
export const listRepositoriesSchema = z
  .object({
    registry: registryIdSchema,
    /** The last repository of the previous page. */
    last: z.string().max(255).optional(),
    /** Page size; default 1000. */
    pageSize: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();
export type ListRepositoriesRequest = z.input<typeof listRepositoriesSchema>;

/**
 * RepositoriesPage: one page of repository names. `catalog` is `unavailable` when the
 * registry refuses or lacks `/v2/_catalog` (Docker Hub, GHCR, GitLab): `message` says
 * so in one line and the page offers "Open repository…" by name instead.
 */
export interface RepositoriesPage {
  repositories: string[];
  /** Pass as `last` for the next page; absent on the last page. */
  next?: string;
  catalog: 'listed' | 'unavailable';
  message?: string;
}

/** `browse.tags`: one page of a repository's tags, after `last`. */
export const listTagsSchema = repositoryRefSchema
  .extend({
    last: z.string().max(255).optional(),
    /** Page size; default 1000. */
    pageSize: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();
export type ListTagsRequest = z.input<typeof listTagsSchema>;

export interface TagsPage {
  tags: string[];
  next?: string;
}

/**
 * `browse.tagDetails`: facts of a few tags (at most 100 a call). Main resolves each
 * tag (fresh: tags move) and reads its manifest and, for created time, its config,
 * a few requests at a time, waiting out 429s; what it read by digest it caches.
 */
export const tagDetailsSchema = repositoryRefSchema
  .extend({ tags: z.array(tagSchema).min(1, 'no tags').max(100, 'more than 100 tags at once') })
  .strict();
export type TagDetailsRequest = z.input<typeof tagDetailsSchema>;

/** TagDetail is what the tag list shows of one tag; `error` when it could not be read. */
export interface TagDetail {
  tag: string;
  digest?: string;
  mediaType?: string;
  artifactType?: string;
  /** The manifest's size plus every blob it names (an index: its manifests' sizes). */
  totalSize?: number;
  /** RFC 3339: the `org.opencontainers.image.created` annotation, else the image config's `created`. */
  created?: string;
  error?: { code: string; message: string };
}

/** DescriptorInfo is an OCI descriptor as the page sees it. */
export interface DescriptorInfo {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string; variant?: string; 'os.version'?: string };
  urls?: string[];
}

/** `browse.manifest`: a manifest by tag or digest. */
export const manifestRefSchema = repositoryRefSchema.extend({ reference: tagOrDigestSchema }).strict();
export type ManifestRef = z.infer<typeof manifestRefSchema>;

/**
 * ManifestDetails: the manifest's own descriptor (its digest even when asked by tag),
 * its bytes as the registry sent them (`raw`, verified against the digest), and what
 * main worked out that needs more reads (`created` from the config).
 */
export interface ManifestDetails {
  descriptor: DescriptorInfo;
  raw: string;
  created?: string;
  /** The manifest plus every blob it names; an index: the sum of its manifests' sizes. */
  totalSize: number;
}

/** `browse.referrers`: the referrers tree of a manifest (API, or the tag-schema fallback). */
export const referrersSchema = repositoryRefSchema.extend({ digest: digestSchema, depth: z.number().int().min(1).max(10).optional() }).strict();
export type ReferrersRequest = z.input<typeof referrersSchema>;

export interface ReferrerNode {
  descriptor: DescriptorInfo;
  referrers: ReferrerNode[];
}

/** `browse.blob`: a blob's size and its first bytes (at most 64 KiB, by `Range`). */
export const blobRefSchema = repositoryRefSchema.extend({ digest: digestSchema, mediaType: mediaTypeSchema.optional() }).strict();
export type BlobRef = z.input<typeof blobRefSchema>;

/** PREVIEW_BYTES: how much of a blob a preview reads; nothing larger is read for one. */
export const PREVIEW_BYTES = 64 * 1024;

export interface BlobPreview {
  digest: string;
  size: number;
  mediaType?: string;
  /** The first bytes, base64; `complete` when that is the whole blob (then it was verified). */
  head: string;
  complete: boolean;
}

/** `tags.add`: points more tags at a manifest. */
export const addTagsSchema = repositoryRefSchema
  .extend({ digest: digestSchema, tags: z.array(tagSchema).min(1, 'no tags').max(100, 'more than 100 tags at once') })
  .strict();
export type AddTagsRequest = z.input<typeof addTagsSchema>;

/**
 * `manifests.delete`: by digest, the manifest and every tag on it; by tag, that tag
 * only where the registry can (OCI distribution 1.1), else UNSUPPORTED saying so.
 */
export const deleteManifestSchema = manifestRefSchema;
export type DeleteManifestRequest = z.input<typeof deleteManifestSchema>;

/** `downloads.blob`: a blob to a file (Electron: a save dialog; browser mode: a browser download). */
export const downloadBlobSchema = blobRefSchema
  .extend({
    /** The file name offered: the layer's title, else the digest's hex. Checked in main. */
    name: z.string().min(1).max(255).optional(),
  })
  .strict();
export type DownloadBlobRequest = z.input<typeof downloadBlobSchema>;

/** `downloads.pull`: every file of an artifact (Electron: into a folder; browser mode: one .tar). */
export const downloadPullSchema = manifestRefSchema;
export type DownloadPullRequest = z.input<typeof downloadPullSchema>;

/**
 * DownloadStarted: `cancelled` when the user closed the save dialog; else a job
 * (`job.progress`, `job.state` events) writing to `savedTo` (Electron) or feeding the
 * browser download (`browserDownload`, started by the shim itself).
 */
export interface DownloadStarted {
  cancelled?: boolean;
  jobId?: string;
  savedTo?: string;
  browserDownload?: { id: string; name: string; size?: number };
}
