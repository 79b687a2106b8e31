import { Readable } from 'node:stream';
import { Digester, type Digest } from '../digest';
import type { Descriptor } from '../descriptor';
import { abortError, isOrasError, OrasError } from '../errors';
import { header, type HttpResponse } from '../transport/http';
import { parseUploadRange } from './byte-range';
import { pullScope, pushScope, repoUrl, sendAndDiscard, type RepoContext } from './context';
import { verifiedOnce } from '../content/streams';

/**
 * DEFAULT_UPLOAD_CHUNK_SIZE is 32 MiB. Blobs larger than one chunk go up as PATCHes of
 * this size, each held in memory until the registry has taken it, so a dropped
 * connection costs at most one chunk sent again, never the blob. Why 32 MiB: against
 * distribution 2.8 on loopback every PATCH costs the registry a fixed amount (it
 * closes the file and saves its hash state), and 16 MiB chunks made a 512 MiB upload
 * about 1.5x slower than one PUT where 32 MiB came closer; while one chunk is sent the
 * next is gathered, so an upload holds at most 64 MiB: one 1 GiB push stays well
 * under its 200 MiB.
 */
export const DEFAULT_UPLOAD_CHUNK_SIZE = 32 * 1024 * 1024;

/** UPLOAD_RESUMES is how many times one chunk is resumed after a drop before the upload fails. */
export const UPLOAD_RESUMES = 3;

export interface UploadOptions {
  signal?: AbortSignal;
  /**
   * Blobs larger than this go up in PATCH chunks of this many bytes, resumed after a
   * drop; smaller ones in one PUT. Default DEFAULT_UPLOAD_CHUNK_SIZE; 0 sends every
   * blob in one PUT. A registry that refuses the first chunk gets one PUT instead.
   */
  chunkSize?: number;
  /** How many times a chunk is resumed after a drop; default UPLOAD_RESUMES. */
  resumes?: number;
}

function what(ctx: RepoContext, digest: string): string {
  return `blob upload ${ctx.client.registry}/${ctx.repository}@${digest}`;
}

/** uploadLocation reads the `Location` of an upload session, relative or absolute. */
function uploadLocation(response: HttpResponse, base: URL, label: string): URL {
  const location = header(response, 'location');
  if (!location) throw new OrasError('REGISTRY_ERROR', `${label}: the registry gave no upload Location`);
  const url = new URL(location, base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OrasError('REGISTRY_ERROR', `${label}: the upload Location ${JSON.stringify(location)} is not http(s)`);
  }
  return url;
}

/** startUpload opens an upload session (POST) and returns where to send the bytes. */
export async function startUpload(ctx: RepoContext, digest: string, signal?: AbortSignal): Promise<URL> {
  const url = repoUrl(ctx, 'blobs/uploads/');
  const response = await sendAndDiscard(ctx, { method: 'POST', url, scopes: [pushScope(ctx.repository)], signal }, [202], what(ctx, digest));
  return uploadLocation(response, url, what(ctx, digest));
}

function withDigest(location: URL, digest: string): URL {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url;
}

/**
 * uploadBlob sends a blob through an open session: one PUT when it is small, else
 * PATCH chunks (see ChunkedUpload) closed by a PUT with the digest. The content is
 * checked against the descriptor as it streams, once (a stream that verifies itself
 * against the same descriptor is not hashed again), so a changed source fails instead
 * of storing garbage.
 */
export async function uploadBlob(ctx: RepoContext, location: URL, desc: Descriptor, content: Readable, options: UploadOptions = {}): Promise<void> {
  const label = what(ctx, desc.digest);
  const source = verifiedOnce(content, desc, `source of ${label}`);
  const chunkSize = options.chunkSize ?? DEFAULT_UPLOAD_CHUNK_SIZE;
  if (chunkSize <= 0 || desc.size <= chunkSize) {
    await putWhole(ctx, location, desc, source, options.signal);
    return;
  }
  const upload = new ChunkedUpload(ctx, location, label, options);
  const { refused } = await sendChunks(upload, source, chunkSize);
  if (refused) {
    // Nothing was taken: send the blob whole through a new session, the first chunk
    // from memory and the rest from where the stream stands.
    const fresh = await startUpload(ctx, desc.digest, options.signal);
    await putWhole(ctx, fresh, desc, Readable.from(prepend(refused.first, refused.rest), { objectMode: false }), options.signal);
    return;
  }
  await upload.finish(desc.digest);
}

/**
 * uploadStream uploads content whose digest is not known yet, in one pass: it opens
 * a session, PATCHes the content in chunks while hashing it, and closes the session
 * with the digest it computed, which it returns with the size. The registry checks
 * that digest itself. A registry that refuses chunked uploads fails with UNSUPPORTED
 * before it has taken a byte: hash the content first, then use uploadBlob.
 */
export async function uploadStream(ctx: RepoContext, content: Readable, options: UploadOptions = {}): Promise<{ digest: Digest; size: number }> {
  const label = `blob upload ${ctx.client.registry}/${ctx.repository}`;
  const chunkSize = options.chunkSize && options.chunkSize > 0 ? options.chunkSize : DEFAULT_UPLOAD_CHUNK_SIZE;
  const digester = new Digester();
  const upload = new ChunkedUpload(ctx, await startUpload(ctx, 'a new blob', options.signal), label, options);
  try {
    const { refused } = await sendChunks(upload, hashed(content, digester), chunkSize);
    if (refused) {
      await refused.rest.return(undefined);
      throw new OrasError('UNSUPPORTED', `${ctx.client.registry} does not take uploads in chunks, so a blob cannot be sent before its digest is known`);
    }
  } finally {
    content.destroy();
  }
  const digest = digester.digest();
  await upload.finish(digest);
  return { digest, size: digester.size };
}

async function putWhole(ctx: RepoContext, location: URL, desc: Descriptor, content: Readable, signal?: AbortSignal): Promise<void> {
  await sendAndDiscard(
    ctx,
    {
      method: 'PUT',
      url: withDigest(location, desc.digest),
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(desc.size) },
      body: content,
      scopes: [pushScope(ctx.repository)],
      signal,
    },
    [201, 204],
    what(ctx, desc.digest),
  );
}

// Answers to a first PATCH that mean "not this way" (distribution spec: 416 for a
// range it cannot take; 400, 405 and 501 from servers and proxies without PATCH).
const CHUNKS_REFUSED = new Set([400, 405, 416, 501]);

/**
 * ChunkedUpload feeds one upload session chunk by chunk (PATCH with Content-Range,
 * distribution spec "Pushing a blob in chunks"). Each chunk stays in memory until the
 * registry has taken it: when a PATCH drops (a reset, a 416), the session is asked how
 * many bytes it holds (`GET` on the upload URL, its `Range` header) and the chunk goes
 * on from there, at most `resumes` times per chunk.
 */
class ChunkedUpload {
  private offset = 0;
  private readonly resumes: number;
  private readonly signal?: AbortSignal;

  constructor(
    private readonly ctx: RepoContext,
    private location: URL,
    private readonly label: string,
    options: UploadOptions,
  ) {
    this.resumes = options.resumes ?? UPLOAD_RESUMES;
    this.signal = options.signal;
  }

  /** send uploads one chunk; 'refused' when the session's first PATCH was turned down. */
  async send(chunk: Buffer[]): Promise<'sent' | 'refused'> {
    const start = this.offset;
    const length = lengthOf(chunk);
    let held = start;
    for (let drops = 0; ; drops++) {
      try {
        await this.patch(skip(chunk, held - start), start + length - held, held);
        this.offset = start + length;
        return 'sent';
      } catch (err) {
        if (this.signal?.aborted) throw abortError(this.signal);
        const status = isOrasError(err) ? err.response?.status : undefined;
        if (start === 0 && drops === 0 && status !== undefined && CHUNKS_REFUSED.has(status)) return 'refused';
        if (!isOrasError(err, 'NETWORK') && status !== 416) throw err;
        if (drops >= this.resumes) {
          throw new OrasError(
            'NETWORK',
            `${this.label}: the upload broke off at byte ${held}, ${drops + 1} times (${(err as Error).message}); check the connection and try again`,
            { cause: err },
          );
        }
        held = await this.held(start, start + length);
        if (held === start + length) {
          this.offset = held;
          return 'sent';
        }
      }
    }
  }

  /** finish closes the session with the blob's digest (PUT ?digest=, no body). */
  async finish(digest: Digest): Promise<void> {
    await sendAndDiscard(
      this.ctx,
      { method: 'PUT', url: withDigest(this.location, digest), headers: { 'content-length': '0' }, body: Buffer.alloc(0), scopes: [pushScope(this.ctx.repository)], signal: this.signal },
      [201, 204],
      this.label,
    );
  }

  /**
   * patch sends `length` bytes from `from` on. The pieces go as a stream (no copy into
   * one buffer), so an auth challenge cannot replay it: the session's POST has already
   * won the token it needs.
   */
  private async patch(parts: Buffer[], length: number, from: number): Promise<void> {
    const response = await sendAndDiscard(
      this.ctx,
      {
        method: 'PATCH',
        url: this.location,
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(length),
          'content-range': `${from}-${from + length - 1}`,
        },
        body: Readable.from(parts, { objectMode: false }),
        scopes: [pushScope(this.ctx.repository)],
        signal: this.signal,
      },
      [202],
      this.label,
    );
    this.location = uploadLocation(response, this.location, this.label);
  }

  /**
   * held asks the session how many bytes it holds. Only an answer within the chunk in
   * memory (`from`..`to`) can be resumed; anything else — the session gone (distribution
   * 2.x drops one that took part of a chunk), or bytes before the chunk lost — fails
   * saying so.
   */
  private async held(from: number, to: number): Promise<number> {
    let response: HttpResponse;
    try {
      response = await sendAndDiscard(this.ctx, { method: 'GET', url: this.location, scopes: [pushScope(this.ctx.repository)], signal: this.signal }, [204], this.label);
    } catch (err) {
      if (!isOrasError(err) || err.code === 'ABORTED' || err.code === 'NETWORK') throw err;
      throw new OrasError(
        'NETWORK',
        `${this.label}: the connection dropped after ${from} bytes were taken, and the registry no longer has the upload (${err.message}); push again: blobs already uploaded are skipped`,
        { cause: err },
      );
    }
    const held = parseUploadRange(header(response, 'range'));
    if (held === undefined || held < from || held > to) {
      throw new OrasError(
        'REGISTRY_ERROR',
        `${this.label}: after a dropped connection the registry says it holds ${header(response, 'range') ?? 'no Range'} of the upload, not a byte between ${from} and ${to}; push again`,
      );
    }
    if (header(response, 'location')) this.location = uploadLocation(response, this.location, this.label);
    return held;
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

/** skip drops the first `bytes` bytes of a chunk (what the registry holds already). */
export function skip(parts: readonly Buffer[], bytes: number): Buffer[] {
  const out: Buffer[] = [];
  let left = bytes;
  for (const part of parts) {
    if (left >= part.byteLength) {
      left -= part.byteLength;
      continue;
    }
    out.push(left > 0 ? part.subarray(left) : part);
    left = 0;
  }
  return out;
}

/**
 * sendChunks PATCHes every chunk of `content` in order, gathering the next chunk (read,
 * hashed) while the registry takes the current one, so the two overlap as they do in
 * one streamed PUT; at most two chunks are held. 'refused' is passed on from the first
 * chunk (see ChunkedUpload.send), with that chunk and the rest unsent.
 */
async function sendChunks(upload: ChunkedUpload, content: AsyncIterable<Buffer>, size: number): Promise<{ refused?: { first: Buffer[]; rest: AsyncGenerator<Buffer[]> } }> {
  const chunks = chunksOf(content, size);
  let next = chunks.next();
  for (let first = true; ; first = false) {
    const current = await next;
    if (current.done) return {};
    if (first) {
      // The first chunk alone decides whether chunks are taken at all.
      if ((await upload.send(current.value)) === 'refused') return { refused: { first: current.value, rest: chunks } };
      next = chunks.next();
      continue;
    }
    next = chunks.next();
    // Seen when awaited on the next turn; until then, not an unhandled rejection.
    next.catch(() => undefined);
    try {
      await upload.send(current.value);
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
 * mountBlob asks the registry to link a blob from another repository (no bytes move).
 * When the registry declines (202: it opened an upload instead), the blob is uploaded
 * into that session from `getContent`.
 */
export async function mountBlob(ctx: RepoContext, desc: Descriptor, fromRepository: string, getContent: () => Promise<Readable>, options: UploadOptions = {}): Promise<void> {
  const url = repoUrl(ctx, 'blobs/uploads/');
  url.searchParams.set('mount', desc.digest);
  url.searchParams.set('from', fromRepository);
  const response = await sendAndDiscard(
    ctx,
    { method: 'POST', url, scopes: [pushScope(ctx.repository), pullScope(fromRepository)], signal: options.signal },
    [201, 202],
    what(ctx, desc.digest),
  );
  if (response.status === 201) return;
  await uploadBlob(ctx, uploadLocation(response, url, what(ctx, desc.digest)), desc, await getContent(), options);
}
