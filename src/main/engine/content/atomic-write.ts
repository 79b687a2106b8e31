import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VerifyStream, type Digest } from '../digest';
import { throwIfAborted } from '../errors';
import { fsError } from './fs-error';

/**
 * tempPathFor names a temporary sibling of `dest`: same folder, so the final rename
 * stays on one file system and is atomic. The name is short (no copy of the target's
 * name) so a long target name cannot push it past the file system's limit, and dotted
 * so folder listings hide it.
 */
export function tempPathFor(dest: string, kind = 'tmp'): string {
  return path.join(path.dirname(dest), `.oras-${kind}-${randomBytes(8).toString('hex')}`);
}

/** AtomicWriteOptions configure writeStreamAtomic. */
export interface AtomicWriteOptions {
  /** Size and digest the content must have; checked while it streams. */
  expected?: { digest: Digest; size: number };
  /** Names the content in errors, e.g. `layer "rocket.txt"`. */
  what?: string;
  signal?: AbortSignal;
  /**
   * beforeRename runs after the content is complete and verified, just before it is
   * moved into place: the last moment to refuse (say, because `dest` appeared
   * meanwhile and must not be overwritten). If it throws, the temp file is removed.
   */
  beforeRename?: () => Promise<void>;
}

/**
 * writeStreamAtomic streams `content` into `dest` through a temp file in the same
 * folder, then renames it into place: readers see the old file or the whole new one,
 * never a half-written or unverified one. On any failure — a size or digest mismatch,
 * an abort, a full disk — the temp file is removed and `dest` is left as it was.
 */
export async function writeStreamAtomic(dest: string, content: Readable, options: AtomicWriteOptions = {}): Promise<void> {
  const tmp = tempPathFor(dest);
  let out: WriteStream | undefined;
  try {
    throwIfAborted(options.signal);
    const stages: NodeJS.ReadWriteStream[] = [];
    if (options.expected !== undefined) stages.push(new VerifyStream(options.expected, options.what));
    // 'wx' fails rather than follow a symlink or reuse a file someone planted at the
    // temp name; flush makes the data durable before the rename publishes it.
    out = createWriteStream(tmp, { flags: 'wx', flush: true });
    await pipeline([content, ...stages, out], { signal: options.signal });
    await options.beforeRename?.();
    await rename(tmp, dest);
  } catch (err) {
    content.destroy();
    // Windows cannot remove a file that is still open: wait for the handle to close.
    if (out !== undefined) await closed(out);
    await unlink(tmp).catch(() => {});
    throw fsError(err, 'write', dest, options.signal);
  }
}

function closed(stream: WriteStream): Promise<void> {
  if (stream.closed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('close', () => resolve());
    stream.destroy();
  });
}

/**
 * writeFileAtomic writes small in-memory data (index.json, oci-layout) through a temp
 * file and a rename, so a crash never leaves a truncated file behind.
 */
export async function writeFileAtomic(dest: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(dest);
  try {
    await writeFile(tmp, data, { flag: 'wx', flush: true });
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw fsError(err, 'write', dest);
  }
}
