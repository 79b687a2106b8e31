import type { Descriptor, Platform } from '../descriptor';
import { OrasError } from '../errors';
import { isIndexMediaType, isManifestMediaType, MediaType } from '../media-type';
import type { Fetcher, IoOptions } from '../content/storage';
import { fetchBytes } from './bytes';
import { parseIndex, parseManifest } from './manifest-codec';

/** PlatformSpec is the platform a user asks for: os and architecture, optionally variant and os.version. */
export type PlatformSpec = Pick<Platform, 'os' | 'architecture' | 'variant' | 'os.version'>;

const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';

/** parsePlatform reads `os/arch[/variant][:os.version]`, as `oras pull --platform` takes it. */
export function parsePlatform(text: string): PlatformSpec {
  const colon = text.indexOf(':');
  const osVersion = colon === -1 ? undefined : text.slice(colon + 1);
  const [os, architecture, variant, ...rest] = (colon === -1 ? text : text.slice(0, colon)).split('/');
  if (!os || !architecture || rest.length > 0 || variant === '' || osVersion === '') {
    throw new OrasError('INVALID_ARGUMENT', `invalid platform ${JSON.stringify(text)}: write os/arch[/variant][:os.version], e.g. linux/arm64/v8`);
  }
  return { os, architecture, ...(variant ? { variant } : {}), ...(osVersion ? { 'os.version': osVersion } : {}) };
}

/** formatPlatform writes a platform as `os/arch[/variant]`. */
export function formatPlatform(p: Partial<PlatformSpec>): string {
  return [p.os ?? '?', p.architecture ?? '?', ...(p.variant ? [p.variant] : [])].join('/');
}

/** matchPlatform: os and architecture must be equal; variant and os.version only when asked for. */
export function matchPlatform(got: Partial<Platform> | undefined, want: PlatformSpec): boolean {
  if (!got || got.os !== want.os || got.architecture !== want.architecture) return false;
  if (want.variant !== undefined && got.variant !== want.variant) return false;
  return want['os.version'] === undefined || got['os.version'] === want['os.version'];
}

/**
 * selectPlatform picks the manifest for `want` under `root`: the first matching entry
 * of an index, or the manifest itself when its image config says it matches. NOT_FOUND
 * lists what there is. `maxBytes` caps reads, default 4 MiB.
 */
export async function selectPlatform(fetcher: Fetcher, root: Descriptor, want: PlatformSpec, options: IoOptions & { maxBytes?: number } = {}): Promise<Descriptor> {
  const wanted = formatPlatform(want);
  if (isIndexMediaType(root.mediaType)) {
    const index = parseIndex(await fetchBytes(fetcher, root, options), root);
    const found = index.manifests.find((m) => matchPlatform(m.platform, want));
    if (found) return found;
    const have = index.manifests.filter((m) => m.platform).map((m) => formatPlatform(m.platform!));
    throw new OrasError('NOT_FOUND', `no manifest for platform ${wanted} in ${root.digest}${have.length ? `; it has ${have.join(', ')}` : ''}`);
  }
  if (!isManifestMediaType(root.mediaType)) throw new OrasError('NOT_FOUND', `${root.digest} (${root.mediaType}) has no platform`);
  const manifest = parseManifest(await fetchBytes(fetcher, root, options), root);
  if (manifest.config.mediaType !== MediaType.ImageConfig && manifest.config.mediaType !== DOCKER_CONFIG) {
    throw new OrasError('NOT_FOUND', `${root.digest} is not an image for a platform (config ${manifest.config.mediaType})`);
  }
  const config = parseConfig(await fetchBytes(fetcher, manifest.config, options), manifest.config);
  if (matchPlatform(config, want)) return root;
  throw new OrasError('NOT_FOUND', `${root.digest} is for platform ${formatPlatform(config)}, not ${wanted}`);
}

function parseConfig(bytes: Uint8Array, desc: Descriptor): Partial<Platform> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new OrasError('INVALID_MANIFEST', `image config ${desc.digest} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OrasError('INVALID_MANIFEST', `image config ${desc.digest} is not a JSON object`);
  }
  return value as Partial<Platform>;
}
