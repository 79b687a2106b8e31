import { Readable } from 'node:stream';
import { parseDigest, type Digest } from '../digest';
import type { Descriptor } from '../descriptor';
import { OrasError } from '../errors';
import type { RepoContext } from './context';
import { SourceReader, type Reopen } from './source-reader';
import { classifyPatchFailure, putWhole, sessionLostAfterDrop, startUpload, tooManyDrops, uploadWhat, UploadSession, UPLOAD_RESUMES } from './upload-session';

/**
 * STREAMED_CHUNK_SIZE is 128 MiB: the PATCH size for a source that can be read again.
 * Its bytes are never held (see SourceReader), so the size only trades requests
 * against what a proxy that buffers whole request bodies (nginx does) loses on a drop.
 * Measured against distribution 2.8 on loopback (a 1 GiB file, each PATCH streamed
 * from disk): 128 MiB PATCHes took as long as one PUT, 32 MiB ones about 1.2x.
 */
export const STREAMED_CHUNK_SIZE = 128 * 1024 * 1024;

export interface SourceUploadOptions {
  reopen: Reopen;
  signal?: AbortSignal;
  /** PATCH size; default STREAMED_CHUNK_SIZE. */
  chunkSize?: number;
  /** Resumes after drops without progress in between; default UPLOAD_RESUMES. */
  resumes?: number;
}

/**
 * sendRanges PATCHes `size` bytes from `reader` in ranges of `chunkSize`. After a drop
 * it asks the session what it holds and rewinds the reader there, so a resume costs
 * a re-read of the source, not a re-upload. 'refused' when the session's first PATCH
 * was turned down (nothing stored).
 */
async function sendRanges(session: UploadSession, reader: SourceReader, size: number, options: SourceUploadOptions): Promise<'sent' | 'refused'> {
  const chunkSize = options.chunkSize && options.chunkSize > 0 ? options.chunkSize : STREAMED_CHUNK_SIZE;
  const resumes = options.resumes ?? UPLOAD_RESUMES;
  let drops = 0;
  let first = true;
  while (reader.position < size) {
    const from = reader.position;
    const length = Math.min(chunkSize, size - from);
    try {
      await session.patch(Readable.from(reader.take(length), { objectMode: false }), length, from);
      first = false;
      drops = 0;
    } catch (caught) {
      if (reader.failure !== undefined) throw reader.failure;
      const err = drops > 0 ? sessionLostAfterDrop(session.label, caught) : caught;
      if (err !== caught) throw err;
      if (classifyPatchFailure(err, first, options.signal) === 'refused') return 'refused';
      if (++drops > resumes) throw tooManyDrops(session.label, from, drops, err);
      await reader.rewind(await session.held(0, from + length));
    }
  }
  await reader.end();
  return 'sent';
}

/**
 * uploadBlobFromSource sends a blob of known digest through an open session in ranges
 * read straight from `content` (see SourceReader), and closes it with the digest. A
 * registry that refuses PATCH gets the content again in one PUT.
 */
export async function uploadBlobFromSource(ctx: RepoContext, location: URL, desc: Descriptor, content: Readable, verifying: boolean, options: SourceUploadOptions): Promise<void> {
  const session = new UploadSession(ctx, location, uploadWhat(ctx, desc.digest), options.signal);
  const reader = new SourceReader(content, options.reopen, { algorithm: parseDigest(desc.digest).algorithm, hash: !verifying, what: `source of ${session.label}` });
  try {
    if ((await sendRanges(session, reader, desc.size, options)) === 'refused') {
      await reader.rewind(0);
      const fresh = await startUpload(ctx, desc.digest, options.signal);
      await putWhole(ctx, fresh, desc, Readable.from(reader.take(desc.size), { objectMode: false }), options.signal);
      await reader.end();
      return;
    }
    const actual = reader.digest();
    if (actual !== undefined && actual !== desc.digest) {
      throw new OrasError('DIGEST_MISMATCH', `source of ${session.label}: the content has digest ${actual}, not ${desc.digest} (changed while it was sent?)`);
    }
    await session.finish(desc.digest);
  } finally {
    reader.close();
  }
}

/**
 * uploadStreamFromSource uploads `size` bytes whose digest is not known yet: a session
 * opened, ranges sent while hashed, closed with the digest computed. UNSUPPORTED when
 * the registry refuses chunks (nothing taken): hash first, then upload whole.
 */
export async function uploadStreamFromSource(ctx: RepoContext, content: Readable, size: number, options: SourceUploadOptions): Promise<{ digest: Digest; size: number }> {
  const label = `blob upload ${ctx.client.registry}/${ctx.repository}`;
  const session = new UploadSession(ctx, await startUpload(ctx, 'a new blob', options.signal), label, options.signal);
  const reader = new SourceReader(content, options.reopen, { algorithm: 'sha256', hash: true, what: `source of ${label}` });
  try {
    if ((await sendRanges(session, reader, size, options)) === 'refused') {
      throw new OrasError('UNSUPPORTED', `${ctx.client.registry} does not take uploads in chunks, so a blob cannot be sent before its digest is known`);
    }
    const digest = reader.digest() as Digest;
    await session.finish(digest);
    return { digest, size };
  } finally {
    reader.close();
  }
}
