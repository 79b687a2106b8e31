import type { Descriptor, Index } from '../descriptor';
import { digestOf, isValidDigest } from '../digest';
import { quoted } from '../echo';
import { OrasError, isOrasError } from '../errors';
import { assertMediaType, isIndexMediaType, isManifestMediaType, MediaType } from '../media-type';
import type { IoOptions, ReadOnlyTarget, Target } from '../content/storage';
import { fetchBytes, pushBytes } from './bytes';
import { goIndexJson } from './index-json';
import { platformOfConfig } from './index-platform';
import { parseIndex, parseManifest } from './manifest-codec';

/**
 * index-build makes and changes multi-platform image indexes from manifests already in
 * a repository or layout (ORAS 1.3's `oras manifest index create` and `update`,
 * cmd/oras/root/manifest/index): each manifest becomes an entry carrying its platform,
 * read from its image config, and its artifact type; the index is written as ORAS
 * writes it (index-json.ts), so the same sources give the same digest.
 */

/** BuiltIndex is an index ready to push or save: its value, exact bytes and descriptor. */
export interface BuiltIndex {
  index: Index;
  bytes: Uint8Array;
  descriptor: Descriptor;
}

/** IndexSourceEvents are called as each source is read (ORAS's Fetching/Fetched lines). */
export interface IndexSourceEvents {
  onFetching?(reference: string): void;
  /** `desc` is the manifest as found, before its platform is read. */
  onFetched?(reference: string, desc: Descriptor): void;
}

/**
 * CreateIndexOptions: `artifactType` (default none) and `annotations` (default none)
 * of the index itself.
 */
export interface CreateIndexOptions extends IoOptions, IndexSourceEvents {
  artifactType?: string;
  annotations?: Record<string, string>;
}

/**
 * createIndex reads each of `references` (tags or digests in `source`, in order: the
 * entries keep it, duplicates included) and packs an OCI image index over them. An image
 * manifest's entry gets the platform of its config and its artifactType; an index given
 * as a source becomes a nested entry with its artifactType. Nothing is pushed (pushIndex).
 *
 * @throws OrasError NOT_FOUND "could not find the manifest <ref>" (the cause's code kept
 * when it is not a plain absence), INVALID_ARGUMENT "<ref> is not a manifest",
 * INVALID_MEDIA_TYPE for `artifactType`, INVALID_MANIFEST, SIZE_LIMIT; ABORTED.
 * @example
 * ```ts
 * const built = await createIndex(repository, ['linux-amd64', 'linux-arm64']);
 * await pushIndex(repository, built, { reference: 'v1' });
 * ```
 */
export async function createIndex(source: ReadOnlyTarget, references: readonly string[], options: CreateIndexOptions = {}): Promise<BuiltIndex> {
  if (options.artifactType !== undefined && options.artifactType !== '') assertIndexArtifactType(options.artifactType);
  const manifests: Descriptor[] = [];
  for (const reference of references) manifests.push(await readEntry(source, reference, options));
  return packIndex({
    schemaVersion: 2,
    mediaType: MediaType.ImageIndex,
    ...(options.artifactType ? { artifactType: options.artifactType } : {}),
    manifests,
    ...(options.annotations ? { annotations: { ...options.annotations } } : {}),
  });
}

/**
 * UpdateIndexOptions says what updateIndex changes, applied in ORAS's order: `remove`
 * (digests; every entry with one goes, and each must be there), then `add` (manifests,
 * appended as createIndex makes entries), then `merge` (indexes whose entries are
 * appended as they are). `artifactType`: undefined keeps the index's, `''` removes it.
 */
export interface UpdateIndexOptions extends IoOptions, IndexSourceEvents {
  add?: readonly string[];
  merge?: readonly string[];
  remove?: readonly string[];
  artifactType?: string;
  onRemoved?(digest: string): void;
  onAdded?(reference: string, desc: Descriptor): void;
  onMerged?(reference: string, desc: Descriptor): void;
}

/** UpdatedIndex is the new index and the descriptor of the one it was made from. */
export interface UpdatedIndex extends BuiltIndex {
  base: Descriptor;
}

/**
 * updateIndex reads the index `reference` names in `target` and packs a changed copy
 * (see UpdateIndexOptions); nothing is pushed. Like ORAS, the copy keeps the index's
 * known fields (mediaType, artifactType, manifests, subject, annotations) and drops
 * any others.
 *
 * @throws OrasError NOT_FOUND "could not find the index <ref>", "<digest> does not exist
 * in the index <ref>"; INVALID_ARGUMENT "<ref> is not an index" / "is not a manifest";
 * INVALID_DIGEST for a `remove` that is not a digest; INVALID_MEDIA_TYPE; ABORTED.
 * @example
 * ```ts
 * const updated = await updateIndex(repository, 'v1', { add: ['linux-s390x'] });
 * await pushIndex(repository, updated, { reference: 'v1' });
 * ```
 */
export async function updateIndex(target: ReadOnlyTarget, reference: string, options: UpdateIndexOptions = {}): Promise<UpdatedIndex> {
  if (options.artifactType !== undefined && options.artifactType !== '') assertIndexArtifactType(options.artifactType);
  for (const digest of options.remove ?? []) {
    if (!isValidDigest(digest)) throw new OrasError('INVALID_DIGEST', `remove: ${quoted(digest)} is not a digest: entries are removed by digest (sha256:…)`);
  }
  const base = await readIndex(target, reference, options);
  const index: Index = {
    schemaVersion: 2,
    ...(base.index.mediaType ? { mediaType: base.index.mediaType } : {}),
    ...(base.index.artifactType ? { artifactType: base.index.artifactType } : {}),
    manifests: base.index.manifests,
    ...(base.index.subject ? { subject: base.index.subject } : {}),
    ...(base.index.annotations ? { annotations: base.index.annotations } : {}),
  };
  if (options.artifactType !== undefined) {
    if (options.artifactType === '') delete index.artifactType;
    else index.artifactType = options.artifactType;
  }
  index.manifests = removeEntries(index.manifests, options.remove ?? [], reference);
  for (const digest of new Set(options.remove ?? [])) options.onRemoved?.(digest);
  for (const ref of options.add ?? []) {
    const entry = await readEntry(target, ref, options);
    index.manifests.push(entry);
    options.onAdded?.(ref, entry);
  }
  for (const ref of options.merge ?? []) {
    const merged = await readIndex(target, ref, options);
    index.manifests.push(...merged.index.manifests);
    options.onMerged?.(ref, merged.descriptor);
  }
  // An index without its own mediaType field is pushed as what it was served as.
  return { ...packIndex(index, index.mediaType ?? base.descriptor.mediaType), base: base.descriptor };
}

/** removeEntries drops every entry whose digest is in `digests`; each must match one. */
function removeEntries(manifests: readonly Descriptor[], digests: readonly string[], indexRef: string): Descriptor[] {
  const wanted = new Set(digests);
  const kept = manifests.filter((m) => !wanted.has(m.digest));
  for (const digest of wanted) {
    if (!manifests.some((m) => m.digest === digest)) throw new OrasError('NOT_FOUND', `${digest} does not exist in the index ${indexRef}`);
  }
  return kept;
}

/** packIndex writes `index` as ORAS does (see index-json.ts) and describes the bytes. */
export function packIndex(index: Index, mediaType: string = index.mediaType ?? MediaType.ImageIndex): BuiltIndex {
  const bytes = new TextEncoder().encode(goIndexJson(index));
  return { index, bytes, descriptor: { mediaType, digest: digestOf(bytes), size: bytes.byteLength } };
}

/** PushIndexOptions: `reference` a tag to push it by (default its digest), `tags` more tags after it. */
export interface PushIndexOptions extends IoOptions {
  reference?: string;
  tags?: readonly string[];
  /** called once the index is stored under `reference` (or its digest) */
  onPushed?(): void;
  onTagged?(tag: string): void;
}

/** ManifestPusher is a registry repository's power to PUT a manifest under a tag in one request. */
interface ManifestPusher {
  pushManifest(desc: Descriptor, content: Buffer, reference: string, options?: IoOptions): Promise<void>;
}

function isManifestPusher(value: object): value is ManifestPusher {
  return typeof (value as Partial<ManifestPusher>).pushManifest === 'function';
}

/**
 * pushIndex stores a built index in `target` under `reference` (a tag; by its digest
 * when there is none or it is a digest), then points each of `tags` at it, one after
 * another (concurrent PUTs of one manifest upset distribution 2.x, see verbs.tag).
 */
export async function pushIndex(target: Target, built: BuiltIndex, options: PushIndexOptions = {}): Promise<void> {
  const { descriptor } = built;
  const bytes = Buffer.from(built.bytes.buffer, built.bytes.byteOffset, built.bytes.byteLength);
  const tag = options.reference !== undefined && options.reference !== '' && !isValidDigest(options.reference) ? options.reference : undefined;
  const io = { signal: options.signal };
  if (isManifestPusher(target)) await target.pushManifest(descriptor, bytes, tag ?? descriptor.digest, io);
  else {
    await pushBytes(target, descriptor, bytes, io);
    if (tag !== undefined) await target.tag(descriptor, tag, io);
  }
  options.onPushed?.();
  for (const extra of options.tags ?? []) {
    if (isManifestPusher(target)) await target.pushManifest(descriptor, bytes, extra, io);
    else await target.tag(descriptor, extra, io);
    options.onTagged?.(extra);
  }
}

/**
 * assertIndexArtifactType checks an index's artifact type as ORAS does: `type/subtype`
 * by image-spec's descriptor schema, no parameters.
 */
export function assertIndexArtifactType(artifactType: string): void {
  assertMediaType(artifactType, 'artifact type');
  if (artifactType.includes(';')) {
    throw new OrasError('INVALID_MEDIA_TYPE', `invalid artifact type ${quoted(artifactType)}: an index's artifact type is type/subtype with no parameters`);
  }
}

interface Fetched {
  descriptor: Descriptor;
  bytes: Uint8Array;
}

/** ManifestFetcher is a registry repository's power to GET a manifest by tag in one request. */
interface ManifestFetcher {
  fetchManifest(reference: string, options?: IoOptions): Promise<{ descriptor: Descriptor; bytes: Uint8Array }>;
}

function isManifestFetcher(value: object): value is ManifestFetcher {
  return typeof (value as Partial<ManifestFetcher>).fetchManifest === 'function';
}

/**
 * fetchSource reads the manifest `reference` names, as ORAS's FetchBytes: a failure is
 * "could not find the <what> <ref>: <why>", keeping the cause's code (a refused login
 * stays UNAUTHORIZED).
 */
async function fetchSource(target: ReadOnlyTarget, reference: string, what: 'manifest' | 'index', options: IoOptions): Promise<Fetched> {
  try {
    if (isManifestFetcher(target)) return await target.fetchManifest(reference, options);
    const descriptor = await target.resolve(reference, options);
    return { descriptor, bytes: await fetchBytes(target, descriptor, options) };
  } catch (err) {
    if (options.signal?.aborted || isOrasError(err, 'ABORTED')) throw err;
    const code = err instanceof OrasError ? err.code : 'NOT_FOUND';
    throw new OrasError(code, `could not find the ${what} ${reference}: ${(err as Error).message}`, { cause: err });
  }
}

/** readIndex fetches an index (a manifest or any other kind is refused, naming it). */
async function readIndex(target: ReadOnlyTarget, reference: string, options: IndexSourceEvents & IoOptions): Promise<{ descriptor: Descriptor; index: Index }> {
  options.onFetching?.(reference);
  const fetched = await fetchSource(target, reference, 'index', options);
  if (!isIndexMediaType(fetched.descriptor.mediaType)) {
    throw new OrasError('INVALID_ARGUMENT', `${reference} is not an index: it is a ${fetched.descriptor.mediaType}`);
  }
  options.onFetched?.(reference, fetched.descriptor);
  return { descriptor: fetched.descriptor, index: parseIndex(fetched.bytes, fetched.descriptor) };
}

/**
 * readEntry fetches a manifest (an image manifest or an index) and makes its index
 * entry: media type, digest and size, then the platform (image manifests) and artifactType.
 */
async function readEntry(target: ReadOnlyTarget, reference: string, options: IndexSourceEvents & IoOptions): Promise<Descriptor> {
  options.onFetching?.(reference);
  const { descriptor, bytes } = await fetchSource(target, reference, 'manifest', options);
  if (!isManifestMediaType(descriptor.mediaType)) {
    throw new OrasError('INVALID_ARGUMENT', `${reference} is not a manifest: it is a ${descriptor.mediaType}`);
  }
  options.onFetched?.(reference, descriptor);
  const entry: Descriptor = { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
  if (isIndexMediaType(descriptor.mediaType)) {
    const index = parseIndex(bytes, descriptor);
    if (index.artifactType) entry.artifactType = index.artifactType;
    return entry;
  }
  const manifest = parseManifest(bytes, descriptor);
  let config: Uint8Array;
  try {
    config = await fetchBytes(target, manifest.config, options);
  } catch (err) {
    if (!(err instanceof OrasError) || err.code === 'ABORTED') throw err;
    throw new OrasError(err.code, `the config of ${reference}: ${err.message}`, { cause: err });
  }
  const platform = platformOfConfig(config);
  if (platform) entry.platform = platform;
  if (manifest.artifactType) entry.artifactType = manifest.artifactType;
  return entry;
}
