import type { DescriptorInfo } from '../../../shared/browse';
import { layerTitle, type ManifestSummary } from '../../../shared/manifest-summary';

/**
 * compare tells what changed between two manifests of a repository, descriptor by
 * descriptor: each side's descriptors get a name that stays put across versions (the
 * config; a layer by its title, else its place; an index's child by its platform) and
 * are matched by that name; a pair is "changed" when digest, media type or size
 * differ. Unnamed leftovers are matched by digest.
 */

export interface NamedDescriptor {
  /** What the descriptor is: "config", "layer rocket.txt", "linux/arm64", "layer #2". */
  name: string;
  descriptor: DescriptorInfo;
}

export interface DescriptorChange {
  name: string;
  before: DescriptorInfo;
  after: DescriptorInfo;
  /** Which of digest, mediaType, size differ. */
  fields: ('digest' | 'mediaType' | 'size')[];
}

export interface ManifestDiff {
  /** In the other manifest, not in this one. */
  added: NamedDescriptor[];
  /** In this manifest, not in the other one. */
  removed: NamedDescriptor[];
  changed: DescriptorChange[];
  /** How many matched with no difference. */
  same: number;
}

/** platformName is `os/arch[/variant]`. */
export function platformName(platform: DescriptorInfo['platform']): string | undefined {
  if (!platform) return undefined;
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** namedDescriptors lists a manifest's descriptors with their stable names. */
export function namedDescriptors(summary: ManifestSummary): NamedDescriptor[] {
  const out: NamedDescriptor[] = [];
  if (summary.config) out.push({ name: 'config', descriptor: summary.config });
  summary.layers.forEach((layer, i) => {
    const title = layerTitle(layer);
    out.push({ name: title !== undefined ? `layer ${title}` : `layer #${i + 1}`, descriptor: layer });
  });
  summary.manifests.forEach((child, i) => {
    out.push({ name: platformName(child.platform) ?? `manifest #${i + 1}`, descriptor: child });
  });
  if (summary.subject) out.push({ name: 'subject', descriptor: summary.subject });
  return out;
}

/** diffManifests compares this manifest (`a`) with the other one (`b`). */
export function diffManifests(a: ManifestSummary, b: ManifestSummary): ManifestDiff {
  const left = namedDescriptors(a);
  const right = namedDescriptors(b);
  const diff: ManifestDiff = { added: [], removed: [], changed: [], same: 0 };
  const unmatchedRight = new Map(right.map((r) => [r.name, r]));
  const leftovers: NamedDescriptor[] = [];
  for (const l of left) {
    const r = unmatchedRight.get(l.name);
    if (!r) {
      leftovers.push(l);
      continue;
    }
    unmatchedRight.delete(l.name);
    const fields = (['digest', 'mediaType', 'size'] as const).filter((f) => l.descriptor[f] !== r.descriptor[f]);
    if (fields.length === 0) diff.same++;
    else diff.changed.push({ name: l.name, before: l.descriptor, after: r.descriptor, fields: [...fields] });
  }
  // A descriptor that moved place or lost its name but kept its bytes is the same content.
  const byDigest = new Map([...unmatchedRight.values()].map((r) => [r.descriptor.digest, r]));
  for (const l of leftovers) {
    const r = byDigest.get(l.descriptor.digest);
    if (r) {
      byDigest.delete(l.descriptor.digest);
      unmatchedRight.delete(r.name);
      diff.same++;
    } else {
      diff.removed.push(l);
    }
  }
  diff.added.push(...unmatchedRight.values());
  return diff;
}
