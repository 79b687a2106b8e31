import { isValidDigest, parseDigest } from '../main/engine/digest';
import { cut, quoted } from '../main/engine/echo';
import { parseReference, validateTag, type Reference } from '../main/engine/reference';
import { UsageError, asUsage } from './errors';

/** LayoutReference is `<folder>[:tag|@digest]` of an OCI image layout (`--oci-layout`). */
export interface LayoutReference {
  path: string;
  tag?: string;
  digest?: string;
}

/**
 * parseLayoutReference splits an OCI layout reference: `@digest` after the last "@"
 * when it is a digest, else `:tag` after the last ":" when it is a tag and the colon is
 * not a Windows drive's (`C:\x`) or inside a path (`a:b/c` has "/" after it).
 */
export function parseLayoutReference(input: string): LayoutReference {
  if (input === '') throw new UsageError('the OCI layout reference is empty: write <folder>[:tag|@digest]');
  const at = input.lastIndexOf('@');
  if (at > 0) {
    const digest = input.slice(at + 1);
    if (isValidDigest(digest)) return { path: input.slice(0, at), digest };
    // `folder@sha256:…` with a broken digest: say what is wrong with it.
    if (/^[a-z0-9]+:/.test(digest)) asUsage(() => parseDigest(digest));
  }
  const colon = input.lastIndexOf(':');
  const isDrive = colon === 1 && /^[A-Za-z]$/.test(input[0]!);
  if (colon > 0 && !isDrive) {
    const tag = input.slice(colon + 1);
    if (!tag.includes('/') && !tag.includes('\\')) {
      asUsage(() => validateTag(tag, input));
      return { path: input.slice(0, colon), tag };
    }
  }
  return { path: input };
}

/**
 * splitTags reads ORAS's `name:tag1,tag2` destination: the reference with the first
 * tag, and the other tags. Each tag is checked.
 */
export function splitTags(input: string): { reference: string; extraTags: string[] } {
  if (input.includes('@')) return { reference: input, extraTags: [] };
  const lastSlash = input.lastIndexOf('/');
  const comma = input.indexOf(',', lastSlash + 1);
  if (comma === -1) return { reference: input, extraTags: [] };
  const extraTags = input.slice(comma + 1).split(',');
  for (const tag of extraTags) asUsage(() => validateTag(tag, input));
  return { reference: input.slice(0, comma), extraTags };
}

/**
 * parseRemoteReference parses a registry reference from the command line; a bad one is
 * a usage error. `needs` says whether a tag or digest is required ('reference'), a
 * digest in particular ('digest'), or nothing ('none').
 */
export function parseRemoteReference(input: string, needs: 'none' | 'reference' | 'digest' = 'none'): Reference {
  const ref = asUsage(() => parseReference(input));
  if (needs === 'reference' && ref.tag === undefined && ref.digest === undefined) {
    throw new UsageError(`reference ${quoted(input)} names no tag or digest: add :<tag> or @<digest> to it`);
  }
  if (needs === 'digest' && ref.digest === undefined) {
    throw new UsageError(`reference ${quoted(input)} names no digest: write ${cut(input.replace(/:[^/:]*$/, ''), 40)}@sha256:<digest>`);
  }
  return ref;
}
