import { describe, expect, it } from 'vitest';
import { Annotation } from '../descriptor';
import { MediaType } from '../media-type';
import { isOrasError } from '../errors';
import { EMPTY_DESCRIPTOR, packManifest } from './pack';
import { parseManifest } from './manifest-codec';
import { TestTarget } from '../testing/test-target';

function rocket(store: TestTarget) {
  const layer = store.add('text/plain', '🚀', { [Annotation.Title]: 'rocket.txt' });
  const config = store.add('application/vnd.acme.rocket.config.v1+json', '{"RocketVersion":"v0.1.0"}');
  return { layer, config };
}

function manifestJson(store: TestTarget, digest: string): Record<string, unknown> {
  return JSON.parse(store.bytesOf({ digest })!.toString('utf8')) as Record<string, unknown>;
}

describe('packManifest v1.0', () => {
  it('writes the seed rocket manifest byte for byte', async () => {
    const store = new TestTarget();
    const { layer, config } = rocket(store);
    expect(config).toMatchObject({ digest: 'sha256:310175f34d2d4d5cba3418be06ddd1ef948147d729516d78318ec7f5c2d83d49', size: 26 });
    expect(layer).toMatchObject({ digest: 'sha256:ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5', size: 4 });

    const desc = await packManifest(store, { imageSpec: 'v1.0', config, layers: [layer] });

    expect(desc.mediaType).toBe(MediaType.ImageManifest);
    expect(desc.digest).toBe('sha256:d070b65c4898a02357f5fc4488aa191d90a90ac7c907eb7ac079b6f483fc8608');
    expect(store.bytesOf(desc)!.toString('utf8')).toBe(
      '{"schemaVersion":2,"config":{"mediaType":"application/vnd.acme.rocket.config.v1+json","digest":"sha256:310175f34d2d4d5cba3418be06ddd1ef948147d729516d78318ec7f5c2d83d49","size":26},' +
        '"layers":[{"mediaType":"text/plain","digest":"sha256:ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5","size":4,"annotations":{"org.opencontainers.image.title":"rocket.txt"}}]}',
    );
    expect(desc.size).toBe(store.bytesOf(desc)!.byteLength);
  });

  it('writes descriptor keys in spec order whatever order the caller used', async () => {
    const store = new TestTarget();
    const { layer, config } = rocket(store);
    const shuffled = { annotations: layer.annotations!, size: layer.size, digest: layer.digest, mediaType: layer.mediaType };
    const desc = await packManifest(store, { imageSpec: 'v1.0', config, layers: [shuffled] });
    expect(desc.digest).toBe('sha256:d070b65c4898a02357f5fc4488aa191d90a90ac7c907eb7ac079b6f483fc8608');
  });

  it('defaults the config to {} of the unknown config type, or of the artifact type', async () => {
    const store = new TestTarget();
    const plain = await packManifest(store, { imageSpec: 'v1.0' });
    const manifest = manifestJson(store, plain.digest);
    expect(manifest).toEqual({
      schemaVersion: 2,
      config: { mediaType: MediaType.UnknownConfig, digest: EMPTY_DESCRIPTOR.digest, size: 2 },
      layers: [],
    });
    expect(store.bytesOf({ digest: EMPTY_DESCRIPTOR.digest })!.toString()).toBe('{}');

    const typed = await packManifest(store, { imageSpec: 'v1.0', artifactType: 'application/vnd.acme.rocket.config.v1+json' });
    expect((manifestJson(store, typed.digest).config as { mediaType: string }).mediaType).toBe('application/vnd.acme.rocket.config.v1+json');
    expect(typed.artifactType).toBe('application/vnd.acme.rocket.config.v1+json');
  });

  it('adds given annotations last and no created annotation', async () => {
    const store = new TestTarget();
    const desc = await packManifest(store, { imageSpec: 'v1.0', annotations: { a: 'b' } });
    expect(Object.keys(manifestJson(store, desc.digest))).toEqual(['schemaVersion', 'config', 'layers', 'annotations']);
    expect(manifestJson(store, desc.digest).annotations).toEqual({ a: 'b' });
  });

  it('refuses a subject, and a config together with a different artifact type', async () => {
    const store = new TestTarget();
    const { config } = rocket(store);
    await expect(packManifest(store, { imageSpec: 'v1.0', subject: config })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(packManifest(store, { imageSpec: 'v1.0', config, artifactType: 'application/x-other' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('packManifest v1.1', () => {
  it('uses the empty config, the default artifact type, an empty layer and a created date', async () => {
    const store = new TestTarget();
    const desc = await packManifest(store, { created: new Date('2024-05-01T12:34:56.789Z') });
    const manifest = manifestJson(store, desc.digest);
    expect(Object.keys(manifest)).toEqual(['schemaVersion', 'mediaType', 'artifactType', 'config', 'layers', 'annotations']);
    expect(manifest).toEqual({
      schemaVersion: 2,
      mediaType: MediaType.ImageManifest,
      artifactType: MediaType.UnknownArtifact,
      config: EMPTY_DESCRIPTOR,
      layers: [EMPTY_DESCRIPTOR],
      annotations: { [Annotation.Created]: '2024-05-01T12:34:56Z' },
    });
    expect(store.bytesOf(EMPTY_DESCRIPTOR)!.toString()).toBe('{}');
    expect(desc).toMatchObject({ artifactType: MediaType.UnknownArtifact, annotations: { [Annotation.Created]: '2024-05-01T12:34:56Z' } });
    parseManifest(store.bytesOf(desc)!, desc);
  });

  it('keeps layers, subject and the artifact type; config makes artifact type optional', async () => {
    const store = new TestTarget();
    const { layer, config } = rocket(store);
    const subject = await packManifest(store, { imageSpec: 'v1.0', config, layers: [layer] });
    const desc = await packManifest(store, { config, layers: [layer], subject, created: false });
    const manifest = manifestJson(store, desc.digest);
    expect(manifest.artifactType).toBeUndefined();
    expect(manifest.config).toEqual({ mediaType: config.mediaType, digest: config.digest, size: 26 });
    expect(manifest.layers).toEqual([layer]);
    expect(manifest.subject).toEqual({ mediaType: subject.mediaType, digest: subject.digest, size: subject.size });
    expect(manifest.annotations).toBeUndefined();

    const typed = await packManifest(store, { artifactType: 'application/vnd.acme.sig', layers: [layer], created: false });
    expect(manifestJson(store, typed.digest).artifactType).toBe('application/vnd.acme.sig');
  });

  it('adds created as RFC 3339 now, unless the caller gave one', async () => {
    const store = new TestTarget();
    const before = Date.now();
    const now = await packManifest(store, {});
    const created = now.annotations![Annotation.Created]!;
    expect(created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(created)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);

    const given = await packManifest(store, { annotations: { [Annotation.Created]: '2020-01-01T00:00:00+02:00' } });
    expect(given.annotations![Annotation.Created]).toBe('2020-01-01T00:00:00+02:00');
    await expect(packManifest(store, { annotations: { [Annotation.Created]: 'yesterday' } })).rejects.toMatchObject({ code: 'INVALID_ANNOTATION' });
    await expect(packManifest(store, { created: '2020-13-45T00:00:00Z' })).rejects.toMatchObject({ code: 'INVALID_ANNOTATION' });
  });

  it('validates media types, digests and annotations, naming the culprit', async () => {
    const store = new TestTarget();
    const { layer } = rocket(store);
    const bad = (p: Promise<unknown>, code: string, text: string) =>
      expect(p).rejects.toSatisfy((err: unknown) => isOrasError(err) && err.code === code && err.message.includes(text));
    await bad(packManifest(store, { layers: [{ ...layer, mediaType: 'text' }] }), 'INVALID_MEDIA_TYPE', 'rocket.txt');
    await bad(packManifest(store, { layers: [{ ...layer, digest: 'sha256:nope' }] }), 'INVALID_DIGEST', 'layer 1');
    await bad(packManifest(store, { layers: [{ ...layer, size: -1 }] }), 'INVALID_ARGUMENT', 'size');
    await bad(packManifest(store, { artifactType: 'no slash' }), 'INVALID_MEDIA_TYPE', 'artifact type');
    await bad(packManifest(store, { annotations: { k: 1 as unknown as string } }), 'INVALID_ANNOTATION', '"k"');
    await bad(packManifest(store, { annotations: { '': 'v' } }), 'INVALID_ANNOTATION', 'empty key');
    await bad(packManifest(store, { imageSpec: 'v2' as 'v1.1' }), 'INVALID_ARGUMENT', 'v2');
  });
});
