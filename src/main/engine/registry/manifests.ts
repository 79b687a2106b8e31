import { digestOf, isValidDigest, parseDigest } from '../digest';
import type { Descriptor } from '../descriptor';
import { OrasError } from '../errors';
import { isIndexMediaType, MANIFEST_MEDIA_TYPES, MediaType } from '../media-type';
import { discard, header, readCapped, type HttpResponse } from '../transport/http';
import { pullScope, pushScope, deleteScope, repoUrl, send, sendAndDiscard, type RepoContext } from './context';

/** MAX_MANIFEST_BYTES: manifests are read into memory, so their size is capped (4 MiB, as oras-go). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

const ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

export interface FetchedManifest {
  descriptor: Descriptor;
  bytes: Buffer;
}

function what(ctx: RepoContext, reference: string): string {
  return `manifest ${ctx.client.registry}/${ctx.repository}${reference.includes(':') ? '@' : ':'}${reference}`;
}

function contentType(response: HttpResponse): string | undefined {
  return header(response, 'content-type')?.split(';')[0]?.trim() || undefined;
}

/** mediaTypeOfManifest finds the media type: the body's own field, else Content-Type, else its shape. */
function mediaTypeOfManifest(bytes: Buffer, declared: string | undefined, label: string): string {
  let parsed: { mediaType?: unknown; manifests?: unknown };
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new OrasError('INVALID_MANIFEST', `${label} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new OrasError('INVALID_MANIFEST', `${label} is not a JSON object`);
  const own = typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
  const usable = declared && declared !== 'application/json' && declared !== 'application/octet-stream' ? declared : undefined;
  if (own && usable && own !== usable) {
    throw new OrasError('INVALID_MANIFEST', `${label} says its mediaType is ${own} but the registry sent Content-Type ${usable}`);
  }
  return own ?? usable ?? (Array.isArray(parsed.manifests) ? MediaType.ImageIndex : MediaType.ImageManifest);
}

/**
 * getManifest fetches a manifest by tag or digest, reading at most 4 MiB. Its digest
 * is checked against the digest asked for, else against `Docker-Content-Digest`; its
 * `mediaType` field must agree with `Content-Type`.
 */
export async function getManifest(ctx: RepoContext, reference: string, options: { signal?: AbortSignal; expected?: Descriptor } = {}): Promise<FetchedManifest> {
  const label = what(ctx, reference);
  const request = {
    method: 'GET' as const,
    url: repoUrl(ctx, `manifests/${reference}`),
    headers: { accept: ctx.manifestAccept ?? (options.expected?.mediaType ? `${options.expected.mediaType}, ${ACCEPT}` : ACCEPT) },
    scopes: [pullScope(ctx.repository)],
    signal: options.signal,
  };
  const response = await send(ctx, request, [200], label);
  const length = Number(header(response, 'content-length'));
  if (Number.isFinite(length) && length > MAX_MANIFEST_BYTES) {
    await discard(response);
    throw new OrasError('SIZE_LIMIT', `${label} is ${length} bytes, more than the ${MAX_MANIFEST_BYTES}-byte limit for manifests`);
  }
  const bytes = await readCapped(response.body, MAX_MANIFEST_BYTES, () => new OrasError('SIZE_LIMIT', `${label} is larger than the ${MAX_MANIFEST_BYTES}-byte limit for manifests`));
  const expectedDigest = options.expected?.digest ?? (isValidDigest(reference) ? reference : undefined);
  const headerDigest = header(response, 'docker-content-digest');
  const digest = verifyManifestDigest(bytes, expectedDigest ?? (headerDigest && isValidDigest(headerDigest) ? headerDigest : undefined), label);
  if (options.expected && options.expected.size !== bytes.byteLength) {
    throw new OrasError('SIZE_MISMATCH', `${label} has ${bytes.byteLength} bytes, its descriptor says ${options.expected.size}`);
  }
  const mediaType = mediaTypeOfManifest(bytes, contentType(response), label);
  return { descriptor: { mediaType, digest, size: bytes.byteLength }, bytes };
}

function verifyManifestDigest(bytes: Buffer, expected: string | undefined, label: string): string {
  if (!expected) return digestOf(bytes);
  const actual = digestOf(bytes, parseDigest(expected).algorithm);
  if (actual !== expected) {
    throw new OrasError('DIGEST_MISMATCH', `${label} has digest ${actual}, expected ${expected}: the registry sent different content`);
  }
  return actual;
}

/** headManifest resolves a reference to a descriptor without reading the body when the registry says enough. */
export async function headManifest(ctx: RepoContext, reference: string, signal?: AbortSignal): Promise<Descriptor | undefined> {
  const label = what(ctx, reference);
  const response = await ctx.client.send({
    method: 'HEAD',
    url: repoUrl(ctx, `manifests/${reference}`),
    headers: { accept: ctx.manifestAccept ?? ACCEPT },
    scopes: [pullScope(ctx.repository)],
    signal,
  });
  await discard(response);
  if (response.status === 404) return undefined;
  if (response.status !== 200) {
    // Ask with GET to get the registry's error body and its message.
    await getManifest(ctx, reference, { signal });
    throw new OrasError('REGISTRY_ERROR', `${label}: HEAD answered ${response.status}`);
  }
  const digest = header(response, 'docker-content-digest');
  const size = Number(header(response, 'content-length'));
  const mediaType = contentType(response);
  if (!digest || !isValidDigest(digest) || !Number.isSafeInteger(size) || !mediaType || !MANIFEST_MEDIA_TYPES.includes(mediaType)) {
    return (await getManifest(ctx, reference, { signal })).descriptor;
  }
  if (isValidDigest(reference) && digest !== reference) {
    throw new OrasError('DIGEST_MISMATCH', `${label}: the registry answered with digest ${digest}`);
  }
  return { mediaType, digest, size };
}

/** putManifest stores manifest bytes under a tag or their digest; it returns the response's headers. */
export async function putManifest(ctx: RepoContext, desc: Descriptor, bytes: Buffer, reference: string, signal?: AbortSignal): Promise<HttpResponse> {
  if (bytes.byteLength > MAX_MANIFEST_BYTES) {
    throw new OrasError('SIZE_LIMIT', `manifest ${desc.digest} is ${bytes.byteLength} bytes, more than the ${MAX_MANIFEST_BYTES}-byte limit`);
  }
  return sendAndDiscard(
    ctx,
    {
      method: 'PUT',
      url: repoUrl(ctx, `manifests/${reference}`),
      headers: { 'content-type': desc.mediaType },
      body: bytes,
      scopes: [pushScope(ctx.repository)],
      signal,
    },
    [200, 201, 202],
    what(ctx, reference),
  );
}

/** deleteManifest deletes a manifest by digest, or (where the registry can) a tag alone. */
export async function deleteManifest(ctx: RepoContext, reference: string, signal?: AbortSignal): Promise<void> {
  await sendAndDiscard(
    ctx,
    { method: 'DELETE', url: repoUrl(ctx, `manifests/${reference}`), scopes: [deleteScope(ctx.repository)], signal },
    [200, 202],
    what(ctx, reference),
  );
}

export { isIndexMediaType };
