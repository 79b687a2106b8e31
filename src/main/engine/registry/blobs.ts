import { pipeline, Readable } from 'node:stream';
import { VerifyStream } from '../digest';
import type { Descriptor } from '../descriptor';
import { OrasError } from '../errors';
import { discard, header } from '../transport/http';
import { deleteScope, pullScope, repoUrl, send, sendAndDiscard, type RepoContext } from './context';

function what(ctx: RepoContext, digest: string): string {
  return `blob ${ctx.client.registry}/${ctx.repository}@${digest}`;
}

/**
 * getBlob streams a blob, checking its size and digest as the bytes pass: the stream
 * errors with SIZE_MISMATCH or DIGEST_MISMATCH instead of ending cleanly when the
 * registry (or anything between) sends other bytes.
 */
export async function getBlob(ctx: RepoContext, desc: Descriptor, signal?: AbortSignal): Promise<Readable> {
  const label = what(ctx, desc.digest);
  const response = await send(ctx, { method: 'GET', url: repoUrl(ctx, `blobs/${desc.digest}`), scopes: [pullScope(ctx.repository)], signal }, [200], label);
  const length = header(response, 'content-length');
  if (length !== undefined && Number(length) !== desc.size) {
    await discard(response);
    throw new OrasError('SIZE_MISMATCH', `${label}: the registry announces ${length} bytes, the descriptor says ${desc.size}`);
  }
  const verify = new VerifyStream(desc, label);
  pipeline(brokenLinkAsError(response.body, label), verify, () => {
    // Errors reach the reader through `verify`; pipeline destroys both sides on failure.
  });
  return verify;
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

/**
 * brokenLinkAsError passes a body through, turning a connection that breaks mid-body
 * into the engine's NETWORK error (undici's own says only "other side closed").
 */
async function* brokenLinkAsError(body: AsyncIterable<Uint8Array>, label: string): AsyncGenerator<Uint8Array> {
  let received = 0;
  try {
    for await (const chunk of body) {
      received += chunk.byteLength;
      yield chunk;
    }
  } catch (err) {
    if (err instanceof OrasError) throw err;
    throw new OrasError('NETWORK', `${label}: the download broke off after ${received} bytes (${(err as Error).message}); try again`, { cause: err });
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
