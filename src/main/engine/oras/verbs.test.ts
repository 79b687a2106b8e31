import { describe, expect, it } from 'vitest';
import { Annotation } from '../descriptor';
import { digestOf } from '../digest';
import { MediaType } from '../media-type';
import { attach } from './attach';
import { discover } from './discover';
import { isIndex } from './manifest-codec';
import { packManifest } from './pack';
import { TestTarget } from '../testing/test-target';
import { fetchBytes, fetchManifest, resolve, tag } from './verbs';

async function rocketTarget() {
  const target = new TestTarget();
  const layer = target.add('text/plain', '🚀', { [Annotation.Title]: 'rocket.txt' });
  const root = await packManifest(target, { layers: [layer], artifactType: 'application/vnd.acme.rocket', created: false });
  await target.tag(root, 'v0.1.0');
  target.log.length = 0;
  return { target, layer, root };
}

describe('resolve and tag', () => {
  it('resolves tags and digests, NOT_FOUND otherwise', async () => {
    const { target, root } = await rocketTarget();
    expect((await resolve(target, 'v0.1.0')).digest).toBe(root.digest);
    expect((await resolve(target, root.digest)).digest).toBe(root.digest);
    await expect(resolve(target, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(resolve(target, '')).rejects.toMatchObject({ code: 'INVALID_REFERENCE' });
  });

  it('resolves once and writes every tag, checking all tags first', async () => {
    const { target, root } = await rocketTarget();
    const desc = await tag(target, 'v0.1.0', ['latest', 'stable', 'latest']);
    expect(desc.digest).toBe(root.digest);
    expect(target.tagMap.get('latest')?.digest).toBe(root.digest);
    expect(target.tagMap.get('stable')?.digest).toBe(root.digest);
    expect(target.log.filter((l) => l === 'tag latest')).toHaveLength(1);

    await expect(tag(target, 'v0.1.0', ['ok', 'not ok'])).rejects.toMatchObject({ code: 'INVALID_REFERENCE' });
    expect(target.tagMap.has('ok')).toBe(false);
    await expect(tag(target, 'v0.1.0', [])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('fetchManifest and fetchBytes', () => {
  it('returns the descriptor, exact bytes and the parsed manifest or index', async () => {
    const { target, root, layer } = await rocketTarget();
    const fetched = await fetchManifest(target, 'v0.1.0');
    expect(fetched.descriptor.digest).toBe(root.digest);
    expect(digestOf(fetched.bytes)).toBe(root.digest);
    expect(fetched.manifest && !isIndex(fetched.manifest) && fetched.manifest.layers).toEqual([layer]);

    const index = target.addJson(MediaType.ImageIndex, { schemaVersion: 2, manifests: [root] });
    await target.tag(index, 'multi');
    const fetchedIndex = await fetchManifest(target, 'multi');
    expect(fetchedIndex.manifest && isIndex(fetchedIndex.manifest)).toBe(true);
  });

  it('caps what it reads with SIZE_LIMIT', async () => {
    const { target, root, layer } = await rocketTarget();
    await expect(fetchManifest(target, 'v0.1.0', { maxBytes: root.size - 1 })).rejects.toMatchObject({ code: 'SIZE_LIMIT' });
    expect(Buffer.from(await fetchBytes(target, layer, { maxBytes: 4 })).toString()).toBe('🚀');
    await expect(fetchBytes(target, layer, { maxBytes: 3 })).rejects.toMatchObject({ code: 'SIZE_LIMIT' });
  });

  it('refuses a manifest whose content contradicts its media type', async () => {
    const target = new TestTarget();
    const liar = target.addJson(MediaType.ImageManifest, { schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: [] });
    await target.tag(liar, 'liar');
    await expect(fetchManifest(target, 'liar')).rejects.toMatchObject({ code: 'INVALID_MANIFEST' });
  });
});

describe('attach and discover', () => {
  it('attaches to the resolved subject and discovers the tree of referrers', async () => {
    const { target, root } = await rocketTarget();
    const sigLayer = target.add('application/vnd.acme.sig', 'signed');
    const sig = await attach(target, 'v0.1.0', { artifactType: 'application/vnd.acme.sig', layers: [sigLayer] });
    const manifest = JSON.parse(target.bytesOf(sig)!.toString()) as { subject: unknown; artifactType: string; annotations: Record<string, string> };
    expect(manifest.subject).toEqual({ mediaType: root.mediaType, digest: root.digest, size: root.size });
    expect(manifest.artifactType).toBe('application/vnd.acme.sig');
    expect(manifest.annotations[Annotation.Created]).toBeDefined();

    const sbom = await attach(target, root.digest, { artifactType: 'application/spdx+json' });
    const sigOfSig = await attach(target, sig.digest, { artifactType: 'application/vnd.acme.sig' });

    const tree = await discover(target, 'v0.1.0');
    expect(tree.descriptor.digest).toBe(root.digest);
    expect(tree.referrers.map((r) => r.descriptor.digest).sort()).toEqual([sig.digest, sbom.digest].sort());
    const sigNode = tree.referrers.find((r) => r.descriptor.digest === sig.digest)!;
    expect(sigNode.referrers.map((r) => r.descriptor.digest)).toEqual([sigOfSig.digest]);

    const sigsOnly = await discover(target, 'v0.1.0', { artifactType: 'application/vnd.acme.sig' });
    expect(sigsOnly.referrers.map((r) => r.descriptor.digest)).toEqual([sig.digest]);
    const shallow = await discover(target, 'v0.1.0', { depth: 1 });
    expect(shallow.referrers.every((r) => r.referrers.length === 0)).toBe(true);
  });

  it('packs in a separate store and copies from it when `from` is given', async () => {
    const { target, root } = await rocketTarget();
    const files = new TestTarget();
    const layer = files.add('application/vnd.acme.sig', 'signed', { [Annotation.Title]: 'sig' });
    const sig = await attach(target, 'v0.1.0', { artifactType: 'application/vnd.acme.sig', layers: [layer], from: files });
    expect(target.bytesOf(layer)?.toString()).toBe('signed');
    expect(target.bytesOf(sig)).toBeDefined();
    expect(target.log).not.toContain(`push ${root.digest}`);
  });

  it('refuses v1.0 (no subject), a missing artifact type, and a missing subject', async () => {
    const { target } = await rocketTarget();
    await expect(attach(target, 'v0.1.0', { artifactType: 'application/x', imageSpec: 'v1.0' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(attach(target, 'v0.1.0', { artifactType: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(attach(target, 'nope', { artifactType: 'application/x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says UNSUPPORTED when the target cannot list referrers', async () => {
    const { target } = await rocketTarget();
    const blind = { resolve: target.resolve.bind(target) };
    await expect(discover(blind, 'v0.1.0')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});
