import type { Descriptor, Index, Manifest } from '../descriptor';
import { OrasError, throwIfAborted } from '../errors';
import { isIndexMediaType, isManifestMediaType } from '../media-type';
import { validateTag } from '../reference';
import type { IoOptions, ReadOnlyTarget, Resolver, Tagger } from '../content/storage';
import { fetchBytes, type FetchBytesOptions } from './bytes';
import { parseIndex, parseManifest } from './manifest-codec';

export { fetchBytes, type FetchBytesOptions } from './bytes';

/**
 * resolve turns a tag or digest into the descriptor of the manifest it names (`oras resolve`).
 *
 * @throws OrasError NOT_FOUND when nothing has that name; ABORTED when `options.signal` aborts.
 * @example
 * ```ts
 * const { digest } = await resolve(repository, 'v0.1.0');
 * ```
 */
export async function resolve(target: Resolver, reference: string, options: IoOptions = {}): Promise<Descriptor> {
  if (reference === '') throw new OrasError('INVALID_REFERENCE', 'the reference is empty: give a tag or a digest');
  throwIfAborted(options.signal);
  return target.resolve(reference, options);
}

/** TagOptions: `concurrency` is accepted (ORAS's `--concurrency`), but tags are written one after another (see tag). */
export interface TagOptions extends IoOptions {
  concurrency?: number;
}

/**
 * tag points every one of `tags` at what `srcRef` names, resolving it once (so all tags
 * get the same manifest even if `srcRef` moves meanwhile) and returns its descriptor.
 * All tags are checked before any is written.
 *
 * @throws OrasError INVALID_REFERENCE naming a bad tag (nothing written), NOT_FOUND for
 * `srcRef`, the registry's DENIED…; ABORTED when `options.signal` aborts.
 * @example
 * ```ts
 * await tag(repository, 'v0.1.0', ['latest', 'stable']);
 * ```
 */
export async function tag(target: Resolver & Tagger, srcRef: string, tags: string[], options: TagOptions = {}): Promise<Descriptor> {
  if (tags.length === 0) throw new OrasError('INVALID_ARGUMENT', 'no tags given');
  for (const t of tags) validateTag(t);
  const desc = await resolve(target, srcRef, options);
  // One tag after another, whatever `concurrency` says (as push tags): each tag is a PUT
  // of the same manifest, and distribution 2.x rewrites that manifest's files on every
  // PUT, not atomically, so concurrent PUTs read each other's half-written file and
  // answer 500 (seen in CI). Tags are small requests; their order costs little.
  for (const t of new Set(tags)) await target.tag(desc, t, { signal: options.signal });
  return desc;
}

/** FetchedManifest is a manifest's descriptor, its exact bytes and, for types the engine reads, the parsed value. */
export interface FetchedManifest {
  descriptor: Descriptor;
  bytes: Uint8Array;
  /** undefined for manifest types the engine does not read; the bytes are still verified. */
  manifest: Manifest | Index | undefined;
}

/**
 * fetchManifest resolves `reference` and reads its manifest, capped at `maxBytes`
 * (default 4 MiB, SIZE_LIMIT beyond), digest-checked and validated (INVALID_MANIFEST).
 *
 * @throws OrasError NOT_FOUND, SIZE_LIMIT, DIGEST_MISMATCH, INVALID_MANIFEST; ABORTED.
 * @example
 * ```ts
 * const { descriptor, manifest } = await fetchManifest(repository, 'v0.1.0');
 * ```
 */
export async function fetchManifest(target: ReadOnlyTarget, reference: string, options: FetchBytesOptions = {}): Promise<FetchedManifest> {
  const descriptor = await resolve(target, reference, options);
  const bytes = await fetchBytes(target, descriptor, options);
  const manifest = isIndexMediaType(descriptor.mediaType)
    ? parseIndex(bytes, descriptor)
    : isManifestMediaType(descriptor.mediaType)
      ? parseManifest(bytes, descriptor)
      : undefined;
  return { descriptor, bytes, manifest };
}
