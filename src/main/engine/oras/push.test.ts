import { describe, expect, it } from 'vitest';
import { Annotation } from '../descriptor';
import { MediaType } from '../media-type';
import type { ProgressEvent } from '../content/storage';
import { MemoryStore } from '../content/memory-store';
import { push } from './push';
import { pull } from './pull';
import { TestTarget } from '../testing/test-target';

describe('push', () => {
  it('runs the seed rocket example: the registry gets the manifest the seed shows', async () => {
    // The seed's Go example: store.Add(...) then oras.Push(..., WithConfig(config)).
    const store = new TestTarget();
    const rocket = store.add('text/plain', '🚀', { [Annotation.Title]: 'rocket.txt' });
    const config = store.add('application/vnd.acme.rocket.config.v1+json', '{"RocketVersion":"v0.1.0"}');
    const registry = new TestTarget();
    const events: ProgressEvent[] = [];

    const root = await push(store, registry, 'v0.1.0', { layers: [rocket], config, imageSpec: 'v1.0', onProgress: (e) => events.push(e) });

    expect(root).toMatchObject({ mediaType: MediaType.ImageManifest, digest: 'sha256:d070b65c4898a02357f5fc4488aa191d90a90ac7c907eb7ac079b6f483fc8608' });
    expect((await registry.resolve('v0.1.0')).digest).toBe(root.digest);
    expect(registry.bytesOf(rocket)?.toString()).toBe('🚀');
    expect(registry.bytesOf(config)?.toString()).toBe('{"RocketVersion":"v0.1.0"}');
    expect(events.filter((e) => e.state === 'done').map((e) => e.descriptor.digest).sort()).toEqual([rocket.digest, config.digest, root.digest].sort());
  });

  it('runs the seed Go example over MemoryStore, and pulls the rocket back', async () => {
    const store = new MemoryStore();
    const rocketDescriptor = store.add('rocket.txt', 'text/plain', '🚀');
    const rocketConfigDescriptor = store.add('', 'application/vnd.acme.rocket.config.v1+json', '{"RocketVersion":"v0.1.0"}');
    const registry = new MemoryStore();
    const root = await push(store, registry, 'v0.1.0', { layers: [rocketDescriptor], config: rocketConfigDescriptor, imageSpec: 'v1.0' });
    expect(root.digest).toBe('sha256:d070b65c4898a02357f5fc4488aa191d90a90ac7c907eb7ac079b6f483fc8608');

    const local = new MemoryStore();
    const pulled = await pull(registry, 'v0.1.0', local);
    expect(pulled.files.map((f) => f.annotations?.[Annotation.Title])).toEqual(['rocket.txt']);
    expect(Buffer.from(local.get(pulled.files[0]!)).toString()).toBe('🚀');
  });

  it('packs v1.1 by default and adds the extra tags', async () => {
    const store = new TestTarget();
    const layer = store.add('application/octet-stream', 'data', { [Annotation.Title]: 'data.bin' });
    const registry = new TestTarget();
    const root = await push(store, registry, 'v1', { layers: [layer], artifactType: 'application/vnd.example', extraTags: ['latest', 'v1'] });
    const manifest = JSON.parse(registry.bytesOf(root)!.toString()) as Record<string, unknown>;
    expect(manifest.mediaType).toBe(MediaType.ImageManifest);
    expect(manifest.artifactType).toBe('application/vnd.example');
    expect([...registry.tagMap.keys()].sort()).toEqual(['latest', 'v1']);
  });

  it('refuses a bad tag before uploading, and pushes by digest with an empty reference', async () => {
    const store = new TestTarget();
    const layer = store.add('text/plain', 'x', { [Annotation.Title]: 'x.txt' });
    const registry = new TestTarget();
    await expect(push(store, registry, 'v1', { layers: [layer], extraTags: ['no good'] })).rejects.toMatchObject({ code: 'INVALID_REFERENCE' });
    expect(registry.log).toEqual([]);
    const root = await push(store, registry, '', { layers: [layer] });
    expect(registry.bytesOf(root)).toBeDefined();
    expect(registry.tagMap.size).toBe(0);
  });

  it('fails with NOT_FOUND on the source side when a layer is not in the store', async () => {
    const store = new TestTarget();
    const missing = new TestTarget().add('text/plain', 'elsewhere', { [Annotation.Title]: 'gone.txt' });
    await expect(push(store, new TestTarget(), 'v1', { layers: [missing] })).rejects.toMatchObject({ code: 'NOT_FOUND', side: 'source' });
  });
});
