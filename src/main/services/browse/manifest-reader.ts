import { isImageConfigMediaType, summarizeManifest, totalSizeOf, type ManifestSummary } from '../../../shared/manifest-summary';
import type { DescriptorInfo } from '../../../shared/browse';
import type { Descriptor } from '../../engine/descriptor';
import { isValidDigest } from '../../engine/digest';
import { OrasError } from '../../engine/errors';
import { fetchBytes } from '../../engine/oras/bytes';
import { LruCache } from './lru';
import type { BrowseTarget } from './targets';

/** CONFIG_CAP: an image config is read for its `created` only up to this size (1 MiB). */
export const CONFIG_CAP = 1024 * 1024;
/** How many manifests the reader keeps (by repository and digest), and their text in all: 2,000 and 32 MiB. */
const CACHE_ENTRIES = 2000;
const CACHE_BYTES = 32 * 1024 * 1024;

/** ReadManifest is a manifest read once, verified, with what the views need of it. */
export interface ReadManifest {
  descriptor: Descriptor;
  raw: string;
  summary: ManifestSummary;
  created?: string;
  totalSize: number;
}

/**
 * ManifestReader reads manifests (and, for images without a created annotation, their
 * config's `created`), verified against their digest, and keeps what it read in an LRU
 * keyed by registry, repository and digest: content-addressed, so never stale. Keyed by
 * repository too, so a manifest read where the login may read it is not shown where
 * it may not. Tags are never cached: they move.
 */
export class ManifestReader {
  private readonly cache = new LruCache<string, ReadManifest>(CACHE_ENTRIES, { maxWeight: CACHE_BYTES, weigh: (read) => read.raw.length * 2 });

  /** read reads a manifest by tag or digest (one GET by tag on a registry; a digest may come from the cache). */
  async read(registryId: string, repository: string, open: BrowseTarget, reference: string, signal?: AbortSignal): Promise<ReadManifest> {
    if (isValidDigest(reference)) {
      const cached = this.cache.get(key(registryId, repository, reference));
      if (cached) return cached;
    }
    let descriptor: Descriptor;
    let bytes: Uint8Array;
    if (open.kind === 'remote') {
      ({ descriptor, bytes } = await open.repository.fetchManifest(reference, { signal }));
    } else {
      descriptor = await open.layout.resolve(reference, { signal });
      bytes = await fetchBytes(open.layout, descriptor, { signal });
    }
    return this.complete(registryId, repository, open, { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size }, bytes, signal);
  }

  /** readByDescriptor reads a manifest a fresh resolve described, from the cache when it was read before. */
  async readByDescriptor(registryId: string, repository: string, open: BrowseTarget, descriptor: Descriptor, signal?: AbortSignal): Promise<ReadManifest> {
    const cached = this.cache.get(key(registryId, repository, descriptor.digest));
    if (cached) return cached;
    const bytes = await fetchBytes(open.target, descriptor, { signal });
    return this.complete(registryId, repository, open, descriptor, bytes, signal);
  }

  private async complete(registryId: string, repository: string, open: BrowseTarget, descriptor: Descriptor, bytes: Uint8Array, signal?: AbortSignal): Promise<ReadManifest> {
    const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    let summary: ManifestSummary;
    try {
      summary = summarizeManifest(raw, descriptor.mediaType);
    } catch (error) {
      throw new OrasError('INVALID_MANIFEST', `${repository}@${descriptor.digest}: ${(error as Error).message}`);
    }
    const fromConfig = summary.created === undefined && summary.kind === 'image' && summary.config ? await configCreated(open, summary.config, signal) : { read: true };
    const created = summary.created ?? fromConfig.created;
    const read: ReadManifest = {
      descriptor,
      raw,
      summary,
      ...(created === undefined ? {} : { created }),
      totalSize: totalSizeOf(summary, descriptor.size),
    };
    // A config that could not be read this time may be read next time: keep only what is complete.
    if (fromConfig.read) this.cache.set(key(registryId, repository, descriptor.digest), read);
    return read;
  }
}

/**
 * configCreated reads an image config's `created` (RFC 3339). A config larger than
 * CONFIG_CAP or without the field gives no time (`read`: that is final); one that
 * could not be read gives none this time (`read: false`): the time is a detail, not a
 * reason to fail the row.
 */
async function configCreated(open: BrowseTarget, config: DescriptorInfo, signal?: AbortSignal): Promise<{ created?: string; read: boolean }> {
  if (config.size > CONFIG_CAP) return { read: true };
  let bytes: Uint8Array;
  try {
    bytes = await fetchBytes(open.target, { mediaType: config.mediaType, digest: config.digest, size: config.size }, { signal, maxBytes: CONFIG_CAP });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { read: false };
  }
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as { created?: unknown };
    return typeof parsed?.created === 'string' ? { created: parsed.created, read: true } : { read: true };
  } catch {
    return { read: true };
  }
}

function key(registryId: string, repository: string, digest: string): string {
  return `${registryId}/${repository}@${digest}`;
}

/** descriptorInfo copies the fields of an engine descriptor the page may see. */
export function descriptorInfo(desc: Descriptor): DescriptorInfo {
  return {
    mediaType: desc.mediaType,
    digest: desc.digest,
    size: desc.size,
    ...(desc.artifactType ? { artifactType: desc.artifactType } : {}),
    ...(desc.annotations ? { annotations: { ...desc.annotations } } : {}),
    ...(desc.platform ? { platform: { ...desc.platform } } : {}),
    ...(desc.urls ? { urls: [...desc.urls] } : {}),
  };
}
