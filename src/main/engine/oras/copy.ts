import { setMaxListeners } from 'node:events';
import { Readable } from 'node:stream';
import { Annotation, type Descriptor } from '../descriptor';
import { Digester, isValidDigest, parseDigest } from '../digest';
import { OrasError, abortError, isOrasError, throwIfAborted } from '../errors';
import { isManifestMediaType } from '../media-type';
import { validateTag } from '../reference';
import {
  checksDigests,
  isHeldCheckingPusher,
  isMounter,
  isPredecessorFinder,
  type Fetcher,
  type IoOptions,
  type ProgressEvent,
  type ProgressListener,
  type ReadOnlyStorage,
  type ReadOnlyTarget,
  type Storage,
  type Target,
} from '../content/storage';
import { bytesReadable, markVerifying, verifiesAgainst } from '../content/streams';
import { heldByteLength, SMALL_BLOB_BYTES } from '../small-blobs';
import { DEFAULT_MAX_METADATA_BYTES, fetchBytes } from './bytes';
import { Limiter } from './limiter';
import { successors } from './manifest-codec';
import { onSide, sideError } from './side';

/**
 * BLOB_ATTEMPTS: a blob whose upload failed on a dropped connection the destination
 * could not resume is sent once more from the start, then the copy fails.
 */
const BLOB_ATTEMPTS = 2;

/** DEFAULT_CONCURRENCY is how many transfers a copy runs at once (oras-go's default). */
export const DEFAULT_CONCURRENCY = 3;

/**
 * SMALL_BLOB_CONCURRENCY is what the CLI (without `--concurrency`) and the app give
 * `smallBlobConcurrency`: a pull of 1,000 files of 4 KiB waited on the registry's
 * answers at 5 blobs at once (4.2–4.4 s), not at 16 (3.7–4.0 s).
 */
export const SMALL_BLOB_CONCURRENCY = 16;

/**
 * FindSuccessors lists the children of a node to copy. `fetcher` serves the node's own
 * bytes from memory when it is a manifest, so a hook costs no second download.
 */
export type FindSuccessors = (fetcher: Fetcher, desc: Descriptor, options: IoOptions) => Promise<Descriptor[]>;

/**
 * CopyGraphOptions tune a copy.
 * - `concurrency`: transfers at once, default 3.
 * - `maxMetadataBytes`: cap on a manifest read into memory, default 4 MiB.
 * - `signal`: cancels the copy (ABORTED).
 * - `onProgress`: bytes per descriptor: 'started', 'progress' per chunk, 'done', or
 *   'skipped' when the destination had it.
 * - `onCopySkipped`, `onMounted`: per descriptor skipped, or mounted without upload.
 * - `findSuccessors`: which children to copy; default all (`successors`).
 * - `mountFrom`: a repository of the destination's registry to mount blobs from, when
 *   the destination can mount (it falls back to uploading).
 * - `includeReferrers`: also copy, recursively, the artifacts whose subject is the root
 *   (`oras cp -r`); the source must list referrers. Default false.
 * - `smallBlobConcurrency`: blobs of 64 KiB or less move this many at once, besides
 *   `concurrency`'s transfers: each costs a round trip, not bandwidth, so many small
 *   files wait on the registry's answers unless more are asked at once. Default: they
 *   share `concurrency`.
 */
export interface CopyGraphOptions {
  concurrency?: number;
  maxMetadataBytes?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  onCopySkipped?: (desc: Descriptor) => void;
  onMounted?: (desc: Descriptor, fromRepository: string) => void;
  findSuccessors?: FindSuccessors;
  mountFrom?: string;
  includeReferrers?: boolean;
  smallBlobConcurrency?: number;
}

/** CopyOptions tune `copy`: the same as CopyGraphOptions. */
export type CopyOptions = CopyGraphOptions;

/**
 * copy copies the artifact `srcRef` names in `src` to `dst`, with everything it points
 * at, and tags it `dstRef` there (default `srcRef`; a digest or '' tags nothing).
 * Returns the root's descriptor. oras-go's `oras.Copy`.
 *
 * @throws OrasError with `side` saying which end failed: NOT_FOUND, UNAUTHORIZED,
 * DENIED, DIGEST_MISMATCH…; ABORTED when `options.signal` aborts.
 * @example
 * ```ts
 * const from = openRepository('localhost:5000/mystuff/myrocket:v0.1.0');
 * const layout = new OciLayoutStore('rockets');
 * try {
 *   await copy(from.repository, 'v0.1.0', layout, 'v0.1.0', { includeReferrers: true });
 * } finally {
 *   await from.registry.close();
 * }
 * ```
 */
export async function copy(
  src: ReadOnlyTarget,
  srcRef: string,
  dst: Target,
  dstRef: string = srcRef,
  options: CopyOptions = {},
): Promise<Descriptor> {
  // Check the tag before moving any byte: a typo should not cost an upload.
  if (dstRef !== '' && !isValidDigest(dstRef)) validateTag(dstRef);
  const root = await onSide('source', () => src.resolve(srcRef, { signal: options.signal }));
  await copyGraph(src, dst, root, options);
  await tagRoot(dst, root, dstRef, options.signal);
  return root;
}

/**
 * tagRoot points `ref` at `root` in `dst` when `ref` is a tag. A digest reference tags
 * nothing but must be the root's own digest; '' does nothing.
 */
export async function tagRoot(dst: Target, root: Descriptor, ref: string, signal?: AbortSignal): Promise<void> {
  if (ref === '') return;
  if (isValidDigest(ref)) {
    if (ref !== root.digest) {
      throw new OrasError('INVALID_ARGUMENT', `destination reference ${ref} is a digest, but the copied artifact is ${root.digest}`);
    }
    return;
  }
  validateTag(ref);
  await onSide('destination', () => dst.tag(root, ref, { signal }));
}

/**
 * copyGraph copies `root` and every node below it from `src` to `dst`, children before
 * parents, so a manifest lands only after all it points at; nodes the destination
 * already has are skipped with their subtrees. Blobs stream from `src.fetch` into
 * `dst.push` and are verified on the way; manifests are read into memory (capped) to
 * find their children. oras-go's `oras.CopyGraph`.
 */
export async function copyGraph(src: ReadOnlyStorage, dst: Storage, root: Descriptor, options: CopyGraphOptions = {}): Promise<void> {
  await new GraphCopy(src, dst, options).run(root);
}

class GraphCopy {
  private readonly nodes = new Map<string, Promise<void>>();
  private readonly limiter: Limiter;
  /** Small blobs' own limiter (see smallBlobConcurrency), else `limiter`. */
  private readonly smallLimiter: Limiter;
  // Aborted with the first failure, so sibling transfers stop instead of running on.
  private readonly failed = new AbortController();
  private readonly signal: AbortSignal;
  private readonly findSuccessors: FindSuccessors;
  private firstError: unknown;

  constructor(
    private readonly src: ReadOnlyStorage,
    private readonly dst: Storage,
    private readonly options: CopyGraphOptions,
  ) {
    this.limiter = new Limiter(options.concurrency ?? DEFAULT_CONCURRENCY);
    this.smallLimiter = options.smallBlobConcurrency ? new Limiter(options.smallBlobConcurrency) : this.limiter;
    this.signal = options.signal ? AbortSignal.any([options.signal, this.failed.signal]) : this.failed.signal;
    // Every queued transfer listens for abort; thousands of files are normal, not a leak.
    setMaxListeners(0, this.signal);
    const maxBytes = options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES;
    this.findSuccessors = options.findSuccessors ?? ((fetcher, desc, io) => successors(fetcher, desc, { ...io, maxBytes }));
  }

  async run(root: Descriptor): Promise<void> {
    try {
      await this.copyNode(root);
      if (this.options.includeReferrers) await this.copyReferrers(root, new Set([root.digest]));
    } catch (err) {
      this.fail(err);
    }
    // Let every started task settle, so nothing still writes after copyGraph returns.
    for (let settled = -1; settled !== this.nodes.size; ) {
      settled = this.nodes.size;
      await Promise.allSettled([...this.nodes.values()]);
    }
    if (this.firstError === undefined) return;
    if (this.options.signal?.aborted) throw abortError(this.options.signal);
    throw this.firstError;
  }

  private fail(err: unknown): void {
    if (this.firstError !== undefined) return;
    this.firstError = err;
    this.failed.abort(err);
  }

  /** copyNode starts a node's copy once; later callers share the same promise (dedupe). */
  private copyNode(desc: Descriptor): Promise<void> {
    let task = this.nodes.get(desc.digest);
    if (!task) {
      task = this.copyOne(desc);
      task.catch((err: unknown) => this.fail(err));
      this.nodes.set(desc.digest, task);
    }
    return task;
  }

  private async copyOne(desc: Descriptor): Promise<void> {
    throwIfAborted(this.signal);
    const io = { signal: this.signal };
    const small = desc.size <= SMALL_BLOB_BYTES && !isManifestMediaType(desc.mediaType);
    const limiter = small ? this.smallLimiter : this.limiter;
    if (small && this.asksHeldWhenUploading()) {
      await limiter.run(() => this.transferBlob(desc, 'unless-held'), this.signal);
      return;
    }
    const exists = await limiter.run(() => onSide('destination', () => this.dst.exists(desc, io)), this.signal);
    if (exists) {
      this.emit(desc, desc.size, 'skipped');
      this.options.onCopySkipped?.(desc);
      return;
    }
    let manifest: Uint8Array | undefined;
    let fetcher: Fetcher = this.src;
    if (isManifestMediaType(desc.mediaType)) {
      const maxBytes = this.options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES;
      const bytes = await this.limiter.run(() => onSide('source', () => fetchBytes(this.src, desc, { ...io, maxBytes })), this.signal);
      manifest = bytes;
      fetcher = { fetch: (d, o) => (d.digest === desc.digest ? Promise.resolve(bytesReadable(bytes)) : this.src.fetch(d, o)) };
    }
    const children = await onSide('source', () => this.findSuccessors(fetcher, desc, io));
    await Promise.all(children.map((child) => this.copyNode(child)));
    if (manifest) {
      await this.limiter.run(() => this.pushManifest(desc, manifest), this.signal);
    } else {
      await limiter.run(() => this.transferBlob(desc), this.signal);
    }
  }

  private async pushManifest(desc: Descriptor, bytes: Uint8Array): Promise<void> {
    this.emit(desc, 0, 'started');
    await onSide('destination', async () => {
      try {
        await this.dst.push(desc, bytesReadable(bytes), { signal: this.signal });
      } catch (err) {
        // Someone else pushed the same bytes meanwhile: content addressing makes that fine.
        if (!isOrasError(err, 'ALREADY_EXISTS')) throw err;
      }
    });
    this.emit(desc, desc.size, 'done');
  }

  /**
   * asksHeldWhenUploading: small blobs (SMALL_BLOB_BYTES) go to a destination that can
   * tell whether it holds one in the request that opens its upload (see
   * HeldCheckingPusher) without a HEAD first: a third fewer requests for many small
   * files, and their "Exists" still shown. Sending one again to a registry that cannot
   * tell costs about what the HEAD would. Not when mounting from elsewhere, which asks
   * its own question.
   */
  private asksHeldWhenUploading(): boolean {
    return this.options.mountFrom === undefined && isHeldCheckingPusher(this.dst);
  }

  /**
   * transferBlob sends a blob the destination lacks, or with 'unless-held' one it may
   * hold: then it is 'started' only once its content is asked for, and 'skipped' if
   * never.
   */
  private async transferBlob(desc: Descriptor, mode: 'upload' | 'unless-held' = 'upload'): Promise<void> {
    if (mode === 'upload') this.emit(desc, 0, 'started');
    const { mountFrom } = this.options;
    const io = { signal: this.signal };
    let source: SourceStream | undefined;
    const open = async (): Promise<Readable> => {
      if (!source && mode === 'unless-held') this.emit(desc, 0, 'started');
      source?.stream.destroy();
      source = await this.openSource(desc);
      return source.stream;
    };
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          if (mode === 'unless-held' && isHeldCheckingPusher(this.dst)) {
            if ((await this.dst.pushUnlessHeld(desc, open, io)) && !source) {
              this.emit(desc, desc.size, 'skipped');
              this.options.onCopySkipped?.(desc);
              return;
            }
          } else if (mountFrom !== undefined && isMounter(this.dst)) {
            await this.dst.mount(desc, mountFrom, open, io);
            if (!source) this.options.onMounted?.(desc, mountFrom);
          } else {
            // `open` again after a drop: the upload resumes from what the registry holds.
            await this.dst.push(desc, await open(), { ...io, reopen: open });
          }
          break;
        } catch (err) {
          // A failure the source stream raised (bad digest, dropped connection) is the
          // source's, even though the destination saw it first.
          if (source?.error) throw source.error;
          // A file source is not hashed on its way to a registry (it checks): its refusal
          // of the digest means the file changed since it was hashed.
          if (checksDigests(this.dst) && isOrasError(err) && err.response?.errors.some((e) => e.code === 'DIGEST_INVALID')) {
            const name = desc.annotations?.[Annotation.Title];
            throw new OrasError('DIGEST_MISMATCH', `${name === undefined ? desc.digest : JSON.stringify(name)} is not the content hashed as ${desc.digest}: it changed since it was read; push again`, {
              cause: err,
              side: 'source',
            });
          }
          // The destination lost the connection and could not resume (distribution 2.x
          // drops an upload session that took part of a chunk): start the blob over
          // from a fresh source stream, once.
          if (attempt >= BLOB_ATTEMPTS || !isOrasError(err, 'NETWORK') || this.signal.aborted) throw sideError('destination', err);
          this.emit(desc, 0, 'progress');
        }
      }
    } finally {
      source?.stream.destroy();
      source?.upstream.destroy();
    }
    this.emit(desc, desc.size, 'done');
  }

  /**
   * openSource fetches a blob as a stream that verifies size and digest as bytes pass
   * (so a lying source never completes a push) and reports progress per chunk. A
   * source stream that checks itself against `desc` (a registry's or a store's fetch)
   * is not hashed a second time: its failure is still the source's.
   */
  private async openSource(desc: Descriptor): Promise<SourceStream> {
    const signal = this.signal;
    // A registry destination checks the digest itself: a file source need not hash too.
    const upstream = await onSide('source', () => this.src.fetch(desc, { signal, ...(checksDigests(this.dst) ? { checkedDownstream: true } : {}) }));
    // The destination may refuse before reading a byte; the fetched stream may then
    // fail later (say, when the signal aborts) with nobody reading it. Its errors are
    // seen through `verified` below when it is read, so an unread one is dropped here
    // rather than crashing the process as an unhandled 'error' event.
    upstream.on('error', () => undefined);
    if (verifiesAgainst(upstream, desc) && heldByteLength(upstream) === desc.size) {
      // Checked bytes already in memory (a small blob): nothing to watch as they pass.
      this.emit(desc, desc.size, 'progress');
      return { stream: upstream, upstream };
    }
    const digester = verifiesAgainst(upstream, desc) ? undefined : new Digester(parseDigest(desc.digest).algorithm);
    const result: SourceStream = { stream: undefined as unknown as Readable, upstream };
    const emit = this.emit.bind(this);
    async function* verified(): AsyncGenerator<Uint8Array> {
      let size = 0;
      try {
        for await (const chunk of upstream as AsyncIterable<Uint8Array>) {
          throwIfAborted(signal);
          if (size + chunk.byteLength > desc.size) {
            throw new OrasError('SIZE_MISMATCH', `${desc.digest} is larger than its descriptor's ${desc.size} bytes`);
          }
          digester?.update(chunk);
          size += chunk.byteLength;
          emit(desc, size, 'progress');
          yield chunk;
        }
        if (size !== desc.size) {
          throw new OrasError('SIZE_MISMATCH', `${desc.digest} ended after ${size} of ${desc.size} bytes`);
        }
        const actual = digester?.digest() ?? desc.digest;
        if (actual !== desc.digest) {
          throw new OrasError('DIGEST_MISMATCH', `blob has digest ${actual}, expected ${desc.digest}`);
        }
      } catch (err) {
        result.error = sideError('source', err);
        throw result.error;
      }
    }
    result.stream = markVerifying(Readable.from(verified(), { objectMode: false }), desc);
    return result;
  }

  private async copyReferrers(desc: Descriptor, seen: Set<string>): Promise<void> {
    const { src } = this;
    if (!isPredecessorFinder(src)) {
      throw new OrasError('UNSUPPORTED', 'source: it cannot list referrers, so they cannot be copied', { side: 'source' });
    }
    const referrers = await this.limiter.run(() => onSide('source', () => src.predecessors(desc, { signal: this.signal })), this.signal);
    await Promise.all(
      referrers
        .filter((referrer) => !seen.has(referrer.digest) && seen.add(referrer.digest))
        .map(async (referrer) => {
          await this.copyNode(referrer);
          await this.copyReferrers(referrer, seen);
        }),
    );
  }

  private emit(descriptor: Descriptor, bytes: number, state: ProgressEvent['state']): void {
    this.options.onProgress?.({ descriptor, bytes, state });
  }
}

interface SourceStream {
  stream: Readable;
  upstream: Readable;
  /** set when the stream failed on the source's account */
  error?: OrasError;
}
