import { mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { isValidDigest, parseDigest } from '../digest';
import { assertDescriptor, type Descriptor, type Index } from '../descriptor';
import { OrasError, throwIfAborted } from '../errors';
import { isIndexMediaType, isManifestMediaType, MediaType } from '../media-type';
import { validateTag } from '../reference';
import { writeFileAtomic, writeStreamAtomic } from './atomic-write';
import { fsError, isNotFound } from './fs-error';
import { emptyIndex, findTag, parseIndex, tagsOf, withManifest, withoutDigest, withoutTag, withTag } from './oci-index';
import { PredecessorIndex } from './referrers';
import { SerialQueue } from './serial-queue';
import type { BlobStater, Deleter, Fetcher, IoOptions, PredecessorFinder, TagLister, Target } from './storage';
import { bindSignal, FILE_READ_CHUNK, readVerified, verifiedReadable } from './streams';

/** The oci-layout file's content this store writes (image-spec "oci-layout file"). */
const LAYOUT_VERSION = '1.0.0';
const LAYOUT_FILE = 'oci-layout';
const INDEX_FILE = 'index.json';
/** Manifests are read into memory to index referrers; larger content is not a manifest. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * One queue per index.json in the process, so two stores opened on the same folder
 * still take turns updating it.
 */
const indexQueues = new Map<string, SerialQueue>();

/**
 * OciLayoutStore is a folder in the OCI image layout (image-spec "image-layout.md"):
 * `oci-layout`, `index.json` listing manifests (tags in their
 * `org.opencontainers.image.ref.name` annotation) and `blobs/<alg>/<hex>`. It is a
 * full Target — the app's built-in default, usable wherever a registry is — plus
 * tag listing, deletion and referrers. Blobs are verified as they stream into a temp
 * file and renamed into place; index.json is rewritten whole (temp file and rename),
 * one update at a time, so concurrent tags lose nothing.
 */
export class OciLayoutStore implements Target, TagLister, Deleter, PredecessorFinder, BlobStater {
  private readonly indexPath: string;
  private readonly queue: SerialQueue;
  private readonly referrers = new LayoutReferrers(async () => (await this.readIndex()).manifests, this);

  private constructor(readonly root: string) {
    this.indexPath = path.join(root, INDEX_FILE);
    let queue = indexQueues.get(this.indexPath);
    if (queue === undefined) {
      queue = new SerialQueue();
      indexQueues.set(this.indexPath, queue);
    }
    this.queue = queue;
  }

  /**
   * open opens the layout at `root`, creating it when the folder is missing or empty.
   * A folder that holds other things but no `oci-layout` file, an unsupported layout
   * version or a broken index.json is refused with a message saying so.
   */
  static async open(root: string, options: IoOptions = {}): Promise<OciLayoutStore> {
    throwIfAborted(options.signal);
    const store = new OciLayoutStore(path.resolve(root));
    await store.init();
    return store;
  }

  /** fetch streams a blob, verified against `desc` as it is read. */
  async fetch(desc: Descriptor, options: IoOptions = {}): Promise<Readable> {
    throwIfAborted(options.signal);
    const file = this.blobPath(desc.digest);
    const handle = await open(file, 'r').catch((err: unknown) => {
      throw isNotFound(err) ? this.notFound(desc) : fsError(err, 'read', file);
    });
    return verifiedReadable(handle.createReadStream({ highWaterMark: FILE_READ_CHUNK }), desc, `${desc.mediaType} ${desc.digest} in ${this.root}`, options.signal);
  }

  /**
   * fetchRange streams bytes `start` to `end` (inclusive; to the end when omitted) of a
   * blob, as a registry's `Range` read does; a part cannot be verified against the
   * blob's digest, so the caller verifies the whole when it has it.
   */
  async fetchRange(desc: Descriptor, start: number, end?: number, options: IoOptions = {}): Promise<Readable> {
    throwIfAborted(options.signal);
    const last = end ?? desc.size - 1;
    if (!Number.isSafeInteger(start) || start < 0 || last < start || last >= desc.size) {
      throw new OrasError('INVALID_ARGUMENT', `blob ${desc.digest}: range ${start}-${last} is outside its ${desc.size} bytes`);
    }
    const file = this.blobPath(desc.digest);
    const handle = await open(file, 'r').catch((err: unknown) => {
      throw isNotFound(err) ? this.notFound(desc) : fsError(err, 'read', file);
    });
    return bindSignal(handle.createReadStream({ start, end: last, highWaterMark: FILE_READ_CHUNK }), options.signal);
  }

  /**
   * push stores a blob, verified against `desc`. A blob already present is kept (it
   * was verified when written) and `content` is discarded. Manifests are listed in
   * index.json and their `subject` indexed for `predecessors`.
   */
  async push(desc: Descriptor, content: Readable, options: IoOptions = {}): Promise<void> {
    let file: string;
    try {
      throwIfAborted(options.signal);
      file = this.blobPath(desc.digest);
      if (await this.hasBlob(file)) {
        content.destroy();
      } else {
        await mkdir(path.dirname(file), { recursive: true }).catch((err: unknown) => {
          throw fsError(err, 'create folder', path.dirname(file));
        });
        await writeStreamAtomic(file, content, { expected: desc, what: `${desc.mediaType} ${desc.digest}`, signal: options.signal });
      }
    } catch (err) {
      content.destroy();
      throw err;
    }
    if (isManifestMediaType(desc.mediaType)) {
      await this.updateIndex((index) => withManifest(index, desc));
      // Indexing is best effort: a blob deleted meanwhile has no referrers to list.
      const bytes = desc.size <= MAX_MANIFEST_BYTES ? await readFile(file).catch(() => undefined) : undefined;
      if (bytes !== undefined) this.referrers.index(desc, bytes);
    }
  }

  /** statBlob describes a blob by digest alone (size from the file), as `oras blob fetch` needs. */
  async statBlob(digest: string, options: IoOptions = {}): Promise<Descriptor> {
    throwIfAborted(options.signal);
    const file = this.blobPath(digest);
    try {
      const info = await stat(file);
      if (info.isFile()) return { mediaType: 'application/octet-stream', digest, size: info.size };
    } catch (err) {
      if (!isNotFound(err)) throw fsError(err, 'read blob', file, options.signal);
    }
    throw new OrasError('NOT_FOUND', `blob ${digest} is not in the OCI layout at ${this.root}`);
  }

  /** exists tells whether the blob of `desc`'s digest is in the layout. */
  async exists(desc: Descriptor, options: IoOptions = {}): Promise<boolean> {
    throwIfAborted(options.signal);
    return this.hasBlob(this.blobPath(desc.digest));
  }

  /**
   * resolve finds a manifest by tag (the descriptor index.json records, without its
   * ref.name annotation) or by digest (a plain descriptor: media type, digest, size).
   */
  async resolve(reference: string, options: IoOptions = {}): Promise<Descriptor> {
    throwIfAborted(options.signal);
    if (reference === '') throw new OrasError('INVALID_REFERENCE', 'cannot resolve an empty reference: give a tag or a digest');
    const index = await this.readIndex();
    // Exact ref.name first: layouts written by other tools may record full names.
    const tagged = findTag(index, reference);
    if (tagged !== undefined) return tagged;
    if (isValidDigest(reference)) {
      const listed = index.manifests.find((m) => m.digest === reference);
      if (listed !== undefined) return { mediaType: listed.mediaType, digest: listed.digest, size: listed.size };
      return this.resolveManifestBlob(reference, options.signal);
    }
    validateTag(reference);
    throw new OrasError('NOT_FOUND', `tag ${JSON.stringify(reference)} is not in the OCI layout at ${this.root}`);
  }

  /**
   * tag points `reference` (a tag by the distribution grammar, or `desc`'s own digest,
   * which only lists it) at `desc`, which must be in the layout. A tag on another
   * manifest moves; that manifest stays listed, untagged.
   */
  async tag(desc: Descriptor, reference: string, options: IoOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    const byDigest = isValidDigest(reference);
    if (byDigest && reference !== desc.digest) {
      throw new OrasError('INVALID_REFERENCE', `cannot tag ${desc.digest} with the digest ${reference}: a digest reference must be the content's own digest`);
    }
    if (!byDigest) validateTag(reference);
    if (!(await this.exists(desc))) {
      throw new OrasError('NOT_FOUND', `cannot tag ${desc.digest} as ${JSON.stringify(reference)}: it is not in the OCI layout at ${this.root}; push it first`);
    }
    await this.updateIndex((index) => (byDigest ? withManifest(index, desc) : withTag(index, desc, reference)));
  }

  /** untag removes a tag; the manifest stays in the layout, listed untagged. */
  async untag(reference: string, options: IoOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    validateTag(reference);
    await this.updateIndex((index) => {
      if (findTag(index, reference) === undefined) {
        throw new OrasError('NOT_FOUND', `tag ${JSON.stringify(reference)} is not in the OCI layout at ${this.root}`);
      }
      return withoutTag(index, reference);
    });
  }

  /** tags lists index.json's tags in ascending order, those after `last` when it is given. */
  async *tags(options: IoOptions & { last?: string } = {}): AsyncIterable<string> {
    throwIfAborted(options.signal);
    for (const tag of tagsOf(await this.readIndex())) {
      throwIfAborted(options.signal);
      if (options.last === undefined || tag > options.last) yield tag;
    }
  }

  /**
   * delete removes a blob and every index.json entry for it (its tags too). It does not
   * collect what only it referred to.
   */
  async delete(desc: Descriptor, options: IoOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    const file = this.blobPath(desc.digest);
    if (!(await this.hasBlob(file))) throw this.notFound(desc);
    await this.updateIndex((index) => withoutDigest(index, desc.digest));
    await unlink(file).catch((err: unknown) => {
      if (!isNotFound(err)) throw fsError(err, 'delete', file);
    });
    this.referrers.remove(desc.digest);
  }

  /**
   * predecessors lists the manifests whose `subject` is `desc`. The first call reads
   * every manifest reachable from index.json (once); pushes keep the index current.
   */
  async predecessors(desc: Descriptor, options: IoOptions & { artifactType?: string } = {}): Promise<Descriptor[]> {
    return this.referrers.list(desc.digest, options.artifactType, options.signal);
  }

  private async init(): Promise<void> {
    const { root } = this;
    const stats = await stat(root).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw fsError(err, 'open', root);
    });
    if (stats === undefined) {
      await mkdir(root, { recursive: true }).catch((err: unknown) => {
        throw fsError(err, 'create folder', root);
      });
    } else if (!stats.isDirectory()) {
      throw new OrasError('INVALID_ARGUMENT', `${root} is a file; an OCI layout is a folder. Choose a folder`);
    }
    await this.ensureLayoutFile();
    const index = await readFile(this.indexPath, 'utf8').catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw fsError(err, 'read', this.indexPath);
    });
    if (index === undefined) await writeFileAtomic(this.indexPath, JSON.stringify(emptyIndex()));
    else parseIndex(index, this.indexPath);
    await mkdir(path.join(root, 'blobs', 'sha256'), { recursive: true }).catch((err: unknown) => {
      throw fsError(err, 'create folder', path.join(root, 'blobs'));
    });
  }

  private async ensureLayoutFile(): Promise<void> {
    const file = path.join(this.root, LAYOUT_FILE);
    const text = await readFile(file, 'utf8').catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw fsError(err, 'read', file);
    });
    if (text === undefined) {
      // Only an empty folder becomes a layout: anything else is someone's folder.
      const others = (await readdir(this.root)).filter((name) => !name.startsWith('.'));
      if (others.length > 0) {
        throw new OrasError(
          'INVALID_ARGUMENT',
          `${this.root} is not an OCI image layout: it has no oci-layout file and is not empty. Choose an empty folder or an existing OCI layout`,
        );
      }
      await writeFileAtomic(file, JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION }));
      return;
    }
    let version: unknown;
    try {
      version = (JSON.parse(text) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
    } catch {
      throw new OrasError('INVALID_ARGUMENT', `${this.root} is not a valid OCI image layout: its oci-layout file is not JSON`);
    }
    if (typeof version !== 'string' || !/^1\.\d+\.\d+$/.test(version)) {
      throw new OrasError(
        'INVALID_ARGUMENT',
        `${this.root} has an OCI layout of version ${JSON.stringify(version)}; only version 1.x layouts are supported`,
      );
    }
  }

  private async readIndex(): Promise<Index> {
    const text = await readFile(this.indexPath, 'utf8').catch((err: unknown) => {
      throw fsError(err, 'read', this.indexPath);
    });
    return parseIndex(text, this.indexPath);
  }

  /** updateIndex read-modify-writes index.json under the queue; `change` may return the same index for no change. */
  private updateIndex(change: (index: Index) => Index): Promise<void> {
    return this.queue.run(async () => {
      const index = await this.readIndex();
      const next = change(index);
      if (next !== index) await writeFileAtomic(this.indexPath, JSON.stringify(next));
    });
  }

  /** resolveBlob resolves a digest index.json does not list, if its blob is a manifest. */
  private async resolveManifestBlob(digest: string, signal?: AbortSignal): Promise<Descriptor> {
    const file = this.blobPath(digest);
    const size = await stat(file).then(
      (s) => s.size,
      () => undefined,
    );
    const notFound = new OrasError('NOT_FOUND', `no manifest with digest ${digest} is in the OCI layout at ${this.root}`);
    if (size === undefined || size > MAX_MANIFEST_BYTES) throw notFound;
    const probe: Descriptor = { mediaType: MediaType.ImageManifest, digest, size };
    const mediaType = manifestTypeOf(await readVerified(await this.fetch(probe), probe, { maxBytes: MAX_MANIFEST_BYTES, signal }));
    if (mediaType === undefined) throw notFound;
    return { mediaType, digest, size };
  }

  private blobPath(digest: string): string {
    // parseDigest admits only `algorithm:hex`, so a digest cannot name a path elsewhere.
    const { algorithm, encoded } = parseDigest(digest);
    return path.join(this.root, 'blobs', algorithm, encoded);
  }

  private async hasBlob(file: string): Promise<boolean> {
    try {
      return (await stat(file)).isFile();
    } catch (err) {
      if (isNotFound(err)) return false;
      throw fsError(err, 'read', file);
    }
  }

  private notFound(desc: Descriptor): OrasError {
    return new OrasError('NOT_FOUND', `${desc.mediaType} ${desc.digest} is not in the OCI layout at ${this.root}`);
  }
}

/** manifestTypeOf tells a manifest's media type from its JSON, or undefined if it is not one. */
export function manifestTypeOf(bytes: Buffer): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (typeof m.mediaType === 'string') return isManifestMediaType(m.mediaType) ? m.mediaType : undefined;
  if (Array.isArray(m.manifests)) return MediaType.ImageIndex;
  if (typeof m.config === 'object' && Array.isArray(m.layers)) return MediaType.ImageManifest;
  return undefined;
}

/** childrenOf lists the valid descriptors of an index's `manifests`; anything unreadable is skipped. */
export function childrenOf(bytes: Buffer): Descriptor[] {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return [];
  }
  const manifests = (value as { manifests?: unknown } | null)?.manifests;
  if (!Array.isArray(manifests)) return [];
  return manifests.filter((m: unknown): m is Descriptor => {
    try {
      assertDescriptor(m, 'child');
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * LayoutReferrers finds a layout's referrers: the first `list` reads every manifest
 * reachable from the layout's roots (through indexes) once and records its subject;
 * a store that changes keeps it current with `index` and `remove`. A layout may omit
 * content (a partial copy): what `fetcher` cannot find has no referrers to find.
 */
export class LayoutReferrers {
  private readonly graph = new PredecessorIndex();
  private scanned: Promise<void> | undefined;

  constructor(
    private readonly roots: () => Promise<readonly Descriptor[]>,
    private readonly fetcher: Fetcher,
  ) {}

  /** list gives the manifests whose `subject` is `subject`, of `artifactType` when given. */
  async list(subject: string, artifactType: string | undefined, signal?: AbortSignal): Promise<Descriptor[]> {
    throwIfAborted(signal);
    this.scanned ??= this.scan(signal).catch((err: unknown) => {
      this.scanned = undefined;
      throw err;
    });
    await this.scanned;
    return this.graph.list(subject, artifactType);
  }

  /** index records a manifest stored since (its subject, if it has one). */
  index(desc: Descriptor, bytes: Uint8Array): void {
    this.graph.index(desc, bytes);
  }

  remove(digest: string): void {
    this.graph.remove(digest);
  }

  private async scan(signal?: AbortSignal): Promise<void> {
    const queue = [...(await this.roots())];
    const seen = new Set<string>();
    for (let desc = queue.shift(); desc !== undefined; desc = queue.shift()) {
      throwIfAborted(signal);
      if (seen.has(desc.digest) || !isManifestMediaType(desc.mediaType) || desc.size > MAX_MANIFEST_BYTES) continue;
      seen.add(desc.digest);
      let bytes: Buffer;
      try {
        bytes = await readVerified(await this.fetcher.fetch(desc, { signal }), desc, { maxBytes: MAX_MANIFEST_BYTES, signal });
      } catch (err) {
        if (err instanceof OrasError && err.code === 'NOT_FOUND') continue;
        throw err;
      }
      this.graph.index(desc, bytes);
      if (isIndexMediaType(desc.mediaType)) queue.push(...childrenOf(bytes));
    }
  }
}
