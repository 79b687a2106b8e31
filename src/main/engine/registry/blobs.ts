import { pipeline, Readable } from 'node:stream';
import { VerifyStream } from '../digest';
import type { Descriptor } from '../descriptor';
import { abortError, OrasError } from '../errors';
import { nodeReason } from '../node-errors';
import { discard, header } from '../transport/http';
import { parseContentRange } from './byte-range';
import { bytesReadable, markVerifying, readVerified } from '../content/streams';
import { SMALL_BLOB_BYTES } from '../small-blobs';
import { deleteScope, pullScope, repoUrl, send, sendAndDiscard, type RepoContext } from './context';

function what(ctx: RepoContext, digest: string): string {
  return `blob ${ctx.client.registry}/${ctx.repository}@${digest}`;
}

/** DOWNLOAD_RESUMES is how many times a blob download that broke off is resumed before it fails. */
export const DOWNLOAD_RESUMES = 3;

/** GetBlobOptions: `signal` cancels; `resumes` (default DOWNLOAD_RESUMES) bounds the resumed requests. */
export interface GetBlobOptions {
  signal?: AbortSignal;
  resumes?: number;
}

/**
 * getBlob streams a blob, checking its size and digest as the bytes pass: the stream
 * errors with SIZE_MISMATCH or DIGEST_MISMATCH instead of ending cleanly when the
 * registry (or anything between) sends other bytes. A body that breaks off (a reset,
 * a truncated or short body) is resumed from the last byte received with
 * `Range: bytes=<offset>-`, up to `resumes` times; the one hash runs on over the
 * resumed bytes, so the digest still covers the whole blob.
 */
export async function getBlob(ctx: RepoContext, desc: Descriptor, options: GetBlobOptions = {}): Promise<Readable> {
  const label = what(ctx, desc.digest);
  const { signal } = options;
  const response = await send(ctx, { method: 'GET', url: repoUrl(ctx, `blobs/${desc.digest}`), scopes: [pullScope(ctx.repository)], signal }, [200], label);
  const length = header(response, 'content-length');
  if (length !== undefined && Number(length) !== desc.size) {
    await discard(response);
    throw new OrasError('SIZE_MISMATCH', `${label}: the registry announces ${length} bytes, the descriptor says ${desc.size}`);
  }
  const body = resumingBody(ctx, desc, response.body, options.resumes ?? DOWNLOAD_RESUMES, signal);
  // A small blob is read whole and checked before it is handed on: a verifying stream
  // pipeline per blob cost a pull of 1,000 small files more CPU than their bytes.
  if (desc.size <= SMALL_BLOB_BYTES) return markVerifying(bytesReadable(await readVerified(body, desc, { what: label, signal })), desc);
  const verify = new VerifyStream(desc, label);
  pipeline(Readable.from(body, { objectMode: false }), verify, () => {
    // Errors reach the reader through `verify`; pipeline destroys both sides on failure.
  });
  return markVerifying(verify, desc);
}

/**
 * resumingBody yields a blob's bytes from `first`, and when a body breaks off or ends
 * short of `desc.size`, asks for the rest (see resumeAt), at most `resumes` times.
 * Bytes past `desc.size` are left to VerifyStream to refuse.
 */
async function* resumingBody(ctx: RepoContext, desc: Descriptor, first: Readable, resumes: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  let body = first;
  let received = 0;
  for (let breaks = 0; ; breaks++) {
    let cause: unknown;
    try {
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        received += chunk.byteLength;
        yield chunk;
      }
      if (received >= desc.size) return;
    } catch (err) {
      if (signal?.aborted) throw abortError(signal);
      if (err instanceof OrasError && err.code !== 'NETWORK') throw err;
      cause = err;
    } finally {
      body.destroy();
    }
    const how = cause === undefined ? 'the body ended early' : nodeReason(cause);
    if (breaks >= resumes) {
      throw new OrasError(
        'NETWORK',
        `the download of ${desc.digest} from ${ctx.client.registry}/${ctx.repository} broke off after ${received} bytes, ${breaks + 1} times (${how}); check the connection and try again`,
        { cause },
      );
    }
    body = await resumeAt(ctx, desc, received, signal);
  }
}

/**
 * resumeAt asks for a blob from byte `offset` on. A 206 must start exactly there; a
 * registry that ignores Range (200, RFC 9110 §14.2) sends the blob from its start,
 * and the `offset` bytes the reader already has are skipped: they are not sent twice,
 * and the digest, checked over what the reader got, still covers every byte.
 */
async function resumeAt(ctx: RepoContext, desc: Descriptor, offset: number, signal?: AbortSignal): Promise<Readable> {
  const label = what(ctx, desc.digest);
  const response = await send(
    ctx,
    { method: 'GET', url: repoUrl(ctx, `blobs/${desc.digest}`), headers: { range: `bytes=${offset}-` }, scopes: [pullScope(ctx.repository)], signal },
    [200, 206],
    label,
  );
  if (response.status === 200) return Readable.from(slice(response.body, offset, desc.size - 1), { objectMode: false });
  const range = parseContentRange(header(response, 'content-range'));
  if (range?.first !== offset || (range.total !== undefined && range.total !== desc.size)) {
    await discard(response);
    throw new OrasError(
      'REGISTRY_ERROR',
      `${label}: asked to resume at byte ${offset}, the registry answered with ${header(response, 'content-range') ?? 'no Content-Range'}`,
    );
  }
  return response.body;
}

/**
 * getBlobRange streams bytes `start` to `end` (inclusive; to the end when omitted) of a
 * blob with an HTTP Range request. A part cannot be checked against the blob's digest:
 * the caller verifies the whole once it is assembled.
 */
export async function getBlobRange(ctx: RepoContext, desc: Descriptor, start: number, end?: number, signal?: AbortSignal): Promise<Readable> {
  const label = what(ctx, desc.digest);
  const last = end ?? desc.size - 1;
  if (!Number.isSafeInteger(start) || start < 0 || last < start || last >= desc.size) {
    throw new OrasError('INVALID_ARGUMENT', `${label}: range ${start}-${last} is outside its ${desc.size} bytes`);
  }
  const response = await send(
    ctx,
    { method: 'GET', url: repoUrl(ctx, `blobs/${desc.digest}`), headers: { range: `bytes=${start}-${last}` }, scopes: [pullScope(ctx.repository)], signal },
    [200, 206],
    label,
  );
  // RFC 9110 §14.2: a server may ignore Range and send the whole blob (200). Take the
  // part asked for from it and close the rest, so no more is read than the caller wanted.
  if (response.status === 200) return Readable.from(slice(response.body, start, last));
  const range = header(response, 'content-range');
  if (!range?.startsWith(`bytes ${start}-${last}/`)) {
    await discard(response);
    throw new OrasError('REGISTRY_ERROR', `${label}: the registry answered the range ${start}-${last} with ${range ?? 'no Content-Range'}`);
  }
  return response.body;
}

/** slice yields bytes `start` to `last` (inclusive) of a body, then stops reading it (the body is destroyed). */
async function* slice(body: Readable, start: number, last: number): AsyncGenerator<Buffer> {
  let offset = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      const from = Math.max(0, start - offset);
      const to = Math.min(chunk.byteLength, last + 1 - offset);
      if (to > from) yield chunk.subarray(from, to);
      offset += chunk.byteLength;
      if (offset > last) break;
    }
  } finally {
    body.destroy();
  }
}

/** statBlob describes a blob by its digest: `HEAD` gives its size. */
export async function statBlob(ctx: RepoContext, digest: string, signal?: AbortSignal): Promise<Descriptor> {
  const label = what(ctx, digest);
  const response = await sendAndDiscard(ctx, { method: 'HEAD', url: repoUrl(ctx, `blobs/${digest}`), scopes: [pullScope(ctx.repository)], signal }, [200], label);
  const size = Number(header(response, 'content-length'));
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new OrasError('REGISTRY_ERROR', `${label}: the registry did not say how large the blob is (no Content-Length)`);
  }
  return { mediaType: 'application/octet-stream', digest, size };
}

/** headBlob tells whether the repository has a blob. */
export async function headBlob(ctx: RepoContext, digest: string, signal?: AbortSignal): Promise<boolean> {
  const request = { method: 'HEAD' as const, url: repoUrl(ctx, `blobs/${digest}`), scopes: [pullScope(ctx.repository)], signal };
  const response = await ctx.client.send(request);
  await discard(response);
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  // HEAD has no body to explain itself; run the request through send() for the error.
  await sendAndDiscard(ctx, request, [200, 404], what(ctx, digest));
  return false;
}

export async function deleteBlob(ctx: RepoContext, digest: string, signal?: AbortSignal): Promise<void> {
  await sendAndDiscard(ctx, { method: 'DELETE', url: repoUrl(ctx, `blobs/${digest}`), scopes: [deleteScope(ctx.repository)], signal }, [200, 202], what(ctx, digest));
}
