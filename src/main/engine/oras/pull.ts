import { Annotation, type Descriptor } from '../descriptor';
import { isIndexMediaType, isManifestMediaType } from '../media-type';
import type { ReadOnlyTarget, Storage } from '../content/storage';
import { DEFAULT_MAX_METADATA_BYTES, fetchBytes } from './bytes';
import { copyGraph, type CopyGraphOptions, type FindSuccessors } from './copy';
import { parseIndex, parseManifest } from './manifest-codec';
import { parsePlatform, selectPlatform, type PlatformSpec } from './platform';
import { onSide } from './side';

/**
 * PullOptions choose what lands in the destination store.
 * - `mediaTypes`: only layers of these media types; default all.
 * - `includeUntitled`: also layers without an `org.opencontainers.image.title`; default
 *   false, like ORAS (an untitled layer has no file name to write).
 * - `includeSubject`: also the artifact a referrer points at; default false, like ORAS.
 * - `platform`: from an index, pull only the manifest for this platform
 *   (`linux/arm64/v8` or an object); default every manifest the index lists.
 * Manifests and configs always go to the store (a file store keeps them in memory).
 * Copy options as copyGraph: `concurrency` default 3, `signal`, `onProgress`, ….
 */
export interface PullOptions extends Omit<CopyGraphOptions, 'findSuccessors' | 'includeReferrers' | 'mountFrom' | 'onMounted'> {
  mediaTypes?: string[];
  includeUntitled?: boolean;
  includeSubject?: boolean;
  platform?: PlatformSpec | string;
}

/** PullResult: the manifest pulled (the platform's, when one was chosen) and the layers written as files. */
export interface PullResult {
  root: Descriptor;
  files: Descriptor[];
}

/**
 * pull copies what `srcRef` names in `src` into `dst` (a file store), keeping the
 * layers the options select (`oras pull`). Fails with the source's NOT_FOUND when the
 * reference or platform does not exist.
 *
 * @throws OrasError: NOT_FOUND (reference or platform), UNAUTHORIZED, DENIED,
 * DIGEST_MISMATCH or SIZE_MISMATCH when the source sends other bytes than it named
 * (`side: 'source'`), ALREADY_EXISTS for a file the store will not overwrite, ABORTED
 * when `options.signal` aborts. Nothing half-written is left in a FileStore.
 * @example
 * ```ts
 * const { registry, repository, tagOrDigest } = openRepository('localhost:5000/mystuff/myrocket:v0.1.0');
 * const folder = new FileStore('out');
 * try {
 *   const { files } = await pull(repository, tagOrDigest!, folder, { signal: AbortSignal.timeout(60_000) });
 * } finally {
 *   await folder.close();
 *   await registry.close();
 * }
 * ```
 */
export async function pull(src: ReadOnlyTarget, srcRef: string, dst: Storage, options: PullOptions = {}): Promise<PullResult> {
  const { mediaTypes, includeUntitled = false, includeSubject = false, platform, ...copyOptions } = options;
  const maxBytes = options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES;
  const io = { signal: options.signal, maxBytes };
  const want = typeof platform === 'string' ? parsePlatform(platform) : platform;
  let root = await onSide('source', () => src.resolve(srcRef, io));
  if (want) {
    const index = root;
    root = await onSide('source', () => selectPlatform(src, index, want, io));
  }

  const files = new Map<string, Descriptor>();
  const keepLayer = (layer: Descriptor): boolean =>
    (includeUntitled || Boolean(layer.annotations?.[Annotation.Title])) && (mediaTypes === undefined || mediaTypes.includes(layer.mediaType));
  const findSuccessors: FindSuccessors = async (fetcher, desc, ioOptions) => {
    if (!isManifestMediaType(desc.mediaType)) return [];
    const bytes = await fetchBytes(fetcher, desc, { ...ioOptions, maxBytes });
    if (isIndexMediaType(desc.mediaType)) {
      const index = parseIndex(bytes, desc);
      return [...(includeSubject && index.subject ? [index.subject] : []), ...index.manifests];
    }
    const manifest = parseManifest(bytes, desc);
    const layers = manifest.layers.filter(keepLayer);
    for (const layer of layers) files.set(`${layer.digest} ${layer.annotations?.[Annotation.Title] ?? ''}`, layer);
    return [...(includeSubject && manifest.subject ? [manifest.subject] : []), manifest.config, ...layers];
  };

  await copyGraph(src, dst, root, { ...copyOptions, findSuccessors });
  return { root, files: [...files.values()] };
}
