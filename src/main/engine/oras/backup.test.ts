import { describe, expect, it } from 'vitest';
import type { Descriptor } from '../descriptor';
import { MediaType } from '../media-type';
import { MemoryStore } from '../content/memory-store';
import { rejection } from '../testing/expect-error';
import { copyTagged, countReferrers, resolveTags } from './backup';

/** manifest adds an image manifest of one layer (and `subject`, when given) to `store`. */
function manifest(store: MemoryStore, name: string, subject?: Descriptor, artifactType = 'application/vnd.example'): Descriptor {
  const config = store.add('', MediaType.Empty, '{}');
  const layer = store.add(name, 'text/plain', `content of ${name}`);
  const body = { schemaVersion: 2, mediaType: MediaType.ImageManifest, artifactType, config, layers: [layer], ...(subject ? { subject } : {}) };
  return store.add('', MediaType.ImageManifest, JSON.stringify(body));
}

/** source: `v1` an index of two platform manifests; a signature of the index, an SBOM of one manifest, a signature of that SBOM. */
function source(): { store: MemoryStore; index: Descriptor; referrers: Descriptor[] } {
  const store = new MemoryStore();
  const amd64 = manifest(store, 'amd64.txt');
  const arm64 = manifest(store, 'arm64.txt');
  const index = store.add('', MediaType.ImageIndex, JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: [amd64, arm64] }));
  const indexSignature = manifest(store, 'index.sig', index, 'application/vnd.example.sig');
  const sbom = manifest(store, 'amd64.sbom', amd64, 'application/vnd.example.sbom');
  const sbomSignature = manifest(store, 'sbom.sig', sbom, 'application/vnd.example.sig');
  return { store, index, referrers: [indexSignature, sbom, sbomSignature] };
}

describe('copyTagged', () => {
  it('with referrers: the root, its referrers, and those of an index\'s manifests, recursively; tagged', async () => {
    const { store, index, referrers } = source();
    await store.tag(index, 'v1');
    const dst = new MemoryStore();
    const [artifact] = await resolveTags(store, ['v1']);
    const skipped: string[] = [];
    await copyTagged(store, dst, artifact!, { includeReferrers: true, onCopySkipped: (desc) => skipped.push(desc.digest) });
    // the index's manifests, copied with it, are not reported again as already there
    const children = (JSON.parse(Buffer.from(store.get(index)).toString()) as { manifests: Descriptor[] }).manifests.map((m) => m.digest);
    expect(skipped.filter((digest) => children.includes(digest))).toEqual([]);
    expect((await dst.resolve('v1')).digest).toBe(index.digest);
    for (const referrer of referrers) expect(await dst.exists(referrer), referrer.digest).toBe(true);
    expect(await countReferrers(dst, index)).toBe(3);
  });

  it('without referrers: only the artifact', async () => {
    const { store, index, referrers } = source();
    const dst = new MemoryStore();
    await copyTagged(store, dst, { tag: 'v1', root: index });
    expect((await dst.resolve('v1')).digest).toBe(index.digest);
    for (const referrer of referrers) expect(await dst.exists(referrer)).toBe(false);
    expect(await countReferrers(dst, index)).toBe(0);
  });
});

describe('resolveTags', () => {
  it('resolves the tags named, in order; with none, every tag', async () => {
    const store = new MemoryStore();
    const a = manifest(store, 'a');
    const b = manifest(store, 'b');
    await store.tag(a, 'v1');
    await store.tag(b, 'v2');
    expect((await resolveTags(store, ['v2', 'v1'])).map((f) => [f.tag, f.root.digest])).toEqual([
      ['v2', b.digest],
      ['v1', a.digest],
    ]);
    expect((await resolveTags(store, [])).map((f) => f.tag)).toEqual(['v1', 'v2']);
  });

  it('names the tag that does not resolve, keeping the code', async () => {
    const err = await rejection(resolveTags(new MemoryStore(), ['gone']));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toMatch(/^failed to resolve tag "gone": /);
  });
});
