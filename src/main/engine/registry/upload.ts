import { pipeline, type Readable } from 'node:stream';
import { VerifyStream } from '../digest';
import type { Descriptor } from '../descriptor';
import { OrasError } from '../errors';
import { header, type HttpResponse } from '../transport/http';
import { pullScope, pushScope, repoUrl, sendAndDiscard, type RepoContext } from './context';

export interface UploadOptions {
  signal?: AbortSignal;
  /**
   * Upload in PATCH chunks of this many bytes instead of one PUT (for registries or
   * proxies that cap request sizes). Default: one monolithic PUT.
   */
  chunkSize?: number;
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
 * uploadBlob sends a blob through an open session, monolithically (one PUT) or in
 * PATCH chunks that follow each answer's `Location`. The content is checked against
 * the descriptor as it streams, so a changed source fails instead of storing garbage.
 */
export async function uploadBlob(ctx: RepoContext, location: URL, desc: Descriptor, content: Readable, options: UploadOptions = {}): Promise<void> {
  const label = what(ctx, desc.digest);
  const verify = new VerifyStream(desc, `source of ${label}`);
  pipeline(content, verify, () => {
    // A failure surfaces through `verify` as the request body's error.
  });
  if (options.chunkSize && options.chunkSize > 0 && desc.size > options.chunkSize) {
    await uploadChunked(ctx, location, desc, verify, options.chunkSize, options.signal);
    return;
  }
  await sendAndDiscard(
    ctx,
    {
      method: 'PUT',
      url: withDigest(location, desc.digest),
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(desc.size) },
      body: verify,
      scopes: [pushScope(ctx.repository)],
      signal: options.signal,
    },
    [201, 204],
    label,
  );
}

async function* chunksOf(stream: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let held = 0;
  for await (const piece of stream) {
    let rest = piece;
    while (held + rest.byteLength >= size) {
      const take = size - held;
      parts.push(rest.subarray(0, take));
      yield Buffer.concat(parts, size);
      rest = rest.subarray(take);
      parts = [];
      held = 0;
    }
    if (rest.byteLength) {
      parts.push(rest);
      held += rest.byteLength;
    }
  }
  if (held) yield Buffer.concat(parts, held);
}

async function uploadChunked(ctx: RepoContext, start: URL, desc: Descriptor, content: Readable, chunkSize: number, signal?: AbortSignal): Promise<void> {
  const label = what(ctx, desc.digest);
  let location = start;
  let offset = 0;
  for await (const chunk of chunksOf(content, chunkSize)) {
    const response = await sendAndDiscard(
      ctx,
      {
        method: 'PATCH',
        url: location,
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(chunk.byteLength),
          'content-range': `${offset}-${offset + chunk.byteLength - 1}`,
        },
        body: chunk,
        scopes: [pushScope(ctx.repository)],
        signal,
      },
      [202],
      label,
    );
    offset += chunk.byteLength;
    location = uploadLocation(response, location, label);
  }
  await sendAndDiscard(
    ctx,
    { method: 'PUT', url: withDigest(location, desc.digest), headers: { 'content-length': '0' }, body: Buffer.alloc(0), scopes: [pushScope(ctx.repository)], signal },
    [201, 204],
    label,
  );
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
