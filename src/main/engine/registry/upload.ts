import { Readable } from 'node:stream';
import { skip, verifiedOnce, verifiesAgainst } from '../content/streams';
import { Digester, type Digest } from '../digest';
import type { Descriptor } from '../descriptor';
import { OrasError } from '../errors';
import { pullScope, pushScope, repoUrl, sendAndDiscard, type RepoContext } from './context';
import type { Reopen } from './source-reader';
import { uploadBlobFromSource, uploadStreamFromSource } from './upload-from-source';
import { classifyPatchFailure, putWhole, sessionLostAfterDrop, startUpload, tooManyDrops, uploadLocation, UploadSession, uploadWhat, UPLOAD_RESUMES } from './upload-session';

export { startUpload, UPLOAD_RESUMES };

/**
 * DEFAULT_UPLOAD_CHUNK_SIZE is 32 MiB: blobs up to this size go up in one PUT. Larger
 * ones go up in PATCHes: ranges streamed from a source that can be read again (see
 * STREAMED_CHUNK_SIZE), or, from any other source, chunks of this size each held in
 * memory until the registry has taken it, so a dropped connection costs at most one
 * chunk sent again, never the blob. While one held chunk is sent the next is gathered,
 * so such an upload holds at most 64 MiB.
 */
export const DEFAULT_UPLOAD_CHUNK_SIZE = 32 * 1024 * 1024;

export interface UploadOptions {
  signal?: AbortSignal;
  /**
   * Blobs larger than this go up in PATCH chunks of this many bytes, resumed after a
   * drop; smaller ones in one PUT. Default DEFAULT_UPLOAD_CHUNK_SIZE (held chunks) or,
   * when the content can be read again (`reopen`), PUT up to DEFAULT_UPLOAD_CHUNK_SIZE and
   * PATCHes of STREAMED_CHUNK_SIZE. 0 sends every blob in one PUT. A registry that
   * refuses the first chunk gets one PUT instead.
   */
  chunkSize?: number;
  /** How many times a chunk is resumed after a drop; default UPLOAD_RESUMES. */
  resumes?: number;
  /**
   * The same content again from its first byte. With it, chunks are read straight
   * from the stream instead of held in memory, and a drop is resumed by reading the
   * content again (see SourceReader).
   */
  reopen?: Reopen;
}

/**
 * uploadBlob sends a blob through an open session: one PUT when it is small, else
 * PATCH chunks closed by a PUT with the digest (ranges of a source that can be read
 * again, or chunks held in memory: see sendHeldChunks). The content is checked against
 * the descriptor as it streams, once (a stream that verifies itself against the same
 * descriptor is not hashed again), so a changed source fails instead of storing garbage.
 */
export async function uploadBlob(ctx: RepoContext, location: URL, desc: Descriptor, content: Readable, options: UploadOptions = {}): Promise<void> {
  const label = uploadWhat(ctx, desc.digest);
  const threshold = options.chunkSize ?? DEFAULT_UPLOAD_CHUNK_SIZE;
  if (threshold <= 0 || desc.size <= threshold) {
    await putWhole(ctx, location, desc, verifiedOnce(content, desc, `source of ${label}`), options.signal);
    return;
  }
  if (options.reopen) {
    await uploadBlobFromSource(ctx, location, desc, content, verifiesAgainst(content, desc), { ...options, reopen: options.reopen });
    return;
  }
  const source = verifiedOnce(content, desc, `source of ${label}`);
  const session = new UploadSession(ctx, location, label, options.signal);
  const { refused } = await sendHeldChunks(session, source, threshold, options.resumes ?? UPLOAD_RESUMES);
  if (refused) {
    // Nothing was taken: send the blob whole through a new session, the first chunk
    // from memory and the rest from where the stream stands.
    const fresh = await startUpload(ctx, desc.digest, options.signal);
    await putWhole(ctx, fresh, desc, Readable.from(prepend(refused.first, refused.rest), { objectMode: false }), options.signal);
    return;
  }
  await session.finish(desc.digest);
}

/**
 * uploadStream uploads content whose digest is not known yet, in one pass: it opens
 * a session, PATCHes the content in chunks while hashing it, and closes the session
 * with the digest it computed, which it returns with the size. The registry checks
 * that digest itself. With `reopen` and the expected `size` (a file's), chunks are read
 * straight from the stream (see uploadStreamFromSource). A registry that refuses
 * chunked uploads fails with UNSUPPORTED before it has taken a byte: hash the content
 * first, then use uploadBlob.
 */
export async function uploadStream(ctx: RepoContext, content: Readable, options: UploadOptions & { size?: number } = {}): Promise<{ digest: Digest; size: number }> {
  if (options.reopen && options.size !== undefined) {
    return uploadStreamFromSource(ctx, content, options.size, { ...options, reopen: options.reopen });
  }
  const label = `blob upload ${ctx.client.registry}/${ctx.repository}`;
  const chunkSize = options.chunkSize && options.chunkSize > 0 ? options.chunkSize : DEFAULT_UPLOAD_CHUNK_SIZE;
  const digester = new Digester();
  const session = new UploadSession(ctx, await startUpload(ctx, 'a new blob', options.signal), label, options.signal);
  try {
    const { refused } = await sendHeldChunks(session, hashed(content, digester), chunkSize, options.resumes ?? UPLOAD_RESUMES);
    if (refused) {
      await refused.rest.return(undefined);
      throw new OrasError('UNSUPPORTED', `${ctx.client.registry} does not take uploads in chunks, so a blob cannot be sent before its digest is known`);
    }
  } finally {
    content.destroy();
  }
  const digest = digester.digest();
  await session.finish(digest);
  return { digest, size: digester.size };
}

/**
 * sendHeldChunk uploads one chunk held in memory; 'refused' when the session's first
 * PATCH was turned down. After a drop it asks the session how many bytes it holds and
 * goes on from there, at most `resumes` times: only a point within the chunk can be
 * resumed, since the bytes before it are gone.
 */
async function sendHeldChunk(session: UploadSession, chunk: Buffer[], start: number, resumes: number): Promise<'sent' | 'refused'> {
  const length = lengthOf(chunk);
  let held = start;
  for (let drops = 0; ; drops++) {
    try {
      await session.patch(Readable.from(skip(chunk, held - start), { objectMode: false }), start + length - held, held);
      return 'sent';
    } catch (caught) {
      const err = drops > 0 ? sessionLostAfterDrop(session.label, caught) : caught;
      if (err !== caught) throw err;
      if (classifyPatchFailure(err, start === 0 && drops === 0, session.signal) === 'refused') return 'refused';
      if (drops >= resumes) throw tooManyDrops(session.label, held, drops + 1, err);
      held = await session.held(start, start + length);
      if (held === start + length) return 'sent';
    }
  }
}

/**
 * chunksOf regroups a stream into chunks of exactly `size` bytes (the last may be
 * shorter), each a list of the stream's own pieces: kept, not copied (a copy of every
 * byte into a chunk buffer cost as much as hashing it, measured on a loaded machine).
 * Streams never reuse a chunk they passed on, so the pieces stay as they were read.
 */
export async function* chunksOf(stream: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer[]> {
  let parts: Buffer[] = [];
  let held = 0;
  for await (const piece of stream) {
    let rest = piece;
    while (held + rest.byteLength >= size) {
      const take = size - held;
      parts.push(rest.subarray(0, take));
      yield parts;
      rest = rest.subarray(take);
      parts = [];
      held = 0;
    }
    if (rest.byteLength) {
      parts.push(rest);
      held += rest.byteLength;
    }
  }
  if (held) yield parts;
}

/** lengthOf is the bytes in a chunk. */
export function lengthOf(parts: readonly Buffer[]): number {
  return parts.reduce((sum, part) => sum + part.byteLength, 0);
}

/**
 * sendHeldChunks PATCHes every chunk of `content` in order, gathering the next chunk
 * (read, hashed) while the registry takes the current one, so the two overlap as they
 * do in one streamed PUT; at most two chunks are held. 'refused' is passed on from the
 * first chunk (see sendHeldChunk), with that chunk and the rest unsent.
 */
async function sendHeldChunks(session: UploadSession, content: AsyncIterable<Buffer>, size: number, resumes: number): Promise<{ refused?: { first: Buffer[]; rest: AsyncGenerator<Buffer[]> } }> {
  const chunks = chunksOf(content, size);
  let offset = 0;
  let next = chunks.next();
  for (let first = true; ; first = false) {
    const current = await next;
    if (current.done) return {};
    if (first) {
      // The first chunk alone decides whether chunks are taken at all.
      if ((await sendHeldChunk(session, current.value, 0, resumes)) === 'refused') return { refused: { first: current.value, rest: chunks } };
      offset += lengthOf(current.value);
      next = chunks.next();
      continue;
    }
    next = chunks.next();
    // Seen when awaited on the next turn; until then, not an unhandled rejection.
    next.catch(() => undefined);
    try {
      await sendHeldChunk(session, current.value, offset, resumes);
      offset += lengthOf(current.value);
    } catch (err) {
      await chunks.return(undefined).catch(() => undefined);
      throw err;
    }
  }
}

/** prepend yields the pieces of `first`, then those of every chunk of `rest`. */
async function* prepend(first: Buffer[], rest: AsyncIterable<Buffer[]>): AsyncGenerator<Buffer> {
  yield* first;
  for await (const chunk of rest) yield* chunk;
}

async function* hashed(content: AsyncIterable<Buffer>, digester: Digester): AsyncGenerator<Buffer> {
  for await (const chunk of content) {
    digester.update(chunk);
    yield chunk;
  }
}

/**
 * mountBlob asks the registry to link a blob from another repository (no bytes move),
 * true when it did. When the registry declines (202: it opened an upload instead), the
 * blob is uploaded into that session from `getContent`. Mounting from the repository
 * itself asks whether it holds the blob, and opens the upload if not, in one request.
 */
export async function mountBlob(ctx: RepoContext, desc: Descriptor, fromRepository: string, getContent: () => Promise<Readable>, options: UploadOptions = {}): Promise<boolean> {
  const url = repoUrl(ctx, 'blobs/uploads/');
  url.searchParams.set('mount', desc.digest);
  url.searchParams.set('from', fromRepository);
  const scopes = fromRepository === ctx.repository ? [pushScope(ctx.repository)] : [pushScope(ctx.repository), pullScope(fromRepository)];
  const response = await sendAndDiscard(ctx, { method: 'POST', url, scopes, signal: options.signal }, [201, 202], uploadWhat(ctx, desc.digest));
  if (response.status === 201) return true;
  await uploadBlob(ctx, uploadLocation(response, url, uploadWhat(ctx, desc.digest)), desc, await getContent(), { ...options, reopen: options.reopen ?? getContent });
  return false;
}
