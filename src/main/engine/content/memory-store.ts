import type { Readable } from 'node:stream';
import { digestOf, isValidDigest } from '../digest';
import { Annotation, type Descriptor } from '../descriptor';
import { OrasError, throwIfAborted } from '../errors';
import { assertMediaType, MediaType } from '../media-type';
import { PredecessorIndex } from './referrers';
import type { IoOptions, PredecessorFinder, Resolver, Storage, TagLister, Tagger } from './storage';
import { bytesReadable, readVerified } from './streams';

/** MemoryStoreOptions configure a MemoryStore. */
export interface MemoryStoreOptions {
  /**
   * The largest blob `push` accepts, in bytes. Default: no limit. A descriptor's size
   * comes from whoever wrote the manifest, so a store fed from the network should
   * set one.
   */
  maxBlobSize?: number;
}

interface Entry {
  desc: Descriptor;
  data: Buffer;
}

/**
 * MemoryStore keeps content in memory, after oras-go's content/memory and the seed's
 * `content.NewMemoryStore()`: small artifacts built in code (the rocket example),
 * manifests and configs, tests. `add` puts bytes in and returns their descriptor;
 * `push` verifies size and digest before keeping anything. Manifests with a `subject`
 * are indexed so `predecessors` can list their referrers.
 */
export class MemoryStore implements Storage, Resolver, Tagger, TagLister, PredecessorFinder {
  private readonly content = new Map<string, Entry>();
  private readonly tagMap = new Map<string, Descriptor>();
  private readonly graph = new PredecessorIndex();
  private readonly maxBlobSize: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxBlobSize = options.maxBlobSize ?? Number.POSITIVE_INFINITY;
  }

  /**
   * add stores `content` and returns its descriptor, like the seed's
   * `store.Add(name, mediaType, bytes)`. A non-empty `name` becomes the
   * `org.opencontainers.image.title` annotation (the file name a pull writes); an
   * empty `mediaType` means `application/vnd.oci.image.layer.v1.tar`. Strings are
   * stored as UTF-8.
   */
  add(name: string, mediaType: string, content: Uint8Array | string): Descriptor {
    const type = mediaType === '' ? MediaType.DefaultLayer : assertMediaType(mediaType, name === '' ? 'media type' : `media type of ${name}`);
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    const desc: Descriptor = { mediaType: type, digest: digestOf(data), size: data.byteLength };
    if (name !== '') desc.annotations = { [Annotation.Title]: name };
    this.store(desc, data);
    return desc;
  }

  /** get returns a copy of the bytes `desc` points at, or throws NOT_FOUND. */
  get(desc: Pick<Descriptor, 'digest' | 'mediaType'>): Uint8Array {
    return new Uint8Array(this.entry(desc).data);
  }

  /** fetch streams stored content; it was verified when it came in. */
  async fetch(desc: Descriptor, options: IoOptions = {}): Promise<Readable> {
    throwIfAborted(options.signal);
    return bytesReadable(this.entry(desc).data);
  }

  /** push reads `content`, verifying size and digest against `desc`, and keeps it. */
  async push(desc: Descriptor, content: Readable, options: IoOptions = {}): Promise<void> {
    const what = `${desc.mediaType} ${desc.digest}`;
    if (desc.size > this.maxBlobSize) {
      content.destroy();
      throw new OrasError(
        'SIZE_LIMIT',
        `${what} is ${desc.size} bytes, more than the ${this.maxBlobSize} bytes this memory store accepts; use a file store or an OCI layout for large content`,
      );
    }
    const data = await readVerified(content, desc, { what, signal: options.signal });
    this.store(desc, data);
  }

  /** exists tells whether content of `desc`'s digest is stored. */
  async exists(desc: Descriptor, options: IoOptions = {}): Promise<boolean> {
    throwIfAborted(options.signal);
    return this.content.has(desc.digest);
  }

  /**
   * resolve looks a reference up: a tag set with `tag`, or the digest of stored
   * content (which resolves to a plain descriptor: media type, digest, size).
   */
  async resolve(reference: string, options: IoOptions = {}): Promise<Descriptor> {
    throwIfAborted(options.signal);
    if (reference === '') throw new OrasError('INVALID_REFERENCE', 'cannot resolve an empty reference: give a tag or a digest');
    const tagged = this.tagMap.get(reference);
    if (tagged !== undefined) return tagged;
    const entry = isValidDigest(reference) ? this.content.get(reference) : undefined;
    if (entry !== undefined) return { ...entry.desc };
    throw new OrasError('NOT_FOUND', `${JSON.stringify(reference)} is not in the memory store: tag the content first`);
  }

  /** tag points `reference` at `desc`, which must be stored already. */
  async tag(desc: Descriptor, reference: string, options: IoOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    if (reference === '') throw new OrasError('INVALID_REFERENCE', 'cannot tag with an empty reference');
    if (!this.content.has(desc.digest)) {
      throw new OrasError('NOT_FOUND', `cannot tag ${desc.digest} as ${JSON.stringify(reference)}: it is not in the memory store; push it first`);
    }
    this.tagMap.set(reference, desc);
  }

  /** tags lists the tags in ascending order, those after `last` when it is given. */
  async *tags(options: IoOptions & { last?: string } = {}): AsyncIterable<string> {
    const sorted = [...this.tagMap.keys()].sort();
    for (const tag of sorted) {
      throwIfAborted(options.signal);
      if (options.last === undefined || tag > options.last) yield tag;
    }
  }

  /** predecessors lists the stored manifests whose `subject` is `desc`. */
  async predecessors(desc: Descriptor, options: IoOptions & { artifactType?: string } = {}): Promise<Descriptor[]> {
    throwIfAborted(options.signal);
    return this.graph.list(desc.digest, options.artifactType);
  }

  private store(desc: Descriptor, data: Buffer): void {
    const plain: Descriptor = { mediaType: desc.mediaType, digest: desc.digest, size: desc.size };
    if (!this.content.has(desc.digest)) this.content.set(desc.digest, { desc: plain, data });
    this.graph.index(plain, data);
  }

  private entry(desc: Pick<Descriptor, 'digest' | 'mediaType'>): Entry {
    const entry = this.content.get(desc.digest);
    if (entry === undefined) {
      throw new OrasError('NOT_FOUND', `${desc.mediaType} ${desc.digest} is not in the memory store`);
    }
    return entry;
  }
}
