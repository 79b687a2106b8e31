import { OrasError } from './errors';

/** Media types the OCI image spec defines and ORAS uses. */
export const MediaType = {
  ImageManifest: 'application/vnd.oci.image.manifest.v1+json',
  ImageIndex: 'application/vnd.oci.image.index.v1+json',
  ImageConfig: 'application/vnd.oci.image.config.v1+json',
  ImageLayer: 'application/vnd.oci.image.layer.v1.tar',
  ImageLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  Empty: 'application/vnd.oci.empty.v1+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  /** ORAS's default layer type when a file names none. */
  DefaultLayer: 'application/vnd.oci.image.layer.v1.tar',
  /** ORAS's config type for image-spec v1.0 manifests that name no artifact type. */
  UnknownConfig: 'application/vnd.unknown.config.v1+json',
  UnknownArtifact: 'application/vnd.unknown.artifact.v1',
} as const;

/** Manifest media types the engine can read: it walks their children when copying. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  MediaType.ImageManifest,
  MediaType.ImageIndex,
  MediaType.DockerManifest,
  MediaType.DockerManifestList,
];

export function isManifestMediaType(mediaType: string): boolean {
  return MANIFEST_MEDIA_TYPES.includes(mediaType);
}

export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MediaType.ImageIndex || mediaType === MediaType.DockerManifestList;
}

// RFC 6838 section 4.2: restricted-name = restricted-name-first *126restricted-name-chars,
// restricted-name-chars = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "-" / "^" / "_" / "." / "+".
const RESTRICTED_NAME = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}";
// Parameters (RFC 2045 token "=" token / quoted-string) are accepted because real
// artifacts use them (e.g. `application/vnd.foo+json; version=1`).
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[^"\\\\\\r\\n]|\\\\.)*"';
const MEDIA_TYPE_PATTERN = new RegExp(
  `^${RESTRICTED_NAME}/${RESTRICTED_NAME}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|${QUOTED}))*$`,
);

/** isValidMediaType checks a media type against RFC 6838's grammar. */
export function isValidMediaType(mediaType: string): boolean {
  return MEDIA_TYPE_PATTERN.test(mediaType);
}

/**
 * assertMediaType throws INVALID_MEDIA_TYPE, naming `what` (say, "layer rocket.txt"),
 * when `mediaType` is not `type/subtype` by RFC 6838.
 */
export function assertMediaType(mediaType: string, what = 'media type'): string {
  if (!isValidMediaType(mediaType)) {
    const shown = JSON.stringify(mediaType);
    const hint = mediaType.includes('/')
      ? 'type and subtype may hold only letters, digits and ! # $ & ^ _ . + - (at most 127 each)'
      : 'it needs a type and a subtype separated by "/", e.g. text/plain';
    throw new OrasError('INVALID_MEDIA_TYPE', `invalid ${what} ${shown}: ${hint}`);
  }
  return mediaType;
}
