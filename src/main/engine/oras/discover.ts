import type { Descriptor } from '../descriptor';
import { OrasError } from '../errors';
import { isPredecessorFinder, type IoOptions, type Resolver } from '../content/storage';
import { resolve } from './verbs';

/** ReferrerNode is one artifact in the referrers tree, with the artifacts that refer to it. */
export interface ReferrerNode {
  descriptor: Descriptor;
  referrers: ReferrerNode[];
}

/**
 * DiscoverOptions: `artifactType` keeps only referrers of that type, at every level;
 * `depth` limits how many levels are listed, default unlimited.
 */
export interface DiscoverOptions extends IoOptions {
  artifactType?: string;
  depth?: number;
}

/**
 * discover lists the referrers of what `reference` names, and theirs, as a tree
 * (`oras discover`). The target must list referrers (a PredecessorFinder).
 *
 * @throws OrasError NOT_FOUND for `reference`, UNSUPPORTED for a target that cannot
 * list referrers; ABORTED when `options.signal` aborts.
 * @example
 * ```ts
 * const tree = await discover(repository, 'v0.1.0', { artifactType: 'application/spdx+json' });
 * ```
 */
export async function discover(target: Resolver, reference: string, options: DiscoverOptions = {}): Promise<ReferrerNode> {
  if (!isPredecessorFinder(target)) throw new OrasError('UNSUPPORTED', 'this target cannot list referrers');
  const depth = options.depth ?? Infinity;
  const root = await resolve(target, reference, options);
  // A registry could answer with a cycle; content addressing makes none legitimate.
  const seen = new Set([root.digest]);
  const walk = async (desc: Descriptor, level: number): Promise<ReferrerNode[]> => {
    if (level >= depth) return [];
    const found = await target.predecessors(desc, { signal: options.signal, artifactType: options.artifactType });
    // Registries may ignore the filter (the referrers API says so), hence filter again.
    const wanted = options.artifactType === undefined ? found : found.filter((d) => d.artifactType === options.artifactType);
    const fresh = wanted.filter((d) => !seen.has(d.digest) && seen.add(d.digest));
    return Promise.all(fresh.map(async (d) => ({ descriptor: d, referrers: await walk(d, level + 1) })));
  };
  return { descriptor: root, referrers: await walk(root, 0) };
}
