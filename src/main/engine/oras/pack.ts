import { Annotation, type Descriptor } from '../descriptor';
import { digestOf, parseDigest } from '../digest';
import { OrasError } from '../errors';
import { assertMediaType, MediaType } from '../media-type';
import type { IoOptions, Pusher } from '../content/storage';
import { pushBytes } from './bytes';

/** ImageSpecVersion picks the manifest shape packManifest writes. */
export type ImageSpecVersion = 'v1.1' | 'v1.0';

/** EMPTY_JSON is the content `{}` that empty descriptors point at (image-spec 1.1 "Guidance for an Empty Descriptor"). */
export const EMPTY_JSON = new TextEncoder().encode('{}');

/** EMPTY_DESCRIPTOR is image-spec 1.1's empty descriptor, the config of artifacts that have none. */
export const EMPTY_DESCRIPTOR: Readonly<Descriptor> = Object.freeze({
  mediaType: MediaType.Empty,
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
});

/**
 * PackManifestOptions says what packManifest writes.
 * - `imageSpec`: default 'v1.1'.
 * - `artifactType`: v1.1: the manifest's artifactType, default
 *   `application/vnd.unknown.artifact.v1` when there is no config. v1.0: the media type
 *   of the default `{}` config (default `application/vnd.unknown.config.v1+json`).
 * - `config`: a blob already in the pusher; default the empty descriptor (v1.1) or a
 *   `{}` config (v1.0), pushed by packManifest.
 * - `layers`: blobs already in the pusher; default none.
 * - `subject`: v1.1 only.
 * - `created`: v1.1 only; the `org.opencontainers.image.created` value, default now;
 *   `false` leaves it out. An annotation of that key given by the caller wins.
 */
export interface PackManifestOptions extends IoOptions {
  imageSpec?: ImageSpecVersion;
  artifactType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  annotations?: Record<string, string>;
  subject?: Descriptor;
  created?: Date | string | false;
}

/**
 * packManifest writes an OCI image manifest over `layers` and pushes it (and the
 * default config blob, if it made one) to `pusher`, returning the manifest's
 * descriptor. Mirrors oras-go's PackManifest: v1.1 follows image-spec 1.1's artifact
 * guidance; v1.0 writes byte for byte what ORAS 0.x wrote (see the rocket in SEED.txt).
 *
 * @throws OrasError INVALID_MEDIA_TYPE, INVALID_ANNOTATION or INVALID_ARGUMENT naming
 * the bad field; the pusher's errors; ABORTED when `options.signal` aborts.
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const layer = store.add('rocket.txt', 'text/plain', '🚀');
 * const manifest = await packManifest(store, { layers: [layer], artifactType: 'application/vnd.acme.rocket' });
 * await store.tag(manifest, 'v0.1.0');
 * ```
 */
export async function packManifest(pusher: Pusher, options: PackManifestOptions = {}): Promise<Descriptor> {
  const imageSpec = options.imageSpec ?? 'v1.1';
  if (imageSpec !== 'v1.1' && imageSpec !== 'v1.0') {
    throw new OrasError('INVALID_ARGUMENT', `unknown image spec version ${JSON.stringify(imageSpec)}: use v1.1 or v1.0`);
  }
  const layers = (options.layers ?? []).map((layer, i) => checkDescriptor(layer, `layer ${i + 1}${titleSuffix(layer)}`));
  const config = options.config && checkDescriptor(options.config, 'config');
  const subject = options.subject && checkDescriptor(options.subject, 'subject');
  if (options.artifactType !== undefined) assertMediaType(options.artifactType, 'artifact type');
  const annotations = options.annotations === undefined ? undefined : checkAnnotations(options.annotations, 'manifest annotations');
  return imageSpec === 'v1.0'
    ? packV1_0(pusher, { ...options, layers, config, subject, annotations })
    : packV1_1(pusher, { ...options, layers, config, subject, annotations });
}

type Checked = PackManifestOptions & { layers: Descriptor[] };

async function packV1_1(pusher: Pusher, options: Checked): Promise<Descriptor> {
  let config = options.config;
  let emptyPushed = false;
  if (config === undefined) {
    config = { ...EMPTY_DESCRIPTOR };
    await pushBytes(pusher, config, EMPTY_JSON, options);
    emptyPushed = true;
  }
  // image-spec 1.1: artifactType MUST be set when the config is the empty descriptor.
  const artifactType = options.artifactType ?? (config.mediaType === MediaType.Empty ? MediaType.UnknownArtifact : undefined);
  let layers = options.layers;
  if (layers.length === 0) {
    // image-spec 1.1 "Guidelines for Artifact Usage": an artifact with no blobs lists
    // the empty descriptor as its one layer, as oras-go does.
    layers = [{ ...EMPTY_DESCRIPTOR }];
    if (!emptyPushed) await pushBytes(pusher, layers[0]!, EMPTY_JSON, options);
  }
  const annotations = withCreated(options.annotations, options.created);
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ImageManifest,
    ...(artifactType === undefined ? {} : { artifactType }),
    config: canonical(config),
    layers: layers.map(canonical),
    // The subject is named by what identifies it; its annotations (say, a created date
    // from packManifest's own result) would only bloat every referrer.
    ...(options.subject ? { subject: { mediaType: options.subject.mediaType, digest: options.subject.digest, size: options.subject.size } } : {}),
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  return pushManifest(pusher, manifest, artifactType, annotations, options);
}

async function packV1_0(pusher: Pusher, options: Checked): Promise<Descriptor> {
  if (options.subject) {
    throw new OrasError('INVALID_ARGUMENT', 'a subject (attaching to another artifact) needs image spec v1.1; v1.0 manifests have no subject field');
  }
  let config = options.config;
  if (config && options.artifactType !== undefined && options.artifactType !== config.mediaType) {
    throw new OrasError('INVALID_ARGUMENT', 'with image spec v1.0 the artifact type is the config media type: give a config or an artifact type, not both');
  }
  if (config === undefined) {
    // A `{}` config rather than an empty blob: some registries refuse empty uploads
    // (oras-go issue 294).
    config = { mediaType: options.artifactType ?? MediaType.UnknownConfig, digest: digestOf(EMPTY_JSON), size: EMPTY_JSON.byteLength };
    await pushBytes(pusher, config, EMPTY_JSON, options);
  }
  const annotations = options.annotations;
  // Key order and the absent manifest mediaType are what ORAS 0.x wrote: the seed's
  // rocket digest depends on them.
  const manifest = {
    schemaVersion: 2,
    config: canonical(config),
    layers: options.layers.map(canonical),
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  return pushManifest(pusher, manifest, config.mediaType, annotations, options);
}

async function pushManifest(
  pusher: Pusher,
  manifest: object,
  artifactType: string | undefined,
  annotations: Record<string, string> | undefined,
  options: IoOptions,
): Promise<Descriptor> {
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  const desc: Descriptor = { mediaType: MediaType.ImageManifest, digest: digestOf(bytes), size: bytes.byteLength };
  await pushBytes(pusher, desc, bytes, options);
  // Like oras-go, the returned descriptor carries artifactType and annotations (the
  // referrers API shows them); the pushed bytes are what the digest covers.
  return {
    ...desc,
    ...(artifactType === undefined ? {} : { artifactType }),
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
  };
}

/**
 * canonical writes a descriptor's fields in the image-spec Go struct's order, dropping
 * absent and empty ones (Go's `omitempty`), so equal inputs give equal bytes.
 */
export function canonical(desc: Descriptor): Descriptor {
  const out: Record<string, unknown> = { mediaType: desc.mediaType, digest: desc.digest, size: desc.size };
  if (desc.urls && desc.urls.length > 0) out.urls = desc.urls;
  if (desc.annotations && Object.keys(desc.annotations).length > 0) out.annotations = desc.annotations;
  if (desc.data !== undefined && desc.data !== '') out.data = desc.data;
  if (desc.platform !== undefined) out.platform = desc.platform;
  if (desc.artifactType !== undefined && desc.artifactType !== '') out.artifactType = desc.artifactType;
  return out as unknown as Descriptor;
}

function titleSuffix(desc: Descriptor): string {
  const title = desc.annotations?.[Annotation.Title];
  return typeof title === 'string' ? ` (${title})` : '';
}

/** checkDescriptor validates a caller's descriptor with INVALID_* codes naming `what`. */
function checkDescriptor(desc: Descriptor, what: string): Descriptor {
  if (typeof desc !== 'object' || desc === null) throw new OrasError('INVALID_ARGUMENT', `${what} is not a descriptor`);
  assertMediaType(desc.mediaType, `media type of ${what}`);
  try {
    parseDigest(desc.digest);
  } catch (err) {
    throw new OrasError('INVALID_DIGEST', `${what}: ${(err as Error).message}`);
  }
  if (!Number.isSafeInteger(desc.size) || desc.size < 0) {
    throw new OrasError('INVALID_ARGUMENT', `${what} has an invalid size ${JSON.stringify(desc.size)}`);
  }
  if (desc.artifactType !== undefined) assertMediaType(desc.artifactType, `artifact type of ${what}`);
  if (desc.annotations !== undefined) checkAnnotations(desc.annotations, `annotations of ${what}`);
  return desc;
}

/** checkAnnotations validates a string-to-string map with non-empty keys (INVALID_ANNOTATION). */
export function checkAnnotations(value: unknown, where: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OrasError('INVALID_ANNOTATION', `${where} must be an object mapping keys to strings`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (key === '') throw new OrasError('INVALID_ANNOTATION', `${where} has an empty key`);
    if (typeof v !== 'string') {
      throw new OrasError('INVALID_ANNOTATION', `${where}: value of ${JSON.stringify(key)} must be a string, got ${typeof v}`);
    }
  }
  if (Annotation.Created in value) checkCreated((value as Record<string, string>)[Annotation.Created]!);
  return value as Record<string, string>;
}

// RFC 3339 section 5.6 date-time; Date.parse then rejects impossible dates (month 13).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function checkCreated(value: string): string {
  if (!RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
    throw new OrasError('INVALID_ANNOTATION', `${Annotation.Created} must be an RFC 3339 date-time such as 2024-05-01T12:00:00Z, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** formatCreated is RFC 3339 in UTC at whole seconds, the form oras-go writes. */
export function formatCreated(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function withCreated(annotations: Record<string, string> | undefined, created: PackManifestOptions['created']): Record<string, string> | undefined {
  if (created === false || (annotations && Annotation.Created in annotations)) return annotations;
  if (created instanceof Date && Number.isNaN(created.getTime())) {
    throw new OrasError('INVALID_ARGUMENT', 'the created date is not a valid date');
  }
  const value = created === undefined ? formatCreated(new Date()) : typeof created === 'string' ? checkCreated(created) : formatCreated(created);
  return { ...annotations, [Annotation.Created]: value };
}
