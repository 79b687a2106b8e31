import { createWriteStream, type Stats } from 'node:fs';
import { lstat, readdir, readlink, realpath, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Digester, type Digest } from '../digest';
import { OrasError, throwIfAborted } from '../errors';
import { fsError } from './fs-error';
import { resolveInside } from './safe-path';
import { loadTar } from './tar-module';

/** PackResult describes a packed folder: the gzip blob and the tar inside it. */
export interface PackResult {
  /** digest of the tar+gzip blob */
  digest: Digest;
  /** size of the tar+gzip blob in bytes */
  size: number;
  /** digest of the uncompressed tar (the `io.deis.oras.content.digest` annotation) */
  tarDigest: Digest;
}

export interface PackOptions {
  /**
   * Store one fixed modification time instead of each file's, so packing the same
   * folder twice gives the same digest. Default true. The time is `mtime` if given,
   * else `SOURCE_DATE_EPOCH` when set (reproducible-builds.org), else the epoch; folder
   * entries store no time at all (node-tar's portable mode).
   * Owners (uid/gid 0, no user or group names), access and change times are never
   * stored, entries are always in sorted order, and the gzip header has no time or name.
   */
  reproducible?: boolean;
  /** The fixed modification time of a reproducible pack; default `reproducibleTime()`. */
  mtime?: Date;
  signal?: AbortSignal;
  /** Told the tar+gzip bytes written so far, for a progress bar. */
  onBytes?: (bytes: number) => void;
}

const EPOCH = new Date(0);

/**
 * reproducibleTime is the time reproducible packs store: `SOURCE_DATE_EPOCH` (whole
 * seconds since 1970, https://reproducible-builds.org/specs/source-date-epoch/) when
 * it is set to a valid number, else the epoch itself. A malformed value is refused
 * rather than ignored, so a typo cannot silently change digests.
 */
export function reproducibleTime(env: NodeJS.ProcessEnv = process.env): Date {
  const raw = env['SOURCE_DATE_EPOCH'];
  if (raw === undefined || raw.trim() === '') return EPOCH;
  if (!/^\d{1,12}$/.test(raw.trim())) {
    throw new OrasError('INVALID_ARGUMENT', `SOURCE_DATE_EPOCH must be whole seconds since 1970 (such as 1700000000), got ${JSON.stringify(raw)}; fix it or unset it`);
  }
  return new Date(Number(raw.trim()) * 1000);
}

/**
 * packDirectory writes `dir` as tar+gzip to the new file `dest`, entries named
 * `prefix/…` as oras-go does (the pulling side unpacks them into `prefix`). Symbolic
 * links are stored as links, and refused (UNSAFE_PATH) when they point outside `dir`:
 * unpacked elsewhere they would point at whatever is there. Hard links are stored as
 * plain files, as oras-go does. The tar and the gzip are hashed as they stream; memory
 * stays flat however large the folder. On failure `dest` is removed.
 */
export async function packDirectory(dir: string, prefix: string, dest: string, options: PackOptions = {}): Promise<PackResult> {
  const { signal } = options;
  const tarDigester = new Digester();
  const gzipDigester = new Digester();
  try {
    const root = await realpath(dir);
    const entries = await walk(root, signal);
    const statCache = new Map<string, Stats>();
    for (const entry of entries) statCache.set(path.resolve(root, entry.name), entry.stats);
    const { Pack } = await loadTar();
    const pack = new Pack({
      cwd: root,
      prefix,
      // portable: no uid/gid, user or group names, access or change times, and modes
      // normalised (node-tar's modeFix), so the owner of the copy does not matter.
      portable: true,
      noDirRecurse: true,
      strict: true,
      // node-tar reads up to 16 MiB at a time by default; 1 MiB keeps memory low.
      maxReadSize: 1024 * 1024,
      mtime: options.reproducible === false ? undefined : (options.mtime ?? reproducibleTime()),
      // The stats checked by walk are the ones packed: a file swapped for a symlink
      // after the check is still packed from its checked type.
      statCache,
    });
    for (const entry of entries) pack.add(entry.name);
    pack.end();
    const source = async function* (): AsyncGenerator<Buffer> {
      for await (const chunk of pack) yield chunk;
    };
    await pipeline(
      source,
      tap(tarDigester),
      createGzip(),
      portableGzipHeader(),
      tap(gzipDigester, options.onBytes),
      createWriteStream(dest, { flags: 'wx' }),
      { signal },
    );
    return { digest: gzipDigester.digest(), size: gzipDigester.size, tarDigest: tarDigester.digest() };
  } catch (err) {
    await unlink(dest).catch(() => {});
    throw fsError(err, 'pack folder', dir, signal);
  }
}

interface WalkEntry {
  /** path below the root with `/` separators; `.` for the root itself */
  name: string;
  stats: Stats;
}

/** walk lists `root` depth-first in sorted order, checking every entry can be packed. */
async function walk(root: string, signal?: AbortSignal): Promise<WalkEntry[]> {
  const entries: WalkEntry[] = [{ name: '.', stats: await lstat(root) }];
  const visit = async (relDir: string[]): Promise<void> => {
    const names = (await readdir(path.join(root, ...relDir))).sort();
    for (const name of names) {
      throwIfAborted(signal);
      const rel = [...relDir, name];
      const shown = JSON.stringify(rel.join('/'));
      const stats = await lstat(path.join(root, ...rel));
      if (stats.isSymbolicLink()) {
        const target = await readlink(path.join(root, ...rel));
        if ((await resolveInside(root, relDir, target)) === undefined) {
          throw new OrasError(
            'UNSAFE_PATH',
            `${shown} is a symbolic link to ${JSON.stringify(target)}, outside the folder being packed; unpacked elsewhere it would point somewhere else. Replace it with what it points to, or remove it`,
          );
        }
      } else if (stats.isFile()) {
        // Hard links are packed as plain files (oras-go does the same): pretend each is
        // the only link, so node-tar does not emit a link entry.
        stats.nlink = 1;
      } else if (!stats.isDirectory()) {
        throw new OrasError('UNSUPPORTED', `${shown} is a ${kindOf(stats)}; only files, folders and symbolic links can be packed`);
      }
      entries.push({ name: rel.join('/'), stats });
      if (stats.isDirectory()) await visit(rel);
    }
  };
  await visit([]);
  return entries;
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'named pipe';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  return 'special file';
}

/** tap hashes the bytes passing through, telling `onBytes` how many so far. */
function tap(digester: Digester, onBytes?: (bytes: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      digester.update(chunk);
      onBytes?.(digester.size);
      callback(null, chunk);
    },
  });
}

/**
 * portableGzipHeader sets the gzip header's OS byte to 255 ("unknown", as Go's
 * compress/gzip writes): zlib writes the platform it was built for, which would give
 * the same folder different digests on Windows and Unix. zlib already writes a zero
 * modification time.
 */
function portableGzipHeader(): Transform {
  const OS_OFFSET = 9;
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (seen <= OS_OFFSET && seen + chunk.length > OS_OFFSET) {
        chunk = Buffer.from(chunk);
        chunk[OS_OFFSET - seen] = 255;
      }
      seen += chunk.length;
      callback(null, chunk);
    },
  });
}
