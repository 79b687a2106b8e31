import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { DigestCache } from '../content/digest-cache';
import { fsError, statNow } from '../content/fs-error';
import { isStreamPusher, type IoOptions } from '../content/storage';
import { bindSignal, FILE_READ_CHUNK } from '../content/streams';
import { isOrasError } from '../errors';
import { DEFAULT_UPLOAD_CHUNK_SIZE } from '../registry/upload';
import { DEFAULT_CONCURRENCY } from './copy';
import { Limiter } from './limiter';

/**
 * UploadFilesOptions: `minSize` (default DEFAULT_UPLOAD_CHUNK_SIZE): smaller files are
 * left to the usual path; `concurrency` (default 3); `onBytes(file, bytes)` per chunk
 * read; `onUploaded(file, digest, size)` once a file is stored.
 */
export interface UploadFilesOptions extends IoOptions {
  minSize?: number;
  concurrency?: number;
  onBytes?: (file: string, bytes: number) => void;
  onUploaded?: (file: string, digest: string, size: number) => void;
}

/**
 * uploadFilesFirst sends large files whose digest is not known yet straight to `dst`,
 * each in ONE read hashed as it goes (a repository's POST, PATCHes, PUT ?digest=), and
 * records each digest in `cache` under the file's identity from before the read. The
 * push that follows then finds every such file in the cache (FileStore.add reads
 * nothing) and its blob in the registry (copy's HEAD skips it): one read and one hash
 * per file instead of a hash to learn the digest and a second read to send it.
 *
 * Left to the usual path (hash, ask whether the registry has it, upload only if missing):
 * files already in the cache, folders (packed first), files of `minSize` or less (a
 * second read of a small file costs little, and asking spares uploading what the
 * registry has), and
 * every file when `dst` cannot take a blob before its digest, or refuses chunked uploads,
 * and a file whose upload broke off beyond resuming.
 * A file that changes while it is sent gets a new identity, so the push hashes it again.
 * Returns the absolute paths uploaded.
 */
export async function uploadFilesFirst(dst: object, files: readonly string[], cache: DigestCache, options: UploadFilesOptions = {}): Promise<Set<string>> {
  const uploaded = new Set<string>();
  if (!isStreamPusher(dst)) return uploaded;
  const minSize = options.minSize ?? DEFAULT_UPLOAD_CHUNK_SIZE;
  const limiter = new Limiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  let refused = false;
  await Promise.all(
    [...new Set(files)].map((file) =>
      limiter.run(async () => {
        if (refused) return;
        const stats = statNow(file, 'read', options.signal);
        const identity = { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
        if (!stats.isFile() || stats.size <= minSize || cache.get(file, identity) !== undefined) return;
        const open = async (): Promise<Readable> => {
          const read = bindSignal(createReadStream(file, { highWaterMark: FILE_READ_CHUNK }), options.signal);
          return options.onBytes ? Readable.from(counted(read, (bytes) => options.onBytes!(file, bytes)), { objectMode: false }) : read;
        };
        try {
          // After a drop the file is read again from the start: the part the registry
          // holds is hashed, not sent.
          const stored = await dst.pushStream(await open(), { signal: options.signal, reopen: open, size: stats.size });
          cache.set(file, identity, stored.digest);
          uploaded.add(file);
          options.onUploaded?.(file, stored.digest, stored.size);
        } catch (err) {
          if (options.signal?.aborted) throw err;
          if (isOrasError(err, 'UNSUPPORTED')) refused = true;
          // A dropped connection the upload could not resume: the usual path sends the
          // file again (and says so clearly if the network is really gone).
          // A file that changed size while read is hashed again by the usual path.
          else if (!isOrasError(err, 'NETWORK') && !isOrasError(err, 'SIZE_MISMATCH')) throw err;
        }
      }, options.signal),
    ),
  );
  return uploaded;
}

async function* counted(content: AsyncIterable<Buffer>, onBytes: (bytes: number) => void): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of content) {
    total += chunk.byteLength;
    onBytes(total);
    yield chunk;
  }
}
