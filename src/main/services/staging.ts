import { randomUUID } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StagedFile } from '../../shared/contract';
import type { DigestCache } from '../engine/content/digest-cache';
import { fsError } from '../engine/content/fs-error';
import { FileAppender, HashBehind } from '../engine/content/hash-behind';
import { Digester, type Digest } from '../engine/digest';
import { OrasError } from '../engine/errors';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
const MAX_NAME_BYTES = 200;
/**
 * UPLOAD_WRITE_BUFFER: an upload's pieces (64 KiB off the socket) wait this much while
 * a write is under way, then go to disk in one writev: with the write stream's default
 * 16 KiB each piece was its own trip through the thread pool, and the socket waited.
 */
const UPLOAD_WRITE_BUFFER = 8 * 1024 * 1024;
/** HASH_BEHIND_BYTES: uploads this large are hashed on a thread of their own (see HashBehind). */
const HASH_BEHIND_BYTES = 32 * 1024 * 1024;
/**
 * The modes of an uploaded folder's contents: those of files and folders made here (as
 * umask allows), since a browser does not tell them, so the folder packs as it would
 * from disk (tar keeps modes). Privacy comes from the staging folder (0700) and each
 * upload's holder folder (0700) above them.
 */
const FILE_MODE = 0o666;
const FOLDER_MODE = 0o777;

/**
 * safeFileName makes a name the page sent safe to create in the staging folder: only
 * its last path segment, without control characters or characters Windows refuses,
 * never `.`/`..`/empty or a Windows device name, at most 200 bytes of UTF-8.
 */
export function safeFileName(name: string): string {
  let base = name.split(/[\\/]/).pop() ?? '';
  base = base
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .trim()
    .replace(/[. ]+$/, '');
  if (base === '' || base === '.' || base === '..') base = 'file';
  if (WINDOWS_RESERVED.test(base)) base = `_${base}`;
  while (Buffer.byteLength(base, 'utf8') > MAX_NAME_BYTES) base = [...base].slice(0, -1).join('');
  return base;
}

/**
 * folderEntryPath checks the path of a file inside a folder the page uploads
 * (`photos/2024/a.jpg`: the folder's own name first, `/` between names) and gives its
 * names. It refuses rather than repairs: an absolute path, a drive letter, `..`, `.`,
 * an empty name, a backslash, NUL or another control character, or a single name (a
 * folder's file has at least the folder and its own name), so a page can never name a
 * file outside the staged folder. `folder`: the path names a folder to make (it may be
 * just the folder's name).
 */
export function folderEntryPath(relativePath: string, options: { folder?: boolean } = {}): string[] {
  const refuse = (why: string): never => {
    throw new OrasError('UNSAFE_PATH', `the folder entry path ${JSON.stringify(relativePath.slice(0, 200))} ${why}`);
  };
  if (relativePath.startsWith('/') || /^[a-z]:/i.test(relativePath)) refuse('is absolute: send it relative to the folder');
  if (/[\u0000-\u001f\u007f]/.test(relativePath)) refuse('contains NUL or another control character');
  if (relativePath.includes('\\')) refuse('contains a backslash: separate names with /');
  const names = relativePath.split('/');
  // A folder entry may be the dropped folder itself (an empty folder); a file never is.
  if (names.length < (options.folder ? 1 : 2)) refuse('names no folder: it must start with the folder’s name');
  for (const name of names) {
    if (name === '' || name === '.' || name === '..') refuse('has an empty, . or .. name');
    if (Buffer.byteLength(name, 'utf8') > 255) refuse('has a name longer than 255 bytes');
  }
  return names;
}

interface Staged extends StagedFile {
  path: string;
  /** An upload's own file or folder, removed when it is released (the file itself, or its holder folder). */
  remove?: string;
}

/**
 * SHARED_FOLDER holds uploads under their own names while those are free, so files
 * dropped together lie side by side in one folder, as on the user's disk, and the
 * equivalent `oras push` line runs there as shown. A name already taken goes into a
 * folder of its own.
 */
const SHARED_FOLDER = 'files';

/**
 * StagingArea holds the files a page handed to main for a later push, by id.
 *
 * - Electron: `register` takes the paths the preload got for files the user dropped;
 *   they stay where they are.
 * - Browser mode: `receive` streams an upload into a private folder made for this run
 *   (mode 0700, under the system temp folder, one sub-folder per file so names never
 *   collide) and `dispose` removes it all when the server stops or the process exits.
 */
export class StagingArea {
  private readonly files = new Map<string, Staged>();
  private dir: Promise<string> | undefined;
  private dirPath: string | undefined;
  private readonly onExit = (): void => this.disposeSync();

  /**
   * `digestCache`: where an upload's digest goes, hashed as it streams in, so the
   * preview and the push need not read the file again just to hash it.
   */
  constructor(private readonly options: { parent?: string; digestCache?: DigestCache } = {}) {}

  /** register stages files and folders already on this machine (Electron). */
  async register(paths: readonly string[]): Promise<StagedFile[]> {
    const staged: Staged[] = [];
    for (const p of paths) {
      const info = await stat(p).catch((error: unknown) => {
        throw fsError(error, 'read', p);
      });
      if (!info.isFile() && !info.isDirectory()) {
        throw new OrasError('INVALID_ARGUMENT', `${p} is neither a file nor a folder`);
      }
      staged.push({
        id: randomUUID(),
        name: path.basename(p),
        size: info.isFile() ? info.size : 0,
        kind: info.isFile() ? 'file' : 'directory',
        path: p,
      });
    }
    for (const s of staged) this.files.set(s.id, s);
    return staged.map(publicView);
  }

  /**
   * receive streams one uploaded file into the staging folder (browser mode), hashing
   * it on the way. `expectedSize` (the upload's Content-Length, when it has one): from
   * HASH_BEHIND_BYTES up the hash runs on a thread of its own, behind the writes.
   */
  async receive(name: string, content: Readable, signal?: AbortSignal, expectedSize?: number): Promise<StagedFile> {
    const id = randomUUID();
    const fileName = safeFileName(name);
    let place: Place | undefined;
    let behind: HashBehind | undefined;
    try {
      place = await this.place(fileName, 'file');
      const file = place.path;
      let hashed: { digest: Digest; size: number };
      if (expectedSize !== undefined && expectedSize >= HASH_BEHIND_BYTES) {
        const follower = (behind = new HashBehind(file));
        const appender = new FileAppender(place.handle!, UPLOAD_WRITE_BUFFER, (total) => follower.written(total));
        await pipeline(content, appender, { signal });
        await place.handle!.close();
        hashed = await follower.finish(appender.bytesWritten);
      } else {
        const digester = new Digester();
        await pipeline(
          content,
          async function* hash(source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              digester.update(chunk);
              yield chunk;
            }
          },
          place.handle!.createWriteStream({ highWaterMark: UPLOAD_WRITE_BUFFER }),
          { signal },
        );
        hashed = { digest: digester.digest(), size: digester.size };
      }
      const { size, mtimeMs, ino } = await stat(file);
      // The cache's identity check (size, mtime, inode) still guards this entry: the
      // file is ours, in a 0700 folder, and the push verifies as it reads.
      if (size === hashed.size) this.options.digestCache?.set(file, { size, mtimeMs, ino }, hashed.digest);
      const staged: Staged = { id, name: fileName, size, kind: 'file', path: file, remove: place.remove };
      this.files.set(id, staged);
      return publicView(staged);
    } catch (error) {
      content.destroy();
      behind?.stop();
      await place?.handle?.close().catch(() => {});
      if (place) await rm(place.remove, { recursive: true, force: true }).catch(() => {});
      throw fsError(error, 'receive upload', fileName, signal);
    }
  }

  /**
   * receiveInFolder streams one file of an uploaded folder (browser mode) to its
   * relative path (see folderEntryPath) inside ONE staged folder, which the push packs
   * as a tar+gzip layer. Without `folderId` the folder is made, named by the path's
   * first name; with it, the file joins that folder (whose name the path must start
   * with). A failed or cancelled file removes the whole folder, so no half folder stays
   * staged. `directory`: the path names a folder to make (kept even when empty, as
   * `oras push` of the folder keeps it); the body is ignored. Answers the folder.
   */
  async receiveInFolder(
    relativePath: string,
    content: Readable,
    options: { folderId?: string; signal?: AbortSignal; directory?: boolean } = {},
  ): Promise<StagedFile> {
    let names: string[];
    try {
      names = folderEntryPath(relativePath, { folder: options.directory === true });
    } catch (error) {
      content.resume();
      throw error;
    }
    const [folderName, ...inside] = names as [string, ...string[]];
    let folder: Staged;
    if (options.folderId === undefined) {
      const id = randomUUID();
      const place = await this.place(folderName, 'directory');
      folder = { id, name: folderName, size: 0, kind: 'directory', path: place.path, remove: place.remove };
      this.files.set(id, folder);
    } else {
      const known = this.files.get(options.folderId);
      if (!known || known.kind !== 'directory' || !this.isUpload(known)) {
        content.resume();
        throw new OrasError('NOT_FOUND', 'that uploaded folder is no longer staged: drop it again');
      }
      if (known.name !== folderName) {
        content.resume();
        throw new OrasError('INVALID_ARGUMENT', `the folder entry path must start with the folder’s name ${JSON.stringify(known.name)}`);
      }
      folder = known;
    }
    const file = path.join(folder.path, ...inside);
    // Belt and braces: whatever the names, the file stays inside the folder.
    const relative = path.relative(folder.path, file);
    if ((relative === '' && !options.directory) || relative.startsWith('..') || path.isAbsolute(relative)) {
      content.resume();
      await this.release(folder.id);
      throw new OrasError('UNSAFE_PATH', 'the folder entry path leaves the folder');
    }
    if (options.directory) {
      content.resume();
      await mkdir(file, { recursive: true, mode: FOLDER_MODE }).catch(async (error: unknown) => {
        await this.release(folder.id).catch(() => {});
        throw fsError(error, 'make folder', relativePath);
      });
      return publicView(folder);
    }
    try {
      await mkdir(path.dirname(file), { recursive: true, mode: FOLDER_MODE });
      await pipeline(content, createWriteStream(file, { flags: 'wx', mode: FILE_MODE }), { signal: options.signal });
      return publicView(folder);
    } catch (error) {
      content.destroy();
      await this.release(folder.id).catch(() => {});
      throw fsError(error, 'receive upload', relativePath, options.signal);
    }
  }

  /** resolve gives a staged file's path on this machine, for the handler that pushes it. */
  resolve(id: string): StagedFile & { path: string } {
    const staged = this.files.get(id);
    if (!staged) throw new OrasError('NOT_FOUND', 'that file is no longer staged: drop it again');
    return { ...staged };
  }

  /** release forgets a staged file, deleting it when it was an upload. */
  async release(id: string): Promise<boolean> {
    const staged = this.files.get(id);
    if (!staged) return false;
    this.files.delete(id);
    if (staged.remove !== undefined && this.isUpload(staged)) {
      await rm(staged.remove, { recursive: true, force: true });
    }
    return true;
  }

  /**
   * place makes room for an upload named `name`: in the shared folder while the name is
   * free there (claimed atomically: `wx` for a file, mkdir for a folder), else in a
   * holder folder of its own (mode 0700). A file comes back open, so nobody else can
   * take its name between the check and the write.
   */
  private async place(name: string, kind: 'file' | 'directory'): Promise<Place> {
    const root = await this.ensureDir();
    const shared = path.join(root, SHARED_FOLDER);
    await mkdir(shared, { recursive: true, mode: 0o700 });
    const claim = async (at: string): Promise<Place | undefined> => {
      try {
        if (kind === 'directory') {
          await mkdir(at, { mode: FOLDER_MODE });
          return { path: at, remove: at };
        }
        return { path: at, remove: at, handle: await open(at, 'wx', FILE_MODE) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
        throw error;
      }
    };
    const inShared = await claim(path.join(shared, name));
    if (inShared) return inShared;
    const holder = path.join(root, randomUUID());
    await mkdir(holder, { mode: 0o700 });
    const own = await claim(path.join(holder, name));
    if (!own) throw new OrasError('INTERNAL', `${name} appeared in a new staging folder`);
    return { ...own, remove: holder };
  }

  private isUpload(staged: Staged): boolean {
    return this.dirPath !== undefined && staged.path.startsWith(this.dirPath + path.sep);
  }

  /** stagingDir is the private folder uploads go to, once one arrived. */
  get stagingDir(): string | undefined {
    return this.dirPath;
  }

  /** dispose removes the staging folder and forgets every file. */
  async dispose(): Promise<void> {
    this.files.clear();
    const dir = this.dirPath;
    this.dir = undefined;
    this.dirPath = undefined;
    process.off('exit', this.onExit);
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  private disposeSync(): void {
    if (this.dirPath) rmSync(this.dirPath, { recursive: true, force: true });
  }

  private ensureDir(): Promise<string> {
    this.dir ??= (async () => {
      const parent = this.options.parent ?? tmpdir();
      // mkdtemp creates the folder with mode 0700: other users cannot list or read it.
      const dir = await mkdtemp(path.join(parent, 'oras-desktop-staging-'));
      this.dirPath = dir;
      process.once('exit', this.onExit);
      return dir;
    })();
    return this.dir;
  }
}

/** Place is where an upload goes: its path, what to remove when released, and (a file) its open handle. */
interface Place {
  path: string;
  remove: string;
  handle?: FileHandle;
}

function publicView({ id, name, size, kind }: Staged): StagedFile {
  return { id, name, size, kind };
}
