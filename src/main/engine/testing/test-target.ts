import { Readable } from 'node:stream';
import type { Descriptor } from '../descriptor';
import { digestOf, isValidDigest, verifyBytes } from '../digest';
import { OrasError, abortError, throwIfAborted } from '../errors';
import { isManifestMediaType } from '../media-type';
import type { IoOptions, Mounter, PredecessorFinder, Target } from '../content/storage';

/**
 * TestTarget is an in-memory Target for the verbs' unit tests (MemoryStore lives in
 * content/ and is not the verbs' business). It can serve content in small chunks,
 * slowly, or altered, and records what was asked of it, so tests can watch order,
 * concurrency and failures.
 */
export class TestTarget implements Target, PredecessorFinder {
  readonly blobs = new Map<string, { desc: Descriptor; bytes: Buffer }>();
  readonly tagMap = new Map<string, Descriptor>();
  /** log of calls: `exists <digest>`, `push <digest>`, `pushed <digest>`, `tag <ref>`. */
  readonly log: string[] = [];
  /** chunk size fetch serves content in; default 64 KiB. */
  chunkSize = 64 * 1024;
  /** milliseconds to wait before each chunk served and before each push completes. */
  delayMs = 0;
  /** bytes served instead of the real content, by digest: a lying source. */
  readonly tampered = new Map<string, Buffer>();
  /** pushes running now, and the most at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** fetches served, by digest. */
  readonly fetchCount = new Map<string, number>();

  /** add stores content as is (no verification) and returns its descriptor. */
  add(mediaType: string, content: string | Uint8Array, annotations?: Record<string, string>): Descriptor {
    const bytes = Buffer.from(content);
    const desc: Descriptor = { mediaType, digest: digestOf(bytes), size: bytes.byteLength, ...(annotations ? { annotations } : {}) };
    this.blobs.set(desc.digest, { desc, bytes });
    return desc;
  }

  /** addJson stores a manifest or index object written compactly. */
  addJson(mediaType: string, value: object): Descriptor {
    return this.add(mediaType, JSON.stringify(value));
  }

  bytesOf(desc: Pick<Descriptor, 'digest'>): Buffer | undefined {
    return this.blobs.get(desc.digest)?.bytes;
  }

  async exists(desc: Descriptor): Promise<boolean> {
    this.log.push(`exists ${desc.digest}`);
    return this.blobs.has(desc.digest);
  }

  async fetch(desc: Descriptor, options: IoOptions = {}): Promise<Readable> {
    throwIfAborted(options.signal);
    const found = this.blobs.get(desc.digest);
    if (!found) throw new OrasError('NOT_FOUND', `${desc.digest} not found`);
    this.fetchCount.set(desc.digest, (this.fetchCount.get(desc.digest) ?? 0) + 1);
    const bytes = this.tampered.get(desc.digest) ?? found.bytes;
    const chunkSize = this.chunkSize;
    const delayMs = this.delayMs;
    const signal = options.signal;
    return Readable.from(
      (async function* () {
        for (let at = 0; at < bytes.byteLength || at === 0; at += chunkSize) {
          if (delayMs > 0) await sleep(delayMs, signal);
          if (bytes.byteLength === 0) return;
          yield bytes.subarray(at, at + chunkSize);
        }
      })(),
      { objectMode: false },
    );
  }

  async push(desc: Descriptor, content: Readable, options: IoOptions = {}): Promise<void> {
    this.log.push(`push ${desc.digest}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of content) {
        throwIfAborted(options.signal);
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
      if (this.delayMs > 0) await sleep(this.delayMs, options.signal);
      const bytes = Buffer.concat(chunks);
      verifyBytes(bytes, desc, `pushed ${desc.digest}`);
      this.blobs.set(desc.digest, { desc: { mediaType: desc.mediaType, digest: desc.digest, size: desc.size }, bytes });
      this.log.push(`pushed ${desc.digest}`);
    } finally {
      this.inFlight--;
    }
  }

  async resolve(reference: string): Promise<Descriptor> {
    const desc = isValidDigest(reference) ? this.blobs.get(reference)?.desc : this.tagMap.get(reference);
    if (!desc) throw new OrasError('NOT_FOUND', `${reference}: not found`);
    return { mediaType: desc.mediaType, digest: desc.digest, size: desc.size };
  }

  async tag(desc: Descriptor, reference: string): Promise<void> {
    if (!this.blobs.has(desc.digest)) throw new OrasError('NOT_FOUND', `${desc.digest} not found`);
    this.log.push(`tag ${reference}`);
    this.tagMap.set(reference, desc);
  }

  async predecessors(desc: Descriptor, options: IoOptions & { artifactType?: string } = {}): Promise<Descriptor[]> {
    const found: Descriptor[] = [];
    for (const { desc: stored, bytes } of this.blobs.values()) {
      if (!isManifestMediaType(stored.mediaType)) continue;
      const manifest = JSON.parse(bytes.toString('utf8')) as {
        subject?: Descriptor;
        artifactType?: string;
        config?: Descriptor;
        annotations?: Record<string, string>;
      };
      if (manifest.subject?.digest !== desc.digest) continue;
      const artifactType = manifest.artifactType ?? manifest.config?.mediaType;
      if (options.artifactType !== undefined && artifactType !== options.artifactType) continue;
      found.push({ ...stored, ...(artifactType ? { artifactType } : {}), ...(manifest.annotations ? { annotations: manifest.annotations } : {}) });
    }
    return found;
  }
}

/** MountingTestTarget also mounts blobs, from a source it is told about. */
export class MountingTestTarget extends TestTarget implements Mounter {
  readonly mounted: string[] = [];
  /** repositories whose blobs can be mounted; anything else falls back to getContent. */
  readonly mountable = new Map<string, TestTarget>();

  async mount(desc: Descriptor, fromRepository: string, getContent: () => Promise<Readable>, options: IoOptions = {}): Promise<void> {
    const from = this.mountable.get(fromRepository)?.bytesOf(desc);
    if (from) {
      this.blobs.set(desc.digest, { desc, bytes: from });
      this.mounted.push(desc.digest);
      return;
    }
    await this.push(desc, await getContent(), options);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
