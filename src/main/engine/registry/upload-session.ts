import type { Readable } from 'node:stream';
import type { Digest } from '../digest';
import type { Descriptor } from '../descriptor';
import { abortError, isOrasError, OrasError } from '../errors';
import { header, type HttpResponse } from '../transport/http';
import { parseUploadRange } from './byte-range';
import { pushScope, repoUrl, sendAndDiscard, type RepoContext } from './context';

/**
 * One blob upload session (distribution spec, "Pushing blobs"): opened by a POST, fed
 * by PATCHes or one PUT, asked how much it holds after a drop, closed by a PUT with the
 * digest. The two ways of feeding it (chunks held in memory, or ranges of a source that
 * can be read again) share this.
 */

/** UPLOAD_RESUMES is how many times an upload is resumed after a drop before it fails. */
export const UPLOAD_RESUMES = 3;

// Answers to a first PATCH that mean "not this way" (distribution spec: 416 for a
// range it cannot take; 400, 405 and 501 from servers and proxies without PATCH).
const CHUNKS_REFUSED = new Set([400, 405, 416, 501]);

export function uploadWhat(ctx: RepoContext, digest: string): string {
  return `blob upload ${ctx.client.registry}/${ctx.repository}@${digest}`;
}

/** uploadLocation reads the `Location` of an upload session, relative or absolute. */
export function uploadLocation(response: HttpResponse, base: URL, label: string): URL {
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
  const response = await sendAndDiscard(ctx, { method: 'POST', url, scopes: [pushScope(ctx.repository)], signal }, [202], uploadWhat(ctx, digest));
  return uploadLocation(response, url, uploadWhat(ctx, digest));
}

function withDigest(location: URL, digest: string): URL {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url;
}

/** putWhole sends a whole blob into a session in one PUT that also closes it. */
export async function putWhole(ctx: RepoContext, location: URL, desc: Pick<Descriptor, 'digest' | 'size'>, content: Readable, signal?: AbortSignal): Promise<void> {
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
    uploadWhat(ctx, desc.digest),
  );
}

/** How a failed PATCH is taken: the session refused chunks, a drop to resume, or a failure. */
export type PatchFailure = 'refused' | 'dropped';

/**
 * classifyPatchFailure reads a failed PATCH: 'refused' when it was the session's first
 * and the answer means "no chunks here", 'dropped' for a lost connection or a 416 (the
 * registry holds something else than we thought: ask it); anything else is thrown.
 */
export function classifyPatchFailure(err: unknown, first: boolean, signal?: AbortSignal): PatchFailure {
  if (signal?.aborted) throw abortError(signal);
  const status = isOrasError(err) ? err.response?.status : undefined;
  if (first && status !== undefined && CHUNKS_REFUSED.has(status)) return 'refused';
  if (isOrasError(err, 'NETWORK') || status === 416) return 'dropped';
  throw err;
}

/**
 * sessionLostAfterDrop turns the answer to a PATCH sent after a drop into the error a
 * caller starts over on, when it says the session is gone: distribution 2.x may still
 * answer the `GET` with what it holds while it is dropping the session that took part
 * of a PATCH, then refuse the resumed one (404, BLOB_UPLOAD_UNKNOWN or _INVALID).
 * Anything else is returned as it was.
 */
export function sessionLostAfterDrop(label: string, err: unknown): unknown {
  if (!isOrasError(err) || err.response === undefined) return err;
  const gone = err.response.status === 404 || err.response.errors.some((e) => e.code === 'BLOB_UPLOAD_UNKNOWN' || e.code === 'BLOB_UPLOAD_INVALID');
  if (!gone) return err;
  return new OrasError('NETWORK', `${label}: the connection dropped, and the registry no longer has the upload (${err.message}); push again: blobs already uploaded are skipped`, { cause: err });
}

/** tooManyDrops is the failure after an upload broke off more often than it resumes. */
export function tooManyDrops(label: string, at: number, drops: number, err: unknown): OrasError {
  return new OrasError('NETWORK', `${label}: the upload broke off at byte ${at}, ${drops} times (${(err as Error).message}); check the connection and try again`, { cause: err });
}

/**
 * UploadSession is an open session: PATCH bytes at an offset, ask what it holds, close
 * it with the digest. The Location moves with each answer, as the spec says it may.
 */
export class UploadSession {
  constructor(
    private readonly ctx: RepoContext,
    private location: URL,
    readonly label: string,
    readonly signal?: AbortSignal,
  ) {}

  /**
   * patch sends `length` bytes to be stored from offset `from`. The body is a stream
   * (never copied into one buffer), so an auth challenge cannot replay it: the
   * session's POST has already won the token it needs.
   */
  async patch(body: Readable, length: number, from: number): Promise<void> {
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
        body,
        scopes: [pushScope(this.ctx.repository)],
        signal: this.signal,
      },
      [202],
      this.label,
    );
    this.location = uploadLocation(response, this.location, this.label);
  }

  /**
   * held asks the session how many bytes it holds. Only an answer from `from` to `to`
   * can be resumed by the caller; anything else — the session gone (distribution 2.x
   * drops one that took part of a PATCH), or bytes before `from` lost — fails saying so.
   */
  async held(from: number, to: number): Promise<number> {
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

  /** finish closes the session with the blob's digest (PUT ?digest=, no body). */
  async finish(digest: Digest | string): Promise<void> {
    await sendAndDiscard(
      this.ctx,
      { method: 'PUT', url: withDigest(this.location, digest), headers: { 'content-length': '0' }, body: Buffer.alloc(0), scopes: [pushScope(this.ctx.repository)], signal: this.signal },
      [201, 204],
      this.label,
    );
  }
}
