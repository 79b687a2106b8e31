import { randomUUID } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StagedFile } from '../../shared/contract';
import { fsError } from '../engine/content/fs-error';
import { OrasError } from '../engine/errors';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
const MAX_NAME_BYTES = 200;

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

interface Staged extends StagedFile {
  path: string;
}

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

  constructor(private readonly options: { parent?: string } = {}) {}

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

  /** receive streams one uploaded file into the staging folder (browser mode). */
  async receive(name: string, content: Readable, signal?: AbortSignal): Promise<StagedFile> {
    const id = randomUUID();
    const root = await this.ensureDir();
    const folder = path.join(root, id);
    const fileName = safeFileName(name);
    const file = path.join(folder, fileName);
    try {
      await mkdir(folder, { mode: 0o700 });
      await pipeline(content, createWriteStream(file, { flags: 'wx', mode: 0o600 }), { signal });
      const { size } = await stat(file);
      const staged: Staged = { id, name: fileName, size, kind: 'file', path: file };
      this.files.set(id, staged);
      return publicView(staged);
    } catch (error) {
      content.destroy();
      await rm(folder, { recursive: true, force: true }).catch(() => {});
      throw fsError(error, 'receive upload', fileName, signal);
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
    if (this.dirPath && staged.path.startsWith(this.dirPath + path.sep)) {
      await rm(path.dirname(staged.path), { recursive: true, force: true });
    }
    return true;
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

function publicView({ id, name, size, kind }: Staged): StagedFile {
  return { id, name, size, kind };
}
