import type { DescriptorInfo } from './browse';

/**
 * manifest-summary reads what the browse views show of a manifest from its raw JSON:
 * OCI image manifests and indexes, Docker schema 2 manifests and manifest lists, ORAS
 * 1.0 artifacts (the config's media type names the artifact; or the short-lived
 * `application/vnd.oci.artifact.manifest.v1+json` with `blobs`) and image-spec 1.1
 * artifacts (`artifactType`, empty config). Pure and free of Node built-ins: the page
 * and main both run it. Registries are untrusted, so every field is type-checked and
 * only the known descriptor fields are copied.
 */

/** ManifestSummary is a manifest as the browse views show it. */
export interface ManifestSummary {
  kind: 'image' | 'artifact' | 'index' | 'unknown';
  /** The manifest's mediaType (its own field, else the one it was served with). */
  mediaType: string;
  /** `artifactType`, else (ORAS 1.0 artifacts) a config media type that is not an image's. */
  artifactType?: string;
  config?: DescriptorInfo;
  /** Image or artifact blobs (or the `blobs` of the old ORAS artifact manifest). */
  layers: DescriptorInfo[];
  /** Children of an index or Docker manifest list, with their platforms. */
  manifests: DescriptorInfo[];
  subject?: DescriptorInfo;
  annotations: Record<string, string>;
  /** org.opencontainers.image.created, if annotated. */
  created?: string;
}

/** Media types the summary tells apart. */
export const SummaryMediaType = {
  ImageManifest: 'application/vnd.oci.image.manifest.v1+json',
  ImageIndex: 'application/vnd.oci.image.index.v1+json',
  ArtifactManifest: 'application/vnd.oci.artifact.manifest.v1+json',
  ImageConfig: 'application/vnd.oci.image.config.v1+json',
  Empty: 'application/vnd.oci.empty.v1+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerContainerConfig: 'application/vnd.docker.container.image.v1+json',
} as const;

/** CREATED_ANNOTATION is image-spec's creation time annotation (RFC 3339). */
export const CREATED_ANNOTATION = 'org.opencontainers.image.created';
/** TITLE_ANNOTATION names a layer's file (ORAS pushes set it). */
export const TITLE_ANNOTATION = 'org.opencontainers.image.title';

const IMAGE_CONFIG_TYPES: readonly string[] = [SummaryMediaType.ImageConfig, SummaryMediaType.DockerContainerConfig];
const INDEX_TYPES: readonly string[] = [SummaryMediaType.ImageIndex, SummaryMediaType.DockerManifestList];

/** isImageConfigMediaType: an OCI image config or Docker's container config. */
export function isImageConfigMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && IMAGE_CONFIG_TYPES.includes(mediaType);
}

/**
 * summarizeManifest reads `raw` (a manifest's exact text) into a ManifestSummary;
 * `servedMediaType` is the Content-Type (or descriptor media type) it came with, used
 * when the manifest has no `mediaType` of its own. Throws an Error saying what is
 * wrong when `raw` is not a JSON manifest.
 */
export function summarizeManifest(raw: string, servedMediaType?: string): ManifestSummary {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(`the manifest is not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) throw new Error('the manifest is not a JSON object');
  const own = value['mediaType'];
  if (own !== undefined && typeof own !== 'string') throw new Error('the manifest\'s mediaType is not a string');
  const mediaType = own ?? servedMediaType ?? '';

  const manifests = descriptorList(value['manifests'], 'manifests');
  const layers = value['layers'] !== undefined ? descriptorList(value['layers'], 'layers') : descriptorList(value['blobs'], 'blobs');
  const config = value['config'] === undefined ? undefined : descriptor(value['config'], 'config');
  const subject = value['subject'] === undefined ? undefined : descriptor(value['subject'], 'subject');
  const annotations = stringMap(value['annotations']) ?? {};
  const declaredArtifactType = typeof value['artifactType'] === 'string' && value['artifactType'] !== '' ? value['artifactType'] : undefined;

  const isIndex = INDEX_TYPES.includes(mediaType) || (mediaType === '' && Array.isArray(value['manifests']) && config === undefined);
  let kind: ManifestSummary['kind'];
  let artifactType = declaredArtifactType;
  if (isIndex) {
    kind = 'index';
  } else if (mediaType === SummaryMediaType.ArtifactManifest) {
    kind = 'artifact';
  } else if (config) {
    if (declaredArtifactType) kind = 'artifact';
    else if (isImageConfigMediaType(config.mediaType)) kind = 'image';
    else {
      kind = 'artifact';
      // ORAS 1.0 (image-spec 1.0) named the artifact by its config's media type.
      if (config.mediaType !== SummaryMediaType.Empty) artifactType = config.mediaType;
    }
  } else {
    kind = 'unknown';
  }
  if (kind === 'unknown' && value['schemaVersion'] === undefined) throw new Error('the JSON is not a manifest: it has no schemaVersion, config or manifests');

  const created = annotations[CREATED_ANNOTATION];
  return {
    kind,
    mediaType,
    ...(artifactType === undefined ? {} : { artifactType }),
    ...(config === undefined ? {} : { config }),
    layers,
    manifests,
    ...(subject === undefined ? {} : { subject }),
    annotations,
    ...(created === undefined ? {} : { created }),
  };
}

/**
 * totalSizeOf adds up what a manifest names: the manifest itself (`manifestSize`
 * bytes), its config and layers; for an index, the manifest and its children's sizes
 * (the children's own blobs are not counted: they are not read for a list).
 */
export function totalSizeOf(summary: ManifestSummary, manifestSize: number): number {
  if (summary.kind === 'index') return summary.manifests.reduce((sum, child) => sum + child.size, manifestSize);
  return summary.layers.reduce((sum, layer) => sum + layer.size, manifestSize + (summary.config?.size ?? 0));
}

/** layerTitle is a layer's file name (`org.opencontainers.image.title`), if it has one. */
export function layerTitle(layer: DescriptorInfo): string | undefined {
  const title = layer.annotations?.[TITLE_ANNOTATION];
  return title === undefined || title === '' ? undefined : title;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function descriptorList(value: unknown, field: string): DescriptorInfo[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`the manifest's ${field} is not an array`);
  return value.map((item, i) => descriptor(item, `${field}[${i}]`));
}

function descriptor(value: unknown, where: string): DescriptorInfo {
  if (!isRecord(value)) throw new Error(`the manifest's ${where} is not a descriptor object`);
  const { mediaType, digest, size } = value;
  if (typeof mediaType !== 'string') throw new Error(`the manifest's ${where} has no mediaType`);
  if (typeof digest !== 'string' || !/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) {
    throw new Error(`the manifest's ${where} has no valid digest`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new Error(`the manifest's ${where} has no valid size`);
  const info: DescriptorInfo = { mediaType, digest, size };
  if (typeof value['artifactType'] === 'string') info.artifactType = value['artifactType'];
  const annotations = stringMap(value['annotations']);
  if (annotations) info.annotations = annotations;
  const platform = value['platform'];
  if (isRecord(platform) && typeof platform['os'] === 'string' && typeof platform['architecture'] === 'string') {
    info.platform = { os: platform['os'], architecture: platform['architecture'] };
    if (typeof platform['variant'] === 'string') info.platform.variant = platform['variant'];
    if (typeof platform['os.version'] === 'string') info.platform['os.version'] = platform['os.version'];
  }
  const urls = value['urls'];
  if (Array.isArray(urls) && urls.every((u) => typeof u === 'string')) info.urls = urls as string[];
  return info;
}

/** stringMap keeps an object's string values (annotations are string → string). */
function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out[key] = item;
  return out;
}
