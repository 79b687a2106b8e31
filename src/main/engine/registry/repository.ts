import { Readable } from 'node:stream';
import type { Descriptor } from '../descriptor';
import { isValidDigest, parseDigest, verifyBytes } from '../digest';
import { OrasError, isOrasError } from '../errors';
import { isManifestMediaType } from '../media-type';
import { validateRepository, validateTag } from '../reference';
import type { BlobStater, Deleter, DigestCheckingPusher, HeldCheckingPusher, IoOptions, Mounter, PredecessorFinder, PushOptions, StreamPusher, TagLister, Target } from '../content/storage';
import { header, readCapped } from '../transport/http';
import type { RegistryClient } from '../transport/client';
import type { RepoContext } from './context';
import { deleteBlob, getBlob, getBlobRange, headBlob, statBlob } from './blobs';
import { deleteManifest, getManifest, headManifest, MAX_MANIFEST_BYTES, putManifest, type FetchedManifest } from './manifests';
import { addReferrerToTagIndex, listReferrers } from './referrers';
import { listTags, listTagsPage, type ListOptions } from './tags';
import type { Page } from './paging';
import { mountBlob, startUpload, uploadBlob, uploadStream } from './upload';

/** Statuses with which a registry turns down a mount it should have answered with an upload. */
const SELF_MOUNT_REFUSALS = new Set([400, 404, 405, 501]);

/** RepositoryOptions tune how a Repository uploads. */
export interface RepositoryOptions {
  /**
   * Blobs larger than this go up in PATCH chunks of this size, resumed after a drop;
   * smaller ones in one PUT. Default DEFAULT_UPLOAD_CHUNK_SIZE (32 MiB); 0: one PUT
   * per blob, whatever its size.
   */
  uploadChunkSize?: number;
  /**
   * The manifest media types to ask for (the Accept header of manifest GETs and HEADs),
   * as oras-go's `Repository.ManifestMediaTypes` and ORAS's `manifest fetch
   * --media-type`. Default: every manifest and index type the engine reads. The
   * registry may still answer with another type; what it sends is verified as usual.
   */
  manifestMediaTypes?: readonly string[];
}

/**
 * Repository is one repository of a remote registry as a `Target`: the verbs copy to
 * and from it as they would an OCI layout. Manifests and blobs go to their own
 * endpoints by media type.
 */
export class Repository implements Target, TagLister, Deleter, PredecessorFinder, Mounter, BlobStater, StreamPusher, DigestCheckingPusher, HeldCheckingPusher {
  /** The registry refuses a blob whose bytes do not match the digest its upload is closed with. */
  readonly checksDigests = true as const;

  readonly ctx: RepoContext;
  /**
   * Manifests this repository object pushed or read lately, verified, by digest. Tagging
   * one needs its bytes: keeping the last few saves a GET per tag (`oras tag` with many
   * tags, and the tag after every push).
   */
  private readonly recentManifests = new Map<string, Buffer>();
  /** Set once the registry turned down a mount from this repository (see pushUnlessHeld). */
  private refusesSelfMount = false;

  constructor(
    client: RegistryClient,
    readonly name: string,
    private readonly options: RepositoryOptions = {},
  ) {
    validateRepository(name);
    const accept = options.manifestMediaTypes?.length ? options.manifestMediaTypes.join(', ') : undefined;
    this.ctx = { client, repository: name, ...(accept ? { manifestAccept: accept } : {}) };
  }

  /** withOptions is this repository, on the same connections and login, with other options. */
  withOptions(options: RepositoryOptions): Repository {
    return new Repository(this.ctx.client, this.name, { ...this.options, ...options });
  }

  get registry(): string {
    return this.ctx.client.registry;
  }

  async fetch(desc: Descriptor, options: IoOptions = {}): Promise<Readable> {
    if (isManifestMediaType(desc.mediaType)) {
      return Readable.from([await this.manifestBytes(desc, options.signal)]);
    }
    return getBlob(this.ctx, desc, { signal: options.signal });
  }

  /** fetchRange streams part of a blob (unverified: see getBlobRange). */
  fetchRange(desc: Descriptor, start: number, end?: number, options: IoOptions = {}): Promise<Readable> {
    return getBlobRange(this.ctx, desc, start, end, options.signal);
  }

  /** fetchManifest reads a manifest by tag or digest, verified. */
  async fetchManifest(reference: string, options: IoOptions = {}): Promise<FetchedManifest> {
    const fetched = await getManifest(this.ctx, this.checkReference(reference), { signal: options.signal });
    this.remember(fetched.descriptor.digest, fetched.bytes);
    return fetched;
  }

  async push(desc: Descriptor, content: Readable, options: PushOptions = {}): Promise<void> {
    if (isManifestMediaType(desc.mediaType)) {
      await this.pushManifest(desc, content, desc.digest, options);
      return;
    }
    const location = await startUpload(this.ctx, desc.digest, options.signal);
    await uploadBlob(this.ctx, location, desc, content, { signal: options.signal, chunkSize: this.options.uploadChunkSize, reopen: options.reopen });
  }

  /** pushStream uploads a blob whose digest is not known yet, in one pass (see uploadStream). */
  pushStream(content: Readable, options: PushOptions & { size?: number } = {}): Promise<{ digest: string; size: number }> {
    return uploadStream(this.ctx, content, { signal: options.signal, chunkSize: this.options.uploadChunkSize, reopen: options.reopen, size: options.size });
  }

  /**
   * pushManifest stores a manifest under `reference` (a tag or its digest). A manifest
   * with a `subject` is added to the tag-schema referrers index when the registry has
   * no referrers API of its own.
   */
  async pushManifest(desc: Descriptor, content: Readable | Buffer, reference: string, options: IoOptions = {}): Promise<void> {
    const bytes = Buffer.isBuffer(content)
      ? content
      : await readCapped(content, MAX_MANIFEST_BYTES, () => new OrasError('SIZE_LIMIT', `manifest ${desc.digest} is larger than ${MAX_MANIFEST_BYTES} bytes`));
    verifyBytes(bytes, desc, `manifest ${desc.digest}`);
    const response = await putManifest(this.ctx, desc, bytes, this.checkReference(reference), options.signal);
    this.remember(desc.digest, bytes);
    const subject = subjectOf(bytes);
    if (subject && !header(response, 'oci-subject')) {
      const parsed = JSON.parse(bytes.toString('utf8')) as { artifactType?: string; config?: { mediaType?: string }; annotations?: Record<string, string> };
      await addReferrerToTagIndex(
        this.ctx,
        subject,
        {
          mediaType: desc.mediaType,
          digest: desc.digest,
          size: desc.size,
          artifactType: parsed.artifactType ?? parsed.config?.mediaType,
          ...(parsed.annotations ? { annotations: parsed.annotations } : {}),
        },
        options.signal,
      );
    }
  }

  statBlob(digest: string, options: IoOptions = {}): Promise<Descriptor> {
    parseDigest(digest);
    return statBlob(this.ctx, digest, options.signal);
  }

  async exists(desc: Descriptor, options: IoOptions = {}): Promise<boolean> {
    if (isManifestMediaType(desc.mediaType)) return (await headManifest(this.ctx, desc.digest, options.signal)) !== undefined;
    return headBlob(this.ctx, desc.digest, options.signal);
  }

  async resolve(reference: string, options: IoOptions = {}): Promise<Descriptor> {
    const desc = await headManifest(this.ctx, this.checkReference(reference), options.signal);
    if (!desc) {
      throw new OrasError('NOT_FOUND', `manifest ${this.registry}/${this.name}${isValidDigest(reference) ? '@' : ':'}${reference} not found`);
    }
    return desc;
  }

  async tag(desc: Descriptor, reference: string, options: IoOptions = {}): Promise<void> {
    validateTag(reference);
    await putManifest(this.ctx, desc, await this.manifestBytes(desc, options.signal), reference, options.signal);
  }

  tags(options: ListOptions = {}): AsyncIterable<string> {
    return listTags(this.ctx, options);
  }

  /** tagsPage reads one page of tags and the `last` of the next (see listTagsPage). */
  tagsPage(options: ListOptions = {}): Promise<Page> {
    return listTagsPage(this.ctx, options);
  }

  /**
   * untag deletes a tag and only the tag (`DELETE /v2/<name>/manifests/<tag>`, OCI
   * distribution 1.1). Registries that predate it (distribution 2.x) refuse, each in
   * its own way (400, 405, 500): the caller says what that means.
   */
  async untag(tag: string, options: IoOptions = {}): Promise<void> {
    validateTag(tag);
    await deleteManifest(this.ctx, tag, options.signal);
  }

  async delete(desc: Descriptor, options: IoOptions = {}): Promise<void> {
    if (isManifestMediaType(desc.mediaType)) await deleteManifest(this.ctx, desc.digest, options.signal);
    else await deleteBlob(this.ctx, desc.digest, options.signal);
  }

  predecessors(desc: Descriptor, options: IoOptions & { artifactType?: string } = {}): Promise<Descriptor[]> {
    return listReferrers(this.ctx, desc, options.artifactType, options.signal);
  }

  async mount(desc: Descriptor, fromRepository: string, getContent: () => Promise<Readable>, options: IoOptions = {}): Promise<void> {
    validateRepository(fromRepository);
    await mountBlob(this.ctx, desc, fromRepository, getContent, { signal: options.signal, chunkSize: this.options.uploadChunkSize });
  }

  /**
   * pushUnlessHeld asks with a mount from this very repository: 201 means the blob is
   * here, 202 opened the upload it then goes into. A registry that turns the request
   * down (400, 404, 405, 501: the spec says it should open an upload instead) is asked
   * with a HEAD from then on.
   */
  async pushUnlessHeld(desc: Descriptor, getContent: () => Promise<Readable>, options: IoOptions = {}): Promise<boolean> {
    const upload = { signal: options.signal, chunkSize: this.options.uploadChunkSize };
    if (!this.refusesSelfMount) {
      try {
        return await mountBlob(this.ctx, desc, this.name, getContent, upload);
      } catch (err) {
        if (!(isOrasError(err) && err.response?.method === 'POST' && SELF_MOUNT_REFUSALS.has(err.response.status))) throw err;
        this.refusesSelfMount = true;
      }
    }
    if (await this.exists(desc, options)) return true;
    await this.push(desc, await getContent(), { ...options, reopen: getContent });
    return false;
  }

  private async manifestBytes(desc: Descriptor, signal?: AbortSignal): Promise<Buffer> {
    const known = this.recentManifests.get(desc.digest);
    if (known && known.byteLength === desc.size) return known;
    const { bytes } = await getManifest(this.ctx, desc.digest, { signal, expected: desc });
    this.remember(desc.digest, bytes);
    return bytes;
  }

  private remember(digest: string, bytes: Buffer): void {
    this.recentManifests.delete(digest);
    this.recentManifests.set(digest, bytes);
    // Oldest first in a Map's order: keep the 16 most recent.
    for (const oldest of this.recentManifests.keys()) {
      if (this.recentManifests.size <= 16) break;
      this.recentManifests.delete(oldest);
    }
  }

  private checkReference(reference: string): string {
    if (!isValidDigest(reference)) validateTag(reference);
    return reference;
  }
}

function subjectOf(bytes: Buffer): Descriptor | undefined {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as { subject?: Descriptor };
    return parsed.subject && typeof parsed.subject.digest === 'string' ? parsed.subject : undefined;
  } catch {
    return undefined;
  }
}
