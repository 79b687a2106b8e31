import { quoted } from './echo';
import { parseDigest, type Digest } from './digest';
import { OrasError } from './errors';
import { isValidMediaType } from './media-type';

/** Annotation keys the engine reads or writes (image-spec "Pre-Defined Annotation Keys"). */
export const Annotation = {
  Title: 'org.opencontainers.image.title',
  Created: 'org.opencontainers.image.created',
  /** ORAS: digest of a directory's uncompressed tar, checked when unpacking. */
  ContentDigest: 'io.deis.oras.content.digest',
  /** ORAS: "true" when the layer is a directory to unpack on pull. */
  ContentUnpack: 'io.deis.oras.content.unpack',
} as const;

/** Descriptor points at content by media type, digest and size (image-spec "Descriptors"). */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  data?: string;
  platform?: Platform;
  artifactType?: string;
}

/** Platform is what an index entry runs on (image-spec "Image Index": `platform`). */
export interface Platform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
}

/** Manifest is an OCI image manifest (image-spec "Image Manifest"). */
export interface Manifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** Index is an OCI image index (image-spec "Image Index"). */
export interface Index {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** descriptorKey identifies content for de-duplication: the digest alone is enough. */
export function descriptorKey(desc: Pick<Descriptor, 'digest'>): string {
  return desc.digest;
}

/** titleOf is the file name a layer carries, if any. */
export function titleOf(desc: Descriptor): string | undefined {
  return desc.annotations?.[Annotation.Title];
}

/**
 * assertDescriptor checks that untrusted JSON is a descriptor: media type, digest and a
 * non-negative safe-integer size. `where` names it in the error.
 */
export function assertDescriptor(value: unknown, where: string): Descriptor {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OrasError('INVALID_MANIFEST', `${where} is not a descriptor object`);
  }
  const desc = value as Record<string, unknown>;
  if (typeof desc.mediaType !== 'string' || !isValidMediaType(desc.mediaType)) {
    throw new OrasError('INVALID_MANIFEST', `${where} has an invalid mediaType ${quoted(desc.mediaType)}`);
  }
  if (typeof desc.digest !== 'string') {
    throw new OrasError('INVALID_MANIFEST', `${where} has no digest`);
  }
  try {
    parseDigest(desc.digest);
  } catch (err) {
    throw new OrasError('INVALID_MANIFEST', `${where}: ${(err as Error).message}`);
  }
  if (typeof desc.size !== 'number' || !Number.isSafeInteger(desc.size) || desc.size < 0) {
    throw new OrasError('INVALID_MANIFEST', `${where} has an invalid size ${quoted(desc.size)}`);
  }
  if (desc.annotations !== undefined) assertAnnotations(desc.annotations, `${where} annotations`);
  // Optional fields: absent is fine, but when present they must have the type the
  // Descriptor interface promises, or code reading them would be misled.
  if (desc.urls !== undefined && (!Array.isArray(desc.urls) || !desc.urls.every((u) => typeof u === 'string'))) {
    throw new OrasError('INVALID_MANIFEST', `${where} has invalid urls: expected an array of strings`);
  }
  if (desc.artifactType !== undefined && (typeof desc.artifactType !== 'string' || !isValidMediaType(desc.artifactType))) {
    throw new OrasError('INVALID_MANIFEST', `${where} has an invalid artifactType ${quoted(desc.artifactType)}`);
  }
  if (desc.data !== undefined && (typeof desc.data !== 'string' || !BASE64.test(desc.data))) {
    throw new OrasError('INVALID_MANIFEST', `${where} has invalid data: expected a base64 string`);
  }
  if (desc.platform !== undefined) assertPlatform(desc.platform, `${where} platform`);
  return value as Descriptor;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function assertPlatform(value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OrasError('INVALID_MANIFEST', `${where} is not an object`);
  }
  const platform = value as Record<string, unknown>;
  for (const key of ['architecture', 'os'] as const) {
    if (typeof platform[key] !== 'string') {
      throw new OrasError('INVALID_MANIFEST', `${where} has no ${key} string`);
    }
  }
  for (const key of ['os.version', 'variant'] as const) {
    if (platform[key] !== undefined && typeof platform[key] !== 'string') {
      throw new OrasError('INVALID_MANIFEST', `${where}: ${key} must be a string`);
    }
  }
  const features = platform['os.features'];
  if (features !== undefined && (!Array.isArray(features) || !features.every((f) => typeof f === 'string'))) {
    throw new OrasError('INVALID_MANIFEST', `${where}: os.features must be an array of strings`);
  }
}

/** assertAnnotations checks a string-to-string map. */
export function assertAnnotations(value: unknown, where: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OrasError('INVALID_MANIFEST', `${where} must be an object of strings`);
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new OrasError('INVALID_MANIFEST', `${where} must be a plain object of strings`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new OrasError('INVALID_MANIFEST', `${where}: value of ${quoted(key)} must be a string`);
    }
  }
  return value as Record<string, string>;
}
