import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, type Stats } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, realpath, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { digestOf, isValidDigest, parseDigest, verifyBytes, type Digest } from '../digest';
import { Annotation, titleOf, type Descriptor } from '../descriptor';
import { OrasError, throwIfAborted } from '../errors';
import { assertMediaType, MediaType } from '../media-type';
import { tempPathFor, writeNewFile, writeSmallAtomic, writeStreamAtomic, type AtomicWriteOptions } from './atomic-write';
import type { DigestCache } from './digest-cache';
import { packDirectory } from './dir-pack';
import { unpackDirectory } from './dir-unpack';
import { fsError, statNow } from './fs-error';
import { digestFile } from './file-digest';
import { MemoryStore } from './memory-store';
import { PredecessorIndex } from './referrers';
import { ensureDirs, isPlainFileName, removeDirs, resolveWritePath, type WritePath, type WritePathOptions } from './safe-path';
import type { FetchOptions, IoOptions, PredecessorFinder, Resolver, Storage, TagLister, Tagger } from './storage';
import { bindSignal, bytesReadable, FILE_READ_CHUNK, markVerifying, readVerified, verifiedReadable, verifiesAgainst } from './streams';
import { SMALL_BLOB_BYTES } from '../small-blobs';

/** FileStoreOptions configure a FileStore. */
export interface FileStoreOptions {
  /**
   * Replace files and folders that already exist when content is pushed (pulled) into
   * the store. Default false: an existing file is kept and the push fails with
   * ALREADY_EXISTS.
   */
  overwrite?: boolean;
  /**
   * Let a title be absolute or climb out of `root` with `..` when content is pushed
   * (pulled) into the store, as ORAS's `--allow-path-traversal`. Default false. A
   * symlink inside `root` on the way is still refused (see safe-path.ts).
   */
  allowPathTraversal?: boolean;
  /**
   * Pack added folders with a fixed modification time, so the same folder always gives
   * the same digest. Default true.
   */
  tarReproducible?: boolean;
  /**
   * Content without a title (manifests, configs) up to this many bytes is kept in
   * memory; larger goes to a temp file that `close` removes. Default 4 MiB, as oras-go.
   */
  maxMemoryBytes?: number;
  /**
   * The fixed time reproducible folder tars store; default `SOURCE_DATE_EPOCH` when
   * set, else the epoch (see dir-pack.ts).
   */
  tarMtime?: Date;
  /**
   * Digests of files hashed before, by path, size and mtime: `add` skips reading a
   * file it finds here. Default none (every file is read).
   */
  digestCache?: DigestCache;
}

/**
 * AddOptions: `onBytes` is told how many bytes of this file (or folder's tar+gzip) were
 * hashed so far, for a progress bar; it is not called for a file found in the cache.
 */
export interface AddOptions extends IoOptions {
  onBytes?: (bytes: number) => void;
}

const DEFAULT_MAX_MEMORY_BYTES = 4 * 1024 * 1024;

/**
 * HELD_SMALL_BYTES: small files read to be hashed are kept, up to this much in all,
 * for the push that follows, so a push of 1,000 files of 4 KiB opens each file once
 * (the open, read and close of a second read cost more CPU than the bytes). The push
 * then sends what was hashed, even when the file has changed since.
 */
const HELD_SMALL_BYTES = 16 * 1024 * 1024;

/**
 * readSmallFile reads a small file (SMALL_BLOB_BYTES at most) into memory, to be hashed
 * or checked there rather than through a file stream, whose objects and transforms
 * cost a push of 1,000 files of 4 KiB more CPU than the bytes. It reads at most
 * `expectedSize + 1` bytes in one read, so a file that grew since it was measured is
 * seen (one byte too many) without reading it all.
 * Synchronously, as writeNewFile writes: three short calls cost less than three trips
 * through the thread pool (a push of 1,000 small files, measured).
 */
async function readSmallFile(file: string, expectedSize: number, signal?: AbortSignal): Promise<Buffer> {
  throwIfAborted(signal);
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.allocUnsafe(expectedSize + 1);
      return buffer.subarray(0, readSync(fd, buffer, 0, buffer.byteLength, 0));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw fsError(err, 'read', file, signal);
  }
}

/** NameClaim marks a title as taken, by the content of `digest`, once `settled` resolves. */
interface NameClaim {
  digest: string;
  settled: Promise<void>;
  done: boolean;
}

/**
 * FileStore is the file-system side of push and pull, after oras-go's content/file.
 * Files are addressed by name: `add` registers a file or folder under `root` (a
 * folder is packed as tar+gzip) for pushing, and `push` writes content whose
 * descriptor has an `org.opencontainers.image.title` under `root` by that name —
 * verified while it streams into a temp file, renamed into place, never outside
 * `root` (see safe-path.ts), never over an existing file unless `overwrite`. Layers
 * marked `io.deis.oras.content.unpack` are unpacked as folders. Content without a
 * title (manifests, configs) is kept in memory, or in a temp file when large. Tags
 * live in memory. Call `close` when done: it removes the temp files.
 */
export class FileStore implements Storage, Resolver, Tagger, TagLister, PredecessorFinder {
  /** root is the folder files are read from and written to, as given. */
  readonly root: string;
  private readonly overwrite: boolean;
  private readonly writeRules: WritePathOptions;
  private readonly reproducible: boolean;
  private readonly maxMemoryBytes: number;
  private readonly tarMtime: Date | undefined;
  private readonly digestCache: DigestCache | undefined;
  private readonly names = new Map<string, NameClaim>();
  /** digest → file on disk that holds exactly that content */
  private readonly paths = new Map<string, string>();
  /** digest → the bytes of a small file as added (see HELD_SMALL_BYTES) */
  private readonly held = new Map<string, Buffer>();
  private heldBytes = 0;
  private readonly descs = new Map<string, Descriptor>();
  private memory = new MemoryStore();
  private readonly tagMap = new Map<string, Descriptor>();
  private readonly graph = new PredecessorIndex();
  private realRoot: Promise<string> | undefined;
  private tmpDir: Promise<string> | undefined;
  private closed = false;

  constructor(root: string, options: FileStoreOptions = {}) {
    this.root = path.resolve(root);
    this.overwrite = options.overwrite ?? false;
    this.writeRules = { allowPathTraversal: options.allowPathTraversal ?? false };
    this.reproducible = options.tarReproducible ?? true;
    this.maxMemoryBytes = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
    this.tarMtime = options.tarMtime;
    this.digestCache = options.digestCache;
  }

  /**
   * add registers the file or folder at `filePath` (default: `name`, resolved against
   * `root`) to be pushed as `name`, the title annotation a pull writes it back as. A
   * file is hashed as it streams; a folder is packed as tar+gzip into a temp file
   * (media type default `application/vnd.oci.image.layer.v1.tar+gzip`, annotated with
   * the tar's digest and `io.deis.oras.content.unpack: "true"`). A file's media type
   * defaults to `application/vnd.oci.image.layer.v1.tar`. Names must be unique.
   */
  async add(name: string, mediaType: string, filePath?: string, options: AddOptions = {}): Promise<Descriptor> {
    this.assertOpen();
    if (name === '') {
      throw new OrasError('INVALID_ARGUMENT', 'a file added to the file store needs a name: it becomes the title the file is pulled as');
    }
    if (mediaType !== '') assertMediaType(mediaType, `media type of ${name}`);
    const source = path.resolve(this.root, filePath ?? name);
    const claim = this.claim(name, '');
    try {
      throwIfAborted(options.signal);
      const stats = statNow(source, 'add');
      let desc: Descriptor;
      if (stats.isDirectory()) {
        const packed = path.join(await this.temp(), `pack-${randomBytes(8).toString('hex')}.tar.gz`);
        const result = await packDirectory(source, name, packed, {
          reproducible: this.reproducible,
          ...(this.tarMtime === undefined ? {} : { mtime: this.tarMtime }),
          signal: options.signal,
          ...(options.onBytes === undefined ? {} : { onBytes: options.onBytes }),
        });
        desc = {
          mediaType: mediaType === '' ? MediaType.ImageLayerGzip : mediaType,
          digest: result.digest,
          size: result.size,
          annotations: { [Annotation.Title]: name, [Annotation.ContentDigest]: result.tarDigest, [Annotation.ContentUnpack]: 'true' },
        };
        if (this.paths.has(desc.digest)) await unlink(packed).catch(() => {});
        else this.paths.set(desc.digest, packed);
      } else if (stats.isFile()) {
        const hashed = await this.hashFile(source, stats, options);
        desc = {
          mediaType: mediaType === '' ? MediaType.DefaultLayer : mediaType,
          digest: hashed.digest,
          size: hashed.size,
          annotations: { [Annotation.Title]: name },
        };
        if (!this.paths.has(desc.digest)) this.paths.set(desc.digest, source);
        if (hashed.bytes !== undefined) this.hold(desc.digest, hashed.bytes);
      } else {
        throw new OrasError('INVALID_ARGUMENT', `cannot add ${source}: it is neither a file nor a folder`);
      }
      this.remember(desc);
      claim.resolve(desc.digest);
      return desc;
    } catch (err) {
      claim.reject(err);
      throw err;
    }
  }

  /** hashFile hashes a file as it streams, or answers the digest cache's record of it. */
  private async hashFile(source: string, stats: Stats, options: AddOptions): Promise<{ digest: Digest; size: number; bytes?: Buffer }> {
    const identity = { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
    const cached = this.digestCache?.get(source, identity);
    if (cached !== undefined) return cached;
    if (stats.size <= SMALL_BLOB_BYTES) {
      const bytes = await readSmallFile(source, stats.size, options.signal);
      if (bytes.byteLength === stats.size) {
        const hashed = { digest: digestOf(bytes), size: bytes.byteLength };
        options.onBytes?.(bytes.byteLength);
        this.digestCache?.set(source, identity, hashed.digest);
        return { ...hashed, bytes };
      }
      // It changed since stat(): hash whatever it is now, read in pieces.
    }
    const hashed = await digestFile(source, { signal: options.signal, onBytes: options.onBytes });
    this.digestCache?.set(source, identity, hashed.digest);
    return hashed;
  }

  /** fetch streams added or pushed content, verified against `desc` as it is read. */
  async fetch(desc: Descriptor, options: FetchOptions = {}): Promise<Readable> {
    this.assertOpen();
    throwIfAborted(options.signal);
    const title = titleOf(desc);
    if (title !== undefined && title !== '' && this.names.get(title)?.done !== true) {
      throw new OrasError('NOT_FOUND', `${JSON.stringify(title)} is not in the file store at ${this.root}`);
    }
    const held = this.held.get(desc.digest);
    if (held !== undefined && held.byteLength === desc.size) return markVerifying(bytesReadable(held), desc);
    const file = this.paths.get(desc.digest);
    if (file !== undefined) {
      const what = title === undefined ? `${desc.digest} (${file})` : `${JSON.stringify(title)} (${file}; changed since it was added?)`;
      if (desc.size <= SMALL_BLOB_BYTES) {
        const bytes = await readSmallFile(file, desc.size, options.signal);
        try {
          verifyBytes(bytes, { digest: desc.digest as Digest, size: desc.size }, what);
        } catch (err) {
          // As from the stream below: the reader hears of a changed file, not fetch.
          return new Readable({
            read() {
              this.destroy(err as Error);
            },
          });
        }
        return markVerifying(bytesReadable(bytes), desc);
      }
      const handle = await open(file, 'r').catch((err: unknown) => {
        throw fsError(err, 'read', file);
      });
      const stream = handle.createReadStream({ highWaterMark: FILE_READ_CHUNK });
      // Going where the digest is checked (a registry): hashing a large file again here
      // would cost a second pass of the CPU over it; a changed file is refused there.
      if (options.checkedDownstream) return markVerifying(bindSignal(stream, options.signal), desc);
      return verifiedReadable(stream, desc, what, options.signal);
    }
    if (await this.memory.exists(desc)) return this.memory.fetch(desc, options);
    throw new OrasError('NOT_FOUND', `${desc.mediaType} ${desc.digest} is not in the file store at ${this.root}`);
  }

  /**
   * push stores content, verifying its size and digest as it streams. With a title it
   * becomes the file (or, marked for unpacking, the folder) of that name under
   * `root`; without one it is kept in memory (or a temp file when large).
   */
  async push(desc: Descriptor, content: Readable, options: IoOptions = {}): Promise<void> {
    try {
      this.assertOpen();
      throwIfAborted(options.signal);
      parseDigest(desc.digest);
      const title = titleOf(desc);
      if (title === undefined || title === '') {
        await this.pushUnnamed(desc, content, options.signal);
        return;
      }
      const earlier = this.names.get(title);
      if (earlier !== undefined && earlier.digest === desc.digest) {
        // The same content under the same name (two copies racing): one write is enough.
        await earlier.settled.catch(() => {});
        if (this.names.get(title)?.done === true) {
          content.destroy();
          return;
        }
      }
      const claim = this.claim(title, desc.digest);
      try {
        const root = await this.rootPath();
        if (desc.annotations?.[Annotation.ContentUnpack] === 'true') await this.pushFolder(root, title, desc, content, options.signal);
        else await this.pushFile(root, title, desc, content, options.signal);
        claim.resolve(desc.digest);
      } catch (err) {
        claim.reject(err);
        throw err;
      }
    } catch (err) {
      content.destroy();
      throw err;
    }
  }

  /** exists tells whether the content is here; a titled descriptor needs its name too. */
  async exists(desc: Descriptor, options: IoOptions = {}): Promise<boolean> {
    this.assertOpen();
    throwIfAborted(options.signal);
    const title = titleOf(desc);
    if (title !== undefined && title !== '' && this.names.get(title)?.done !== true) return false;
    return this.paths.has(desc.digest) || (await this.memory.exists(desc));
  }

  /** resolve looks up a tag set with `tag`, or the digest of content in the store. */
  async resolve(reference: string, options: IoOptions = {}): Promise<Descriptor> {
    this.assertOpen();
    throwIfAborted(options.signal);
    if (reference === '') throw new OrasError('INVALID_REFERENCE', 'cannot resolve an empty reference: give a tag or a digest');
    const tagged = this.tagMap.get(reference);
    if (tagged !== undefined) return tagged;
    const desc = isValidDigest(reference) ? this.descs.get(reference) : undefined;
    if (desc !== undefined) return { mediaType: desc.mediaType, digest: desc.digest, size: desc.size };
    throw new OrasError('NOT_FOUND', `${JSON.stringify(reference)} is not in the file store at ${this.root}`);
  }

  /** tag points `reference` at `desc`, which must be in the store. Tags live in memory. */
  async tag(desc: Descriptor, reference: string, options: IoOptions = {}): Promise<void> {
    this.assertOpen();
    if (reference === '') throw new OrasError('INVALID_REFERENCE', 'cannot tag with an empty reference');
    if (!(await this.exists(desc, options))) {
      throw new OrasError('NOT_FOUND', `cannot tag ${desc.digest} as ${JSON.stringify(reference)}: it is not in the file store; push it first`);
    }
    this.tagMap.set(reference, desc);
  }

  /** tags lists the tags in ascending order, those after `last` when it is given. */
  async *tags(options: IoOptions & { last?: string } = {}): AsyncIterable<string> {
    this.assertOpen();
    for (const tag of [...this.tagMap.keys()].sort()) {
      throwIfAborted(options.signal);
      if (options.last === undefined || tag > options.last) yield tag;
    }
  }

  /**
   * predecessors lists manifests pushed here whose `subject` is `desc`. Only manifests
   * kept in memory (untitled, up to maxMemoryBytes) are indexed.
   */
  async predecessors(desc: Descriptor, options: IoOptions & { artifactType?: string } = {}): Promise<Descriptor[]> {
    this.assertOpen();
    throwIfAborted(options.signal);
    return this.graph.list(desc.digest, options.artifactType);
  }

  /**
   * close removes the store's temp files (packed folders, large untitled content) and
   * makes further calls fail. Files written under `root` stay. Calling it twice is fine.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.memory = new MemoryStore();
    this.held.clear();
    const tmp = await this.tmpDir?.catch(() => undefined);
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  }

  private async pushUnnamed(desc: Descriptor, content: Readable, signal?: AbortSignal): Promise<void> {
    if (desc.size <= this.maxMemoryBytes) {
      await this.memory.push(desc, content, { signal });
      this.graph.index(desc, this.memory.get(desc));
    } else {
      const { algorithm, encoded } = parseDigest(desc.digest);
      const file = path.join(await this.temp(), `${algorithm}-${encoded}`);
      await writeStreamAtomic(file, content, { expected: desc, what: `${desc.mediaType} ${desc.digest}`, signal });
      this.paths.set(desc.digest, file);
    }
    this.remember(desc);
  }

  private async pushFile(root: string, title: string, desc: Descriptor, content: Readable, signal?: AbortSignal): Promise<void> {
    const what = `layer ${JSON.stringify(title)}`;
    if (desc.size <= SMALL_BLOB_BYTES && isPlainFileName(title)) {
      // A small file under a plain name, new in the folder: written in place once its
      // bytes are in hand and checked (see writeNewFile). Anything already there takes
      // the usual path, which decides whether it may be replaced.
      const bytes = await readVerified(content, desc, { what, signal });
      if (await writeNewFile(path.join(root, title), bytes, signal)) {
        if (!this.paths.has(desc.digest)) this.paths.set(desc.digest, path.join(root, title));
        this.remember(desc);
        return;
      }
      content = markVerifying(bytesReadable(bytes), desc);
    }
    const target = await resolveWritePath(root, title, this.writeRules);
    this.refuseExisting(target, title, 'file');
    const created = await ensureDirs(target.base, target.segments.slice(0, -1));
    try {
      const options: AtomicWriteOptions = {
        // A stream that checks itself (a registry's, through copy) is not hashed twice.
        expected: verifiesAgainst(content, desc) ? undefined : desc,
        what,
        signal,
        durable: false,
        // Checked again at the last moment: a file or a symlink may have appeared
        // while the content streamed.
        beforeRename: async () => this.refuseExisting(await resolveWritePath(root, title, this.writeRules), title, 'file'),
      };
      if (desc.size <= SMALL_BLOB_BYTES) await writeSmallAtomic(target.path, content, desc.size, options);
      else await writeStreamAtomic(target.path, content, options);
    } catch (err) {
      await removeDirs(created);
      throw err;
    }
    if (!this.paths.has(desc.digest)) this.paths.set(desc.digest, target.path);
    this.remember(desc);
  }

  private async pushFolder(root: string, title: string, desc: Descriptor, content: Readable, signal?: AbortSignal): Promise<void> {
    const tarDigest = desc.annotations?.[Annotation.ContentDigest];
    if (tarDigest !== undefined && !isValidDigest(tarDigest)) {
      throw new OrasError('INVALID_DIGEST', `folder ${JSON.stringify(title)} has an invalid ${Annotation.ContentDigest} annotation ${JSON.stringify(tarDigest)}`);
    }
    const target = await resolveWritePath(root, title, this.writeRules);
    this.refuseExisting(target, title, 'folder');
    // The blob is saved and verified whole before a byte of it is parsed, and kept so
    // `fetch` can serve it again (as oras-go does).
    const { algorithm, encoded } = parseDigest(desc.digest);
    const blob = path.join(await this.temp(), `${algorithm}-${encoded}.tar.gz`);
    await writeStreamAtomic(blob, content, { expected: desc, what: `folder ${JSON.stringify(title)}`, signal });
    const created = await ensureDirs(target.base, target.segments.slice(0, -1));
    let staging: string | undefined;
    try {
      staging = await mkdtemp(path.join(path.dirname(target.path), '.oras-unpack-'));
      await unpackDirectory(createReadStream(blob), staging, title, { tarDigest, signal });
      await this.moveIntoPlace(root, staging, title);
      staging = undefined;
    } catch (err) {
      if (staging !== undefined) await rm(staging, { recursive: true, force: true }).catch(() => {});
      await removeDirs(created);
      await unlink(blob).catch(() => {});
      throw fsError(err, 'unpack', target.path, signal);
    }
    if (!this.paths.has(desc.digest)) this.paths.set(desc.digest, blob);
    this.remember(desc);
  }

  /** moveIntoPlace renames an unpacked folder to its title, replacing what is there only if allowed. */
  private async moveIntoPlace(root: string, staging: string, title: string): Promise<void> {
    const target = await resolveWritePath(root, title, this.writeRules);
    this.refuseExisting(target, title, 'folder');
    if (target.existing === undefined) {
      await rename(staging, target.path);
      return;
    }
    // Overwriting: move the old one aside, put the new one in, then delete the old one;
    // if the second rename fails, the old one goes back.
    const aside = tempPathFor(target.path, 'old');
    await rename(target.path, aside);
    try {
      await rename(staging, target.path);
    } catch (err) {
      await rename(aside, target.path).catch(() => {});
      throw err;
    }
    await rm(aside, { recursive: true, force: true });
  }

  private refuseExisting(target: WritePath, title: string, kind: 'file' | 'folder'): void {
    const existing = target.existing;
    if (existing === undefined) return;
    if (!this.overwrite) {
      throw new OrasError(
        'ALREADY_EXISTS',
        `${JSON.stringify(title)} already exists in ${this.root}; it was kept. Remove it, or allow overwriting (oras pull --overwrite) to replace it`,
      );
    }
    if (kind === 'file' && existing.isDirectory()) {
      throw new OrasError('ALREADY_EXISTS', `${JSON.stringify(title)} is a folder in ${this.root}, and the layer is a file; remove the folder to pull it`);
    }
  }

  /**
   * claim takes `name` for content of `digest` ('' while not yet known). A second
   * claim fails with ALREADY_EXISTS: a folder holds one file of each name.
   */
  private claim(name: string, digest: string): { resolve(digest: string): void; reject(err: unknown): void } {
    const existing = this.names.get(name);
    if (existing !== undefined) {
      throw new OrasError(
        'ALREADY_EXISTS',
        digest === '' || existing.digest === ''
          ? `${JSON.stringify(name)} is already in the file store; each name can be added once`
          : `two layers are both named ${JSON.stringify(name)} (${existing.digest} and ${digest}); a folder holds one file of each name`,
      );
    }
    let settle!: (err?: unknown) => void;
    const claim: NameClaim = {
      digest,
      done: false,
      settled: new Promise<void>((resolve, reject) => {
        settle = (err) => (err === undefined ? resolve() : reject(err));
      }),
    };
    claim.settled.catch(() => {});
    this.names.set(name, claim);
    return {
      resolve: (finalDigest) => {
        claim.digest = finalDigest;
        claim.done = true;
        settle();
      },
      reject: (err) => {
        this.names.delete(name);
        settle(err ?? new Error('failed'));
      },
    };
  }

  /** hold keeps a small file's bytes for its push, within HELD_SMALL_BYTES. */
  private hold(digest: string, bytes: Buffer): void {
    if (this.held.has(digest) || this.heldBytes + bytes.byteLength > HELD_SMALL_BYTES) return;
    this.held.set(digest, bytes);
    this.heldBytes += bytes.byteLength;
  }

  private remember(desc: Descriptor): void {
    if (!this.descs.has(desc.digest)) this.descs.set(desc.digest, { mediaType: desc.mediaType, digest: desc.digest, size: desc.size });
  }

  /** rootPath makes `root` if needed and returns its real path (symlinks resolved once). */
  private rootPath(): Promise<string> {
    this.realRoot ??= (async () => {
      await mkdir(this.root, { recursive: true });
      const real = await realpath(this.root);
      if (!(await lstat(real)).isDirectory()) throw new OrasError('INVALID_ARGUMENT', `${this.root} is not a folder`);
      return real;
    })().catch((err: unknown) => {
      this.realRoot = undefined;
      throw fsError(err, 'use folder', this.root);
    });
    return this.realRoot;
  }

  /** temp makes the store's private temp folder, removed by `close`. */
  private temp(): Promise<string> {
    this.tmpDir ??= mkdtemp(path.join(tmpdir(), 'oras-file-store-')).catch((err: unknown) => {
      this.tmpDir = undefined;
      throw fsError(err, 'create a temp folder in', tmpdir());
    });
    return this.tmpDir;
  }

  private assertOpen(): void {
    if (this.closed) throw new OrasError('INVALID_ARGUMENT', `the file store at ${this.root} is closed`);
  }
}

