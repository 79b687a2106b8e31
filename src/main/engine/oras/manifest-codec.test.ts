import { describe, expect, it } from 'vitest';
import type { Descriptor } from '../descriptor';
import { digestOf } from '../digest';
import { MediaType } from '../media-type';
import { DEFAULT_MAX_METADATA_BYTES, fetchBytes } from './bytes';
import { isIndex, parseIndex, parseManifest, successors } from './manifest-codec';
import { EMPTY_DESCRIPTOR } from './pack';
import { TestTarget } from '../testing/test-target';

const layer: Descriptor = { mediaType: 'text/plain', digest: digestOf('a'), size: 1 };

function descOf(mediaType: string, value: unknown): { bytes: Uint8Array; desc: Descriptor } {
  const bytes = new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
  return { bytes, desc: { mediaType, digest: digestOf(bytes), size: bytes.byteLength } };
}

describe('parseManifest', () => {
  it('accepts a valid manifest, with or without mediaType', () => {
    const { bytes, desc } = descOf(MediaType.ImageManifest, { schemaVersion: 2, config: EMPTY_DESCRIPTOR, layers: [layer] });
    expect(parseManifest(bytes, desc).layers).toEqual([layer]);
    const docker = descOf(MediaType.DockerManifest, { schemaVersion: 2, mediaType: MediaType.DockerManifest, config: EMPTY_DESCRIPTOR, layers: [] });
    expect(parseManifest(docker.bytes, docker.desc).config).toEqual(EMPTY_DESCRIPTOR);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['an array', [], /not a JSON object/],
    ['schemaVersion 1', { schemaVersion: 1, config: EMPTY_DESCRIPTOR, layers: [] }, /schemaVersion is 1/],
    ['another mediaType', { schemaVersion: 2, mediaType: MediaType.ImageIndex, config: EMPTY_DESCRIPTOR, layers: [] }, /differs from the descriptor/],
    ['no config', { schemaVersion: 2, layers: [] }, /no config/],
    ['layers not an array', { schemaVersion: 2, config: EMPTY_DESCRIPTOR, layers: {} }, /layers must be an array/],
    ['a bad layer digest', { schemaVersion: 2, config: EMPTY_DESCRIPTOR, layers: [{ ...layer, digest: 'md5:x' }] }, /layers\[0\]/],
    ['a negative size', { schemaVersion: 2, config: { ...EMPTY_DESCRIPTOR, size: -2 }, layers: [] }, /invalid size/],
    ['a bad artifactType', { schemaVersion: 2, artifactType: 'x', config: EMPTY_DESCRIPTOR, layers: [] }, /artifactType/],
    ['non-string annotations', { schemaVersion: 2, config: EMPTY_DESCRIPTOR, layers: [], annotations: { a: 1 } }, /must be a string/],
    ['a bad subject', { schemaVersion: 2, config: EMPTY_DESCRIPTOR, layers: [], subject: { digest: 'x' } }, /subject/],
  ])('refuses %s with INVALID_MANIFEST', (_name, value, message) => {
    const { bytes, desc } = descOf(MediaType.ImageManifest, value);
    expect(() => parseManifest(bytes, desc)).toThrow(expect.objectContaining({ code: 'INVALID_MANIFEST', message: expect.stringMatching(message) }));
  });
});

describe('parseIndex', () => {
  it('accepts an index and refuses one without manifests', () => {
    const ok = descOf(MediaType.ImageIndex, { schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: [layer] });
    const index = parseIndex(ok.bytes, ok.desc);
    expect(isIndex(index)).toBe(true);
    const bad = descOf(MediaType.ImageIndex, { schemaVersion: 2 });
    expect(() => parseIndex(bad.bytes, bad.desc)).toThrow(expect.objectContaining({ code: 'INVALID_MANIFEST' }));
  });
});

describe('successors', () => {
  it('lists subject, config and layers of a manifest; subject and manifests of an index; nothing for a blob', async () => {
    const store = new TestTarget();
    const subject = store.add(MediaType.ImageManifest, JSON.stringify({ schemaVersion: 2, config: EMPTY_DESCRIPTOR, layers: [] }));
    const manifest = store.addJson(MediaType.ImageManifest, { schemaVersion: 2, config: EMPTY_DESCRIPTOR, layers: [layer], subject });
    expect(await successors(store, manifest)).toEqual([subject, EMPTY_DESCRIPTOR, layer]);
    const index = store.addJson(MediaType.ImageIndex, { schemaVersion: 2, manifests: [manifest] });
    expect(await successors(store, index)).toEqual([manifest]);
    expect(await successors(store, layer)).toEqual([]);
  });

  it('refuses a manifest over the cap with SIZE_LIMIT, without fetching it', async () => {
    const store = new TestTarget();
    const huge: Descriptor = { mediaType: MediaType.ImageManifest, digest: digestOf('x'), size: DEFAULT_MAX_METADATA_BYTES + 1 };
    await expect(successors(store, huge)).rejects.toMatchObject({ code: 'SIZE_LIMIT' });
    expect(store.fetchCount.size).toBe(0);
  });

  it('refuses altered or truncated manifest bytes', async () => {
    const store = new TestTarget();
    const manifest = store.addJson(MediaType.ImageManifest, { schemaVersion: 2, config: EMPTY_DESCRIPTOR, layers: [] });
    store.tampered.set(manifest.digest, Buffer.from(JSON.stringify({ schemaVersion: 2, config: EMPTY_DESCRIPTOR, layers: [layer] }).slice(0, manifest.size)));
    await expect(successors(store, manifest)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    store.tampered.set(manifest.digest, Buffer.from('{}'));
    await expect(fetchBytes(store, manifest)).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
    store.tampered.set(manifest.digest, Buffer.alloc(manifest.size + 1));
    await expect(fetchBytes(store, manifest)).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
  });
});
