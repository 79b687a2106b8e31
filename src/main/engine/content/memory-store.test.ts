import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../digest';
import { Annotation, type Descriptor } from '../descriptor';
import { isOrasError } from '../errors';
import { MediaType } from '../media-type';
import { MemoryStore } from './memory-store';

function descOf(data: string, mediaType = 'text/plain'): Descriptor {
  return { mediaType, digest: digestOf(data), size: Buffer.byteLength(data) };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toSatisfy((err: unknown) => isOrasError(err) && err.code === code);
}

describe('MemoryStore', () => {
  it('adds the seed rocket example with the digests the seed shows', () => {
    const store = new MemoryStore();
    const rocket = store.add('rocket.txt', 'text/plain', '🚀');
    expect(rocket).toEqual({
      mediaType: 'text/plain',
      digest: 'sha256:ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5',
      size: 4,
      annotations: { [Annotation.Title]: 'rocket.txt' },
    });
    const config = store.add('', 'application/vnd.acme.rocket.config.v1+json', '{"RocketVersion":"v0.1.0"}');
    expect(config).toEqual({
      mediaType: 'application/vnd.acme.rocket.config.v1+json',
      digest: 'sha256:310175f34d2d4d5cba3418be06ddd1ef948147d729516d78318ec7f5c2d83d49',
      size: 26,
    });
    expect(Buffer.from(store.get(rocket)).toString()).toBe('🚀');
  });

  it('defaults an empty media type and rejects an invalid one', () => {
    const store = new MemoryStore();
    expect(store.add('a', '', 'x').mediaType).toBe(MediaType.DefaultLayer);
    expect(() => store.add('a', 'not a type', 'x')).toThrowError(/invalid media type of a/);
  });

  it('round-trips pushed content and fetches it back', async () => {
    const store = new MemoryStore();
    const desc = descOf('hello');
    expect(await store.exists(desc)).toBe(false);
    await store.push(desc, Readable.from([Buffer.from('hel'), Buffer.from('lo')]));
    expect(await store.exists(desc)).toBe(true);
    expect(await text(await store.fetch(desc))).toBe('hello');
  });

  it('get returns a copy, so callers cannot change stored bytes', () => {
    const store = new MemoryStore();
    const desc = store.add('', 'text/plain', 'abc');
    store.get(desc)[0] = 0;
    expect(Buffer.from(store.get(desc)).toString()).toBe('abc');
  });

  it('refuses truncated, longer and altered content and keeps nothing', async () => {
    const store = new MemoryStore();
    const desc = descOf('hello');
    await expectCode(store.push(desc, Readable.from([Buffer.from('hell')])), 'SIZE_MISMATCH');
    await expectCode(store.push(desc, Readable.from([Buffer.from('hello!')])), 'SIZE_MISMATCH');
    await expectCode(store.push(desc, Readable.from([Buffer.from('jello')])), 'DIGEST_MISMATCH');
    expect(await store.exists(desc)).toBe(false);
    await expectCode(store.fetch(desc), 'NOT_FOUND');
    expect(() => store.get(desc)).toThrowError(/not in the memory store/);
  });

  it('refuses a blob larger than maxBlobSize before reading it', async () => {
    const store = new MemoryStore({ maxBlobSize: 3 });
    const stream = Readable.from([Buffer.from('hello')]);
    await expectCode(store.push(descOf('hello'), stream), 'SIZE_LIMIT');
    expect(stream.destroyed).toBe(true);
  });

  it('honours an aborted signal', async () => {
    const store = new MemoryStore();
    const controller = new AbortController();
    controller.abort();
    await expectCode(store.push(descOf('x'), Readable.from([Buffer.from('x')]), { signal: controller.signal }), 'ABORTED');
    expect(await store.exists(descOf('x'))).toBe(false);
  });

  it('aborts a push that waits on a slow stream', async () => {
    const store = new MemoryStore();
    const controller = new AbortController();
    const slow = new Readable({ read() {} });
    slow.push('a');
    const pushing = store.push(descOf('ab'), slow, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expectCode(pushing, 'ABORTED');
  });

  it('tags, resolves and lists tags', async () => {
    const store = new MemoryStore();
    const desc = store.add('', MediaType.ImageManifest, '{"schemaVersion":2}');
    await store.tag(desc, 'v2');
    await store.tag(desc, 'v1');
    expect(await store.resolve('v1')).toEqual(desc);
    expect(await store.resolve(desc.digest)).toEqual(desc);
    const tags: string[] = [];
    for await (const tag of store.tags()) tags.push(tag);
    expect(tags).toEqual(['v1', 'v2']);
    const after: string[] = [];
    for await (const tag of store.tags({ last: 'v1' })) after.push(tag);
    expect(after).toEqual(['v2']);
    await expectCode(store.resolve('nope'), 'NOT_FOUND');
    await expectCode(store.resolve(''), 'INVALID_REFERENCE');
    await expectCode(store.tag(descOf('absent'), 'x'), 'NOT_FOUND');
  });

  it('lists referrers of a subject, filtered by artifact type', async () => {
    const store = new MemoryStore();
    const subject = store.add('', MediaType.ImageManifest, '{"schemaVersion":2,"layers":[]}');
    const sbom = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ImageManifest,
      artifactType: 'application/spdx+json',
      config: { mediaType: MediaType.Empty, digest: digestOf('{}'), size: 2 },
      layers: [],
      subject,
      annotations: { 'org.example': 'yes' },
    });
    const signature = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ImageManifest,
      config: { mediaType: 'application/vnd.example.sig', digest: digestOf('{}'), size: 2 },
      layers: [],
      subject,
    });
    const sbomDesc = descOf(sbom, MediaType.ImageManifest);
    await store.push(sbomDesc, Readable.from([Buffer.from(sbom)]));
    const sigDesc = store.add('', MediaType.ImageManifest, signature);

    const all = await store.predecessors(subject);
    expect(all.map((d) => d.digest).sort()).toEqual([sbomDesc.digest, sigDesc.digest].sort());
    expect(await store.predecessors(subject, { artifactType: 'application/spdx+json' })).toEqual([
      { ...sbomDesc, artifactType: 'application/spdx+json', annotations: { 'org.example': 'yes' } },
    ]);
    // an image manifest without artifactType is typed by its config
    expect((await store.predecessors(subject, { artifactType: 'application/vnd.example.sig' })).map((d) => d.digest)).toEqual([sigDesc.digest]);
    expect(await store.predecessors(sbomDesc)).toEqual([]);
  });

  it('ignores content that only claims to be a manifest', async () => {
    const store = new MemoryStore();
    const desc = store.add('', MediaType.ImageManifest, 'not json');
    expect(await store.predecessors(desc)).toEqual([]);
  });
});
