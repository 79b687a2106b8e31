import { assertAnnotations, assertDescriptor, type Descriptor, type Index, type Manifest } from '../descriptor';
import { OrasError } from '../errors';
import { isIndexMediaType, isManifestMediaType, isValidMediaType } from '../media-type';
import type { Fetcher, IoOptions } from '../content/storage';
import { fetchBytes } from './bytes';

/**
 * The manifest codec reads manifests and indexes from untrusted bytes. Every field the
 * engine relies on is checked here, once, so the verbs can trust the parsed values.
 */

function invalid(desc: Pick<Descriptor, 'digest'>, why: string): OrasError {
  return new OrasError('INVALID_MANIFEST', `manifest ${desc.digest}: ${why}`);
}

function parseObject(bytes: Uint8Array, desc: Descriptor): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    throw invalid(desc, `not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(desc, 'not a JSON object');
  const obj = value as Record<string, unknown>;
  if (obj.schemaVersion !== 2) throw invalid(desc, `schemaVersion is ${JSON.stringify(obj.schemaVersion)}, expected 2`);
  // image-spec: mediaType, when present, must match the descriptor's (a registry or
  // attacker could otherwise make a manifest be read as an index or vice versa).
  if (obj.mediaType !== undefined && obj.mediaType !== desc.mediaType) {
    throw invalid(desc, `its mediaType ${JSON.stringify(obj.mediaType)} differs from the descriptor's ${JSON.stringify(desc.mediaType)}`);
  }
  if (obj.artifactType !== undefined && (typeof obj.artifactType !== 'string' || !isValidMediaType(obj.artifactType))) {
    throw invalid(desc, `invalid artifactType ${JSON.stringify(obj.artifactType)}`);
  }
  if (obj.subject !== undefined) assertDescriptor(obj.subject, `manifest ${desc.digest} subject`);
  if (obj.annotations !== undefined) assertAnnotations(obj.annotations, `manifest ${desc.digest} annotations`);
  return obj;
}

function descriptorList(value: unknown, desc: Descriptor, field: string): Descriptor[] {
  if (!Array.isArray(value)) throw invalid(desc, `${field} must be an array`);
  return value.map((item, i) => assertDescriptor(item, `manifest ${desc.digest} ${field}[${i}]`));
}

/** parseManifest reads an image manifest (OCI or Docker schema 2), or throws INVALID_MANIFEST. */
export function parseManifest(bytes: Uint8Array, desc: Descriptor): Manifest {
  const obj = parseObject(bytes, desc);
  if (obj.config === undefined) throw invalid(desc, 'it has no config');
  assertDescriptor(obj.config, `manifest ${desc.digest} config`);
  descriptorList(obj.layers, desc, 'layers');
  return obj as unknown as Manifest;
}

/** parseIndex reads an image index (OCI or Docker manifest list), or throws INVALID_MANIFEST. */
export function parseIndex(bytes: Uint8Array, desc: Descriptor): Index {
  const obj = parseObject(bytes, desc);
  descriptorList(obj.manifests, desc, 'manifests');
  return obj as unknown as Index;
}

/** isIndex tells a parsed index from a parsed manifest. */
export function isIndex(value: Manifest | Index): value is Index {
  return Array.isArray((value as Partial<Index>).manifests);
}

/**
 * parseSuccessors lists the children of a manifest or index held in memory, subject
 * first (as oras-go does), then config and layers, or the listed manifests.
 */
export function parseSuccessors(bytes: Uint8Array, desc: Descriptor): Descriptor[] {
  if (isIndexMediaType(desc.mediaType)) {
    const index = parseIndex(bytes, desc);
    return [...(index.subject ? [index.subject] : []), ...index.manifests];
  }
  const manifest = parseManifest(bytes, desc);
  return [...(manifest.subject ? [manifest.subject] : []), manifest.config, ...manifest.layers];
}

/** SuccessorsOptions: `maxBytes` caps the manifest read, default 4 MiB. */
export interface SuccessorsOptions extends IoOptions {
  maxBytes?: number;
}

/**
 * successors fetches a manifest or index (capped at `maxBytes`, default 4 MiB, and
 * digest-checked) and returns its children: subject, config and layers, or subject and
 * manifests. Any other content has no children.
 */
export async function successors(fetcher: Fetcher, desc: Descriptor, options: SuccessorsOptions = {}): Promise<Descriptor[]> {
  if (!isManifestMediaType(desc.mediaType)) return [];
  const bytes = await fetchBytes(fetcher, desc, options);
  return parseSuccessors(bytes, desc);
}
