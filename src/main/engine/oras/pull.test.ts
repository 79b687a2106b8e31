import { describe, expect, it } from 'vitest';
import { Annotation, type Descriptor } from '../descriptor';
import { MediaType } from '../media-type';
import { packManifest } from './pack';
import { formatPlatform, matchPlatform, parsePlatform } from './platform';
import { pull } from './pull';
import { TestTarget } from '../testing/test-target';

const titled = (name: string) => ({ [Annotation.Title]: name });

async function mixed() {
  const registry = new TestTarget();
  const text = registry.add('text/plain', 'hello', titled('hello.txt'));
  const json = registry.add('application/json', '{"a":1}', titled('a.json'));
  const untitled = registry.add('text/plain', 'no name');
  const config = registry.add('application/vnd.acme.config+json', '{}');
  const root = await packManifest(registry, { config, layers: [text, json, untitled], created: false });
  await registry.tag(root, 'v1');
  return { registry, text, json, untitled, config, root };
}

const digests = (ds: Descriptor[]) => ds.map((d) => d.digest).sort();

describe('pull', () => {
  it('writes titled layers only, with manifest and config, by default', async () => {
    const { registry, text, json, untitled, config, root } = await mixed();
    const store = new TestTarget();
    const result = await pull(registry, 'v1', store);
    expect(result.root.digest).toBe(root.digest);
    expect(digests(result.files)).toEqual(digests([text, json]));
    expect(store.bytesOf(untitled)).toBeUndefined();
    expect(store.bytesOf(config)).toBeDefined();
    expect(store.bytesOf(root)).toBeDefined();
  });

  it('filters by media type, and takes untitled layers when asked', async () => {
    const { registry, text, json, untitled } = await mixed();
    const onlyText = new TestTarget();
    const result = await pull(registry, 'v1', onlyText, { mediaTypes: ['text/plain'] });
    expect(digests(result.files)).toEqual([text.digest]);
    expect(onlyText.bytesOf(json)).toBeUndefined();

    const all = new TestTarget();
    const everything = await pull(registry, 'v1', all, { includeUntitled: true });
    expect(digests(everything.files)).toEqual(digests([text, json, untitled]));
    expect(all.bytesOf(untitled)?.toString()).toBe('no name');
  });

  it('leaves out the subject of a referrer unless asked', async () => {
    const { registry, root } = await mixed();
    const sig = await packManifest(registry, { artifactType: 'application/vnd.acme.sig', subject: root, layers: [registry.add('application/vnd.acme.sig', 's', titled('sig'))], created: false });
    const store = new TestTarget();
    await pull(registry, sig.digest, store);
    expect(store.bytesOf(root)).toBeUndefined();
    const withSubject = new TestTarget();
    await pull(registry, sig.digest, withSubject, { includeSubject: true });
    expect(withSubject.bytesOf(root)).toBeDefined();
  });

  it('pulls every manifest of an index, or the chosen platform only', async () => {
    const registry = new TestTarget();
    const amd = await packManifest(registry, { layers: [registry.add('application/octet-stream', 'amd64 binary', titled('app'))], created: false });
    const arm = await packManifest(registry, { layers: [registry.add('application/octet-stream', 'arm64 binary', titled('app'))], created: false });
    const index = registry.addJson(MediaType.ImageIndex, {
      schemaVersion: 2,
      mediaType: MediaType.ImageIndex,
      manifests: [
        { ...amd, platform: { os: 'linux', architecture: 'amd64' } },
        { ...arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    });
    await registry.tag(index, 'multi');

    const all = new TestTarget();
    const everything = await pull(registry, 'multi', all);
    expect(everything.root.digest).toBe(index.digest);
    expect(everything.files).toHaveLength(2);

    const armOnly = new TestTarget();
    const picked = await pull(registry, 'multi', armOnly, { platform: 'linux/arm64' });
    expect(picked.root.digest).toBe(arm.digest);
    expect(picked.files.map((f) => armOnly.bytesOf(f)?.toString())).toEqual(['arm64 binary']);
    expect(armOnly.bytesOf(amd)).toBeUndefined();

    await expect(pull(registry, 'multi', new TestTarget(), { platform: 'windows/amd64' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('linux/amd64, linux/arm64/v8'),
    });
  });

  it('checks a single image manifest against its config platform', async () => {
    const registry = new TestTarget();
    const config = registry.add(MediaType.ImageConfig, JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: {} }));
    const root = await packManifest(registry, { config, layers: [registry.add(MediaType.ImageLayer, 'tar', titled('layer.tar'))], created: false });
    await registry.tag(root, 'img');
    expect((await pull(registry, 'img', new TestTarget(), { platform: { os: 'linux', architecture: 'amd64' } })).root.digest).toBe(root.digest);
    await expect(pull(registry, 'img', new TestTarget(), { platform: 'linux/arm64' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says NOT_FOUND on the source side for a missing reference', async () => {
    await expect(pull(new TestTarget(), 'v1', new TestTarget())).rejects.toMatchObject({ code: 'NOT_FOUND', side: 'source' });
  });
});

describe('platforms', () => {
  it('parses, formats and matches', () => {
    expect(parsePlatform('linux/arm64/v8:10.0')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8', 'os.version': '10.0' });
    expect(formatPlatform(parsePlatform('linux/amd64'))).toBe('linux/amd64');
    for (const bad of ['linux', 'linux/', '/amd64', 'a/b/c/d', 'linux/arm64/', 'linux/amd64:']) {
      expect(() => parsePlatform(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(matchPlatform({ os: 'linux', architecture: 'arm64', variant: 'v8' }, { os: 'linux', architecture: 'arm64' })).toBe(true);
    expect(matchPlatform({ os: 'linux', architecture: 'arm64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(false);
    expect(matchPlatform(undefined, { os: 'linux', architecture: 'arm64' })).toBe(false);
  });
});
