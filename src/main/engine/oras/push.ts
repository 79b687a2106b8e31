import type { Descriptor } from '../descriptor';
import { isValidDigest } from '../digest';
import { validateTag } from '../reference';
import type { Storage, Target } from '../content/storage';
import { copyGraph, tagRoot, type CopyGraphOptions } from './copy';
import { packManifest, type ImageSpecVersion } from './pack';

/**
 * PushOptions: what to pack (as packManifest: `layers`, `config`, `artifactType`,
 * `annotations`, `created`, `imageSpec` default 'v1.1'), more tags to point at the
 * result (`extraTags`), and the copy options (`concurrency` default 3, `signal`,
 * `onProgress`, `mountFrom`, …).
 */
export interface PushOptions extends Omit<CopyGraphOptions, 'findSuccessors' | 'includeReferrers'> {
  layers: Descriptor[];
  config?: Descriptor;
  artifactType?: string;
  annotations?: Record<string, string>;
  created?: Date | string | false;
  imageSpec?: ImageSpecVersion;
  extraTags?: string[];
}

/**
 * push packs a manifest over blobs already in `src` (a file or memory store), copies
 * it with its blobs to `dst`, and tags it `dstRef` and every extra tag (`oras push`).
 * `dstRef` may be '' (push by digest only). Returns the manifest's descriptor.
 *
 * @throws OrasError: INVALID_* for a bad layer, config or annotation (before anything
 * is sent); the registry's UNAUTHORIZED, DENIED, NOT_FOUND… with `side: 'destination'`;
 * ABORTED when `options.signal` aborts.
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const rocket = store.add('rocket.txt', 'text/plain', '🚀');
 * const { registry, repository, tagOrDigest } = openRepository('localhost:5000/mystuff/myrocket:v0.1.0');
 * try {
 *   const manifest = await push(store, repository, tagOrDigest!, { layers: [rocket] });
 * } finally {
 *   await registry.close();
 * }
 * ```
 */
export async function push(src: Storage, dst: Target, dstRef: string, options: PushOptions): Promise<Descriptor> {
  const { layers, config, artifactType, annotations, created, imageSpec, extraTags = [], ...copyOptions } = options;
  const refs = [dstRef, ...extraTags].filter((ref) => ref !== '');
  // Refuse a bad tag before uploading anything; a digest can only be checked after packing.
  for (const ref of refs) if (!isValidDigest(ref)) validateTag(ref);
  const root = await packManifest(src, { layers, config, artifactType, annotations, created, imageSpec, signal: options.signal });
  await copyGraph(src, dst, root, copyOptions);
  for (const ref of new Set(refs)) await tagRoot(dst, root, ref, options.signal);
  return root;
}
