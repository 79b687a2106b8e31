import { createWriteStream, type WriteStream } from 'node:fs';
import { chmod, link, lstat, symlink, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { pipeline as pipelineCallback, type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { ReadEntry } from 'tar';
import { Digester, parseDigest, type Digest } from '../digest';
import { abortError, OrasError } from '../errors';
import { fsError, isNotFound } from './fs-error';
import { ensureDirs, isAbsoluteAnywhere, resolveInside } from './safe-path';
import { loadTar } from './tar-module';

export interface UnpackOptions {
  /**
   * Digest the uncompressed tar must have (the layer's `io.deis.oras.content.digest`
   * annotation). Checked after the last byte; the caller discards `dest` on mismatch.
   */
  tarDigest?: Digest;
  signal?: AbortSignal;
}

function unsafe(message: string): OrasError {
  return new OrasError('UNSAFE_PATH', message);
}

/**
 * unpackDirectory extracts a tar+gzip stream whose entries are named `prefix/…` (as
 * packDirectory and oras-go write them) into `dest`, an empty folder the caller made
 * and removes if this fails. Nothing is trusted: every entry must stay inside `prefix`
 * (no absolute names, no `..` escapes), no entry is written through a symbolic link,
 * hard links must point at files already extracted, and every symbolic link must
 * resolve inside `dest` once all are in place. Files are replaced, never written
 * through (an earlier entry may have made the name a link). Devices and pipes are
 * skipped, as oras-go does. Entries are extracted one at a time, streamed: memory
 * stays flat however large the archive.
 */
export async function unpackDirectory(gzip: Readable, dest: string, prefix: string, options: UnpackOptions = {}): Promise<void> {
  const { signal } = options;
  const digester = new Digester(options.tarDigest === undefined ? 'sha256' : parseDigest(options.tarDigest).algorithm);
  const extractor = new Extractor(dest, prefix);
  const { Parser } = await loadTar();
  const parser = new Parser({ strict: true, zstd: false });

  let failure: unknown;
  let rejectFailed!: (err: unknown) => void;
  const failed = new Promise<never>((_resolve, reject) => {
    rejectFailed = reject;
  });
  failed.catch(() => {});
  const fail = (err: unknown): void => {
    if (failure !== undefined) return;
    failure = err;
    parser.abort(err instanceof Error ? err : new Error(String(err)));
    extractor.abort(err);
    rejectFailed(err);
  };

  // Entries arrive in order; each is handled after the one before it is done.
  let chain = Promise.resolve();
  parser.on('entry', (entry: ReadEntry) => {
    chain = chain.then(async () => {
      if (failure !== undefined) {
        entry.resume();
        return;
      }
      try {
        await extractor.extract(entry);
      } catch (err) {
        entry.resume();
        fail(err);
      }
    });
  });
  parser.on('error', (err: Error) => fail(tarError(err, prefix)));
  const parsed = new Promise<void>((resolve) => parser.on('end', () => resolve()));

  const tar = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      digester.update(chunk);
      callback(null, chunk);
    },
  });
  pipelineCallback(gzip, createGunzip(), tar, (err) => {
    if (err) fail(err.name === 'AbortError' ? abortError(signal) : gzipError(err, prefix));
  });
  const onAbort = (): void => {
    fail(abortError(signal));
    tar.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal?.aborted) onAbort();
    for await (const chunk of tar) {
      if (failure !== undefined) break;
      if (!parser.write(chunk as Buffer)) {
        await Promise.race([new Promise((resolve) => parser.once('drain', resolve)), failed]);
      }
    }
    if (failure === undefined) parser.end();
    await Promise.race([parsed, failed]);
    await Promise.race([chain, failed]);
    if (failure !== undefined) throw failure;
    if (options.tarDigest !== undefined) {
      const actual = digester.digest();
      if (actual !== options.tarDigest) {
        throw new OrasError(
          'DIGEST_MISMATCH',
          `the folder "${prefix}" unpacks to a tar with digest ${actual}, but its io.deis.oras.content.digest annotation says ${options.tarDigest}`,
        );
      }
    }
    await extractor.checkLinks();
    // `dest` was made private (0700) by the caller; give it the packed folder's mode.
    await chmod(dest, ((extractor.rootMode ?? 0o755) & 0o777) | 0o700);
  } catch (err) {
    tar.destroy();
    // Let the entry being written finish failing before the caller removes `dest`.
    await chain.catch(() => {});
    throw fsError(failure ?? err, 'unpack into', dest, signal);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function tarError(err: Error, prefix: string): OrasError {
  if (err instanceof OrasError) return err;
  return new OrasError('INVALID_ARGUMENT', `the archive of folder "${prefix}" is not valid tar data: ${err.message}`, { cause: err });
}

function gzipError(err: Error, prefix: string): OrasError {
  if (err instanceof OrasError) return err;
  return new OrasError('INVALID_ARGUMENT', `the archive of folder "${prefix}" is not valid gzip data: ${err.message}`, { cause: err });
}

/** Extractor writes tar entries below its root, one at a time, checking each. */
class Extractor {
  private readonly symlinks: { segments: string[]; target: string; name: string }[] = [];
  private readonly prefixParts: string[];
  private current: { entry: ReadEntry; out: WriteStream } | undefined;
  /** mode of the archive's entry for the folder itself, if it has one */
  rootMode: number | undefined;

  constructor(
    private readonly root: string,
    private readonly prefix: string,
  ) {
    this.prefixParts = [];
    for (const part of prefix.split(/[\\/]+/)) {
      if (part === '..') this.prefixParts.pop();
      else if (part !== '' && part !== '.') this.prefixParts.push(part);
    }
  }

  async extract(entry: ReadEntry): Promise<void> {
    const segments = this.segmentsOf(entry.path, `archive entry ${JSON.stringify(entry.path)}`);
    const target = path.join(this.root, ...segments);
    const parents = await this.parents(segments, entry.path);
    switch (entry.type) {
      case 'Directory':
        entry.resume();
        if (segments.length > 0) await ensureDirs(parents, [segments[segments.length - 1] ?? '']);
        else if (entry.mode !== undefined) this.rootMode = entry.mode;
        return;
      case 'File':
      case 'OldFile':
      case 'ContiguousFile':
        await this.replaceable(target, segments, entry.path);
        await this.writeFile(entry, target);
        if (entry.mtime !== undefined && entry.mtime.getTime() > 0) await utimes(target, entry.mtime, entry.mtime);
        return;
      case 'SymbolicLink': {
        entry.resume();
        const linkpath = entry.linkpath ?? '';
        const what = `symbolic link ${JSON.stringify(entry.path)} -> ${JSON.stringify(linkpath)}`;
        if (linkpath === '' || isAbsoluteAnywhere(linkpath)) throw unsafe(`${what} points at an absolute path; refusing to unpack it`);
        // The text is checked now; where it really lands is checked once every link
        // exists (checkLinks), since later links can change that.
        if (path.posix.normalize(path.posix.join(segments.slice(0, -1).join('/') || '.', linkpath)).split('/')[0] === '..') {
          throw unsafe(`${what} points outside the folder; refusing to unpack it`);
        }
        await this.replaceable(target, segments, entry.path);
        await symlink(linkpath, target);
        this.symlinks.push({ segments, target: linkpath, name: entry.path });
        return;
      }
      case 'Link': {
        entry.resume();
        const linkpath = entry.linkpath ?? '';
        const what = `hard link ${JSON.stringify(entry.path)} -> ${JSON.stringify(linkpath)}`;
        const source = this.segmentsOf(linkpath, what);
        await this.parents(source, linkpath);
        const sourcePath = path.join(this.root, ...source);
        const stats = await lstat(sourcePath).catch(() => undefined);
        if (stats === undefined || !stats.isFile()) {
          throw unsafe(`${what} does not point at a file unpacked before it; refusing to unpack it`);
        }
        await this.replaceable(target, segments, entry.path);
        await link(sourcePath, target);
        return;
      }
      default:
        // Devices, pipes and other specials are skipped, as oras-go does.
        entry.resume();
        return;
    }
  }

  /**
   * abort stops the file being written, so a failure elsewhere does not wait on it.
   * The entry is destroyed too: its bytes will never come once the parser is stopped,
   * and since Node 22 `pipeline` waits for its source to end after the destination
   * fails, so a pending read of the entry would hold the unpacking forever.
   */
  abort(err: unknown): void {
    this.current?.out.destroy(err instanceof Error ? err : new Error(String(err)));
    this.current?.entry.destroy();
  }

  private async writeFile(entry: ReadEntry, target: string): Promise<void> {
    // 'wx': the name was just cleared; if something appeared there, fail rather than
    // write through it. Setuid/setgid/sticky bits are dropped; the owner can always
    // read and write what was unpacked (so it can be moved and removed).
    const out = createWriteStream(target, { flags: 'wx', mode: ((entry.mode ?? 0o644) & 0o777) | 0o600 });
    this.current = { entry, out };
    try {
      const data = async function* (): AsyncGenerator<Buffer> {
        for await (const chunk of entry) yield chunk;
      };
      await pipeline(data, out);
    } finally {
      this.current = undefined;
    }
  }

  /** checkLinks resolves every unpacked symlink as the file system would. */
  async checkLinks(): Promise<void> {
    for (const { segments, target, name } of this.symlinks) {
      if ((await resolveInside(this.root, segments.slice(0, -1), target)) === undefined) {
        throw unsafe(`symbolic link ${JSON.stringify(name)} -> ${JSON.stringify(target)} leads outside the folder through other links; refusing to unpack it`);
      }
    }
  }

  /**
   * segmentsOf maps an archive name `prefix/a/b` to `[a, b]`, refusing absolute names
   * and names outside `prefix`.
   */
  private segmentsOf(name: string, what: string): string[] {
    if (name.includes('\0')) throw unsafe(`${what} contains a NUL character`);
    if (isAbsoluteAnywhere(name)) throw unsafe(`${what} is an absolute path; refusing to unpack it`);
    const parts: string[] = [];
    for (const part of name.split(/[\\/]+/)) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (parts.length === 0) throw unsafe(`${what} climbs out of the folder with ".."; refusing to unpack it`);
        parts.pop();
      } else {
        parts.push(part);
      }
    }
    const inPrefix = this.prefixParts.every((p, i) => parts[i] === p);
    if (!inPrefix || parts.length < this.prefixParts.length) {
      throw unsafe(`${what} is outside the folder ${JSON.stringify(this.prefix)} the archive should hold; refusing to unpack it`);
    }
    return parts.slice(this.prefixParts.length);
  }

  /** parents makes the folders above `segments`, refusing to go through symlinks. */
  private async parents(segments: string[], name: string): Promise<string> {
    const dirs = segments.slice(0, -1);
    try {
      await ensureDirs(this.root, dirs);
    } catch (err) {
      if (err instanceof OrasError && err.code === 'UNSAFE_PATH') {
        throw unsafe(`archive entry ${JSON.stringify(name)} goes through a symbolic link; refusing to unpack it`);
      }
      throw err;
    }
    return path.join(this.root, ...dirs);
  }

  /**
   * replaceable clears the way for a new entry at `target`: an earlier entry of the
   * same name is removed (not written through: it may be a link), a folder is refused.
   */
  private async replaceable(target: string, segments: string[], name: string): Promise<void> {
    if (segments.length === 0) throw unsafe(`archive entry ${JSON.stringify(name)} would replace the folder itself`);
    try {
      const stats = await lstat(target);
      if (stats.isDirectory()) {
        throw new OrasError('ALREADY_EXISTS', `archive entry ${JSON.stringify(name)} would replace a folder of the same name`);
      }
      await unlink(target);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
