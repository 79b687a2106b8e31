import { quoted } from './echo';
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
const RESTRICTED_NAME_PATTERN = new RegExp(`^${RESTRICTED_NAME}$`);
const MAX_NAME_LENGTH = 127;
// Parameters (RFC 9110 token "=" ( token / quoted-string ), separated by OWS ";" OWS)
// are accepted because real artifacts use them (e.g. `application/vnd.foo+json; version=1`).
// OWS is spaces and tabs only, and quoted strings hold printable ASCII only, so a media
// type can never smuggle a line break into an HTTP header.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[\\t !#-\\[\\]-~]|\\\\[\\t -~])*"';
const PARAMETER = `${TOKEN}=(?:${TOKEN}|${QUOTED})`;
const PARAMETER_PATTERN = new RegExp(`^${PARAMETER}$`);
const MEDIA_TYPE_PATTERN = new RegExp(`^${RESTRICTED_NAME}/${RESTRICTED_NAME}(?:[ \\t]*;[ \\t]*${PARAMETER})*$`);

/** isValidMediaType checks a media type against RFC 6838's grammar. */
export function isValidMediaType(mediaType: string): boolean {
  return typeof mediaType === 'string' && MEDIA_TYPE_PATTERN.test(mediaType);
}

const ALLOWED = 'letters, digits and ! # $ & ^ _ . + -';

/** explainName says what is wrong with a type or subtype, or undefined when it is fine. */
function explainName(name: string, which: 'type' | 'subtype'): string | undefined {
  const shown = quoted(name);
  if (name === '') return which === 'type' ? 'the type before "/" is empty' : 'the subtype after "/" is empty';
  if (name.length > MAX_NAME_LENGTH) {
    return `${which} ${shown} is ${name.length} characters long; at most ${MAX_NAME_LENGTH} are allowed`;
  }
  if (!/^[A-Za-z0-9]/.test(name)) return `${which} ${shown} must start with a letter or digit`;
  if (RESTRICTED_NAME_PATTERN.test(name)) return undefined;
  const bad = [...name].find((c) => !/[A-Za-z0-9!#$&^_.+-]/.test(c)) ?? '';
  const what = /\s/.test(bad) ? 'white space' : quoted(bad);
  return `${which} ${shown} holds ${what}; a ${which} may hold only ${ALLOWED}`;
}

/** explainMediaType says what is wrong with an invalid media type. */
function explainMediaType(mediaType: string): string {
  if (mediaType === '') return 'it is empty; write type/subtype, e.g. text/plain';
  // A newline most often comes from a file or a shell variable read with its line end.
  if (/[\r\n]/.test(mediaType)) return 'it holds a newline; a media type is one line of printable ASCII';
  if (mediaType.trim() !== mediaType) return 'it has leading or trailing white space';
  const nonAscii = [...mediaType].find((c) => c.charCodeAt(0) > 0x7e || (c.charCodeAt(0) < 0x20 && c !== '\t'));
  if (nonAscii !== undefined) {
    return `it holds ${quoted(nonAscii)}; a media type is printable ASCII only`;
  }
  const semicolon = mediaType.indexOf(';');
  const base = (semicolon === -1 ? mediaType : mediaType.slice(0, semicolon)).replace(/[ \t]+$/, '');
  const slash = base.indexOf('/');
  if (slash === -1) return 'it needs a type and a subtype separated by "/", e.g. text/plain';
  if (base.indexOf('/', slash + 1) !== -1) return 'it has more than one "/"; write type/subtype, e.g. text/plain';
  const why = explainName(base.slice(0, slash), 'type') ?? explainName(base.slice(slash + 1), 'subtype');
  if (why !== undefined) return why;
  if (semicolon !== -1) {
    for (const raw of mediaType.slice(semicolon + 1).split(';')) {
      const parameter = raw.replace(/^[ \t]+|[ \t]+$/g, '');
      if (!PARAMETER_PATTERN.test(parameter)) {
        return `parameter ${quoted(parameter)} must be name=value, e.g. charset=utf-8`;
      }
    }
  }
  return `it must be type/subtype[; name=value], e.g. text/plain; type and subtype may hold only ${ALLOWED} (at most ${MAX_NAME_LENGTH} each)`;
}

/**
 * assertMediaType throws INVALID_MEDIA_TYPE, naming `what` (say, "layer rocket.txt"),
 * when `mediaType` is not `type/subtype` by RFC 6838.
 */
export function assertMediaType(mediaType: string, what = 'media type'): string {
  if (typeof mediaType !== 'string') {
    throw new OrasError('INVALID_MEDIA_TYPE', `invalid ${what}: expected a string like text/plain, got ${typeof mediaType}`);
  }
  if (!isValidMediaType(mediaType)) {
    throw new OrasError('INVALID_MEDIA_TYPE', `invalid ${what} ${quoted(mediaType)}: ${explainMediaType(mediaType)}`);
  }
  return mediaType;
}
