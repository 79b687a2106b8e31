import { describe, expect, it } from 'vitest';
import type { ManifestSummary } from '../../../shared/manifest-summary';
import { diffManifests, namedDescriptors } from './compare';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const layer = (title: string | undefined, digest: string, size = 1, mediaType = 'text/plain') => ({ mediaType, digest, size, ...(title ? { annotations: { 'org.opencontainers.image.title': title } } : {}) });
const artifact = (layers: ManifestSummary['layers'], config = { mediaType: 'application/vnd.oci.empty.v1+json', digest: D('0'), size: 2 }): ManifestSummary => ({
  kind: 'artifact',
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config,
  layers,
  manifests: [],
  annotations: {},
});

describe('diffManifests', () => {
  it('matches layers by title and says what changed, was added or removed', () => {
    const a = artifact([layer('a.txt', D('a')), layer('b.txt', D('b')), layer('c.txt', D('c'))]);
    const b = artifact([layer('a.txt', D('a')), layer('b.txt', D('d'), 7), layer('e.txt', D('e'))]);
    const diff = diffManifests(a, b);
    expect(diff.same).toBe(2); // config and a.txt
    expect(diff.changed).toEqual([{ name: 'layer b.txt', before: a.layers[1], after: b.layers[1], fields: ['digest', 'size'] }]);
    expect(diff.removed.map((r) => r.name)).toEqual(['layer c.txt']);
    expect(diff.added.map((r) => r.name)).toEqual(['layer e.txt']);
  });

  it('sees a media type change, and a renamed layer with the same bytes as the same', () => {
    const a = artifact([layer('a.txt', D('a')), layer('old.bin', D('b'))]);
    const b = artifact([layer('a.txt', D('a'), 1, 'text/markdown'), layer('new.bin', D('b'))]);
    const diff = diffManifests(a, b);
    expect(diff.changed).toMatchObject([{ name: 'layer a.txt', fields: ['mediaType'] }]);
    expect(diff).toMatchObject({ added: [], removed: [], same: 2 });
  });

  it("names an index's children by platform", () => {
    const index = (arm: string): ManifestSummary => ({
      kind: 'index',
      mediaType: 'application/vnd.oci.image.index.v1+json',
      layers: [],
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: D('1'), size: 5, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: arm, size: 5, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
      annotations: {},
    });
    expect(namedDescriptors(index(D('2'))).map((n) => n.name)).toEqual(['linux/amd64', 'linux/arm64/v8']);
    expect(diffManifests(index(D('2')), index(D('3'))).changed.map((c) => c.name)).toEqual(['linux/arm64/v8']);
  });

  it('names untitled layers by place', () => {
    expect(namedDescriptors(artifact([layer(undefined, D('a')), layer(undefined, D('b'))])).map((n) => n.name)).toEqual(['config', 'layer #1', 'layer #2']);
  });
});
