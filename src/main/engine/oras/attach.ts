import type { Descriptor } from '../descriptor';
import { OrasError } from '../errors';
import type { Storage, Target } from '../content/storage';
import { copyGraph, type CopyGraphOptions } from './copy';
import { successors } from './manifest-codec';
import { packManifest, type ImageSpecVersion } from './pack';
import { resolve } from './verbs';

/**
 * AttachOptions describe the artifact attached to a subject.
 * - `artifactType`: required, as `oras attach` requires it: it is how referrers are
 *   found and filtered.
 * - `layers`, `config`, `annotations`, `created`: as packManifest (created defaults to now).
 * - `imageSpec`: default 'v1.1'; 'v1.0' is refused, it has no subject field.
 * - `from`: the store holding the layers (a file store); the manifest is packed there
 *   and copied to the target with the copy options. Without it the layers must already
 *   be in the target and the manifest is pushed there directly.
 */
export interface AttachOptions extends Omit<CopyGraphOptions, 'findSuccessors' | 'includeReferrers'> {
  artifactType: string;
  layers?: Descriptor[];
  config?: Descriptor;
  annotations?: Record<string, string>;
  created?: Date | string | false;
  imageSpec?: ImageSpecVersion;
  from?: Storage;
}

/**
 * attach packs a manifest whose subject is what `subjectRef` names in `target` and
 * pushes it there (`oras attach`), returning the new manifest's descriptor.
 *
 * @throws OrasError NOT_FOUND for the subject, INVALID_* for what is attached, the
 * registry's DENIED…; ABORTED when `options.signal` aborts.
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const sbom = store.add('sbom.json', 'application/spdx+json', '{}');
 * await attach(repository, 'v0.1.0', { artifactType: 'application/spdx+json', layers: [sbom], from: store });
 * ```
 */
export async function attach(target: Target, subjectRef: string, options: AttachOptions): Promise<Descriptor> {
  if (!options?.artifactType) throw new OrasError('INVALID_ARGUMENT', 'attach needs an artifact type, e.g. application/vnd.example.signature');
  const { from, artifactType, layers, config, annotations, created, imageSpec, ...copyOptions } = options;
  const subject = await resolve(target, subjectRef, { signal: options.signal });
  const pack = { imageSpec, artifactType, layers, config, annotations, created, subject, signal: options.signal };
  if (!from) return packManifest(target, pack);
  const root = await packManifest(from, pack);
  await copyGraph(from, target, root, {
    ...copyOptions,
    // The subject is in the target already and not in `from`: never walk into it.
    findSuccessors: async (fetcher, desc, io) => (await successors(fetcher, desc, io)).filter((d) => d.digest !== subject.digest),
  });
  return root;
}
