import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../digest';
import type { Descriptor } from '../descriptor';
import { isOrasError } from '../errors';
import { MediaType } from '../media-type';
import { MemoryStore } from './memory-store';
import { REF_NAME } from './oci-index';
import { OciLayoutStore } from './oci-layout-store';

let work: string;
let root: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oci-layout-'));
  root = path.join(work, 'layout');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function descOf(body: string | Buffer, mediaType = 'application/octet-stream'): Descriptor {
  const data = Buffer.from(body);
  return { mediaType, digest: digestOf(data), size: data.length };
}

function bytes(body: string | Buffer): Readable {
  return Readable.from([Buffer.from(body)]);
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err === undefined) return undefined;
  if (!isOrasError(err)) throw new Error(`expected an OrasError, got ${String(err)}`);
  return err.code;
}

async function indexJson(): Promise<{ manifests: Descriptor[] }> {
  return JSON.parse(await readFile(path.join(root, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
}

async function collect(tags: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const t of tags) out.push(t);
  return out;
}

function manifestOf(layers: Descriptor[], extra: Record<string, unknown> = {}): { desc: Descriptor; body: string } {
  const body = JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ImageManifest,
    config: { mediaType: MediaType.Empty, digest: digestOf('{}'), size: 2 },
    layers,
    ...extra,
  });
  return { desc: descOf(body, MediaType.ImageManifest), body };
}

async function pushManifest(store: OciLayoutStore, extra: Record<string, unknown> = {}): Promise<Descriptor> {
  const { desc, body } = manifestOf([], extra);
  await store.push(desc, bytes(body));
  return desc;
}

describe('OciLayoutStore.open', () => {
  it('creates a layout in a missing folder', async () => {
    await OciLayoutStore.open(root);
    expect(JSON.parse(await readFile(path.join(root, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    expect(await indexJson()).toEqual({ schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: [] });
    expect(await readdir(path.join(root, 'blobs'))).toEqual(['sha256']);
  });

  it('creates a layout in an empty folder and reopens it', async () => {
    await mkdir(root);
    const store = await OciLayoutStore.open(root);
    const desc = await pushManifest(store);
    await store.tag(desc, 'v1');
    const again = await OciLayoutStore.open(root);
    expect(await again.resolve('v1')).toEqual(desc);
  });

  it('refuses a folder that is not a layout, saying what to do', async () => {
    await mkdir(root);
    await writeFile(path.join(root, 'notes.txt'), 'mine');
    const err = await OciLayoutStore.open(root).catch((e: unknown) => e);
    expect(isOrasError(err, 'INVALID_ARGUMENT')).toBe(true);
    expect((err as Error).message).toMatch(/not an OCI image layout.*Choose an empty folder/);
    expect(await readdir(root)).toEqual(['notes.txt']);
  });

  it('refuses a file, an unknown layout version and a broken index.json', async () => {
    await writeFile(root, 'a file');
    expect(await codeOf(OciLayoutStore.open(root))).toBe('INVALID_ARGUMENT');
    await rm(root);
    await mkdir(root);
    await writeFile(path.join(root, 'oci-layout'), '{"imageLayoutVersion":"2.0.0"}');
    expect(await codeOf(OciLayoutStore.open(root))).toBe('INVALID_ARGUMENT');
    await writeFile(path.join(root, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await writeFile(path.join(root, 'index.json'), '{"schemaVersion":2,"manifests":[{"digest":"nope"}]}');
    expect(await codeOf(OciLayoutStore.open(root))).toBe('INVALID_MANIFEST');
    await writeFile(path.join(root, 'index.json'), '{not json');
    expect(await codeOf(OciLayoutStore.open(root))).toBe('INVALID_MANIFEST');
  });
});

describe('OciLayoutStore blobs', () => {
  it('reads part of a blob by range, refusing ranges outside it', async () => {
    const store = await OciLayoutStore.open(root);
    const desc = descOf('0123456789');
    await store.push(desc, bytes('0123456789'));
    expect((await buffer(await store.fetchRange(desc, 2, 5))).toString()).toBe('2345');
    expect((await buffer(await store.fetchRange(desc, 7))).toString()).toBe('789');
    expect(await codeOf(store.fetchRange(desc, 5, 10))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(store.fetchRange(descOf('absent'), 0, 1))).toBe('NOT_FOUND');
  });

  it('stores blobs at blobs/<alg>/<hex> and streams them back', async () => {
    const store = await OciLayoutStore.open(root);
    const desc = descOf('hello');
    expect(await store.exists(desc)).toBe(false);
    await store.push(desc, bytes('hello'));
    expect(await store.exists(desc)).toBe(true);
    expect(await readFile(path.join(root, 'blobs', 'sha256', desc.digest.slice(7)), 'utf8')).toBe('hello');
    expect((await buffer(await store.fetch(desc))).toString()).toBe('hello');
    expect(await codeOf(store.fetch(descOf('absent')))).toBe('NOT_FOUND');
  });

  it('streams a few MiB in chunks, with identical bytes back', async () => {
    const store = await OciLayoutStore.open(root);
    const data = Buffer.alloc(5 * 1024 * 1024 + 11);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    const desc = descOf(data);
    await store.push(desc, Readable.from((function* () {
      for (let i = 0; i < data.length; i += 100_000) yield data.subarray(i, i + 100_000);
    })()));
    expect((await buffer(await store.fetch(desc))).equals(data)).toBe(true);
  });

  it.each([
    ['truncated', 'hell', 'SIZE_MISMATCH'],
    ['longer', 'hello!', 'SIZE_MISMATCH'],
    ['altered', 'jello', 'DIGEST_MISMATCH'],
  ])('refuses %s content and leaves no file', async (_name, body, code) => {
    const store = await OciLayoutStore.open(root);
    expect(await codeOf(store.push(descOf('hello'), bytes(body)))).toBe(code);
    expect(await readdir(path.join(root, 'blobs', 'sha256'))).toEqual([]);
  });

  it('detects a blob corrupted on disk when it is fetched', async () => {
    const store = await OciLayoutStore.open(root);
    const desc = descOf('hello');
    await store.push(desc, bytes('hello'));
    await writeFile(path.join(root, 'blobs', 'sha256', desc.digest.slice(7)), 'jello');
    expect(await codeOf(buffer(await store.fetch(desc)))).toBe('DIGEST_MISMATCH');
  });

  it('refuses a digest that is not algorithm:hex (no path tricks)', async () => {
    const store = await OciLayoutStore.open(root);
    const desc = { mediaType: 'text/plain', digest: 'sha256:../../../etc/passwd', size: 1 };
    expect(await codeOf(store.push(desc, bytes('x')))).toBe('INVALID_DIGEST');
    expect(await codeOf(store.fetch(desc))).toBe('INVALID_DIGEST');
  });

  it('stops a push when aborted and leaves nothing', async () => {
    const store = await OciLayoutStore.open(root);
    const controller = new AbortController();
    const slow = new Readable({ read() {} });
    slow.push('part');
    const pushing = store.push(descOf('part and the rest'), slow, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await codeOf(pushing)).toBe('ABORTED');
    expect(await readdir(path.join(root, 'blobs', 'sha256'))).toEqual([]);
  });

  it('keeps a blob that is already there', async () => {
    const store = await OciLayoutStore.open(root);
    const desc = descOf('hello');
    await store.push(desc, bytes('hello'));
    await store.push(desc, bytes('hello'));
    expect(await readdir(path.join(root, 'blobs', 'sha256'))).toEqual([desc.digest.slice(7)]);
  });

  it('deletes a blob and its index entries', async () => {
    const store = await OciLayoutStore.open(root);
    const desc = await pushManifest(store);
    await store.tag(desc, 'v1');
    await store.delete(desc);
    expect(await store.exists(desc)).toBe(false);
    expect((await indexJson()).manifests).toEqual([]);
    expect(await codeOf(store.resolve('v1'))).toBe('NOT_FOUND');
    expect(await codeOf(store.delete(desc))).toBe('NOT_FOUND');
  });
});

describe('OciLayoutStore tags and index.json', () => {
  it('lists pushed manifests untagged, and tags them with ref.name', async () => {
    const store = await OciLayoutStore.open(root);
    const desc = await pushManifest(store);
    await store.push(descOf('a layer'), bytes('a layer'));
    expect((await indexJson()).manifests).toEqual([desc]);
    await store.tag(desc, 'v1');
    expect((await indexJson()).manifests).toEqual([{ ...desc, annotations: { [REF_NAME]: 'v1' } }]);
    expect(await store.resolve('v1')).toEqual(desc);
    expect(await store.resolve(desc.digest)).toEqual(desc);
  });

  it('moves a tag, keeping the old manifest listed', async () => {
    const store = await OciLayoutStore.open(root);
    const one = await pushManifest(store, { annotations: { n: '1' } });
    const two = await pushManifest(store, { annotations: { n: '2' } });
    await store.tag(one, 'latest');
    await store.tag(two, 'latest');
    expect(await store.resolve('latest')).toEqual(two);
    const digests = (await indexJson()).manifests.map((m) => m.digest).sort();
    expect(digests).toEqual([one.digest, two.digest].sort());
    await store.untag('latest');
    expect(await collect(store.tags())).toEqual([]);
    expect((await indexJson()).manifests.map((m) => m.digest).sort()).toEqual(digests);
  });

  it('lists tags sorted, after `last`', async () => {
    const store = await OciLayoutStore.open(root);
    const desc = await pushManifest(store);
    for (const tag of ['v2', 'v1', 'latest']) await store.tag(desc, tag);
    expect(await collect(store.tags())).toEqual(['latest', 'v1', 'v2']);
    expect(await collect(store.tags({ last: 'v1' }))).toEqual(['v2']);
  });

  it('refuses bad references and missing content', async () => {
    const store = await OciLayoutStore.open(root);
    const desc = await pushManifest(store);
    expect(await codeOf(store.tag(desc, 'bad tag'))).toBe('INVALID_REFERENCE');
    expect(await codeOf(store.tag(desc, '-leading-dash'))).toBe('INVALID_REFERENCE');
    expect(await codeOf(store.tag(desc, digestOf('other')))).toBe('INVALID_REFERENCE');
    expect(await codeOf(store.tag(descOf('absent', MediaType.ImageManifest), 'v1'))).toBe('NOT_FOUND');
    expect(await codeOf(store.resolve('nope'))).toBe('NOT_FOUND');
    expect(await codeOf(store.resolve(''))).toBe('INVALID_REFERENCE');
    expect(await codeOf(store.resolve('bad tag'))).toBe('INVALID_REFERENCE');
    expect(await codeOf(store.untag('nope'))).toBe('NOT_FOUND');
  });

  it('resolves a manifest blob that index.json does not list, but not a plain blob', async () => {
    const store = await OciLayoutStore.open(root);
    const { desc, body } = manifestOf([]);
    // pushed as an opaque blob: stored, but not listed
    await store.push({ ...desc, mediaType: 'application/octet-stream' }, bytes(body));
    expect((await indexJson()).manifests).toEqual([]);
    expect(await store.resolve(desc.digest)).toEqual(desc);
    const blob = descOf('not a manifest');
    await store.push(blob, bytes('not a manifest'));
    expect(await codeOf(store.resolve(blob.digest))).toBe('NOT_FOUND');
  });

  it('loses no tag when many are set at once, even from two stores on one folder', async () => {
    const first = await OciLayoutStore.open(root);
    const second = await OciLayoutStore.open(root);
    const desc = await pushManifest(first);
    const tags = Array.from({ length: 40 }, (_, i) => `t${i}`);
    await Promise.all(tags.map((t, i) => (i % 2 === 0 ? first : second).tag(desc, t)));
    expect(await collect(first.tags())).toEqual([...tags].sort());
    expect(await readdir(root)).toEqual(['blobs', 'index.json', 'oci-layout']);
  });

  it('pushes many manifests concurrently and lists them all', async () => {
    const store = await OciLayoutStore.open(root);
    const manifests = Array.from({ length: 25 }, (_, i) => manifestOf([], { annotations: { i: String(i) } }));
    await Promise.all(manifests.map(({ desc, body }) => store.push(desc, bytes(body))));
    expect((await indexJson()).manifests.map((m) => m.digest).sort()).toEqual(manifests.map((m) => m.desc.digest).sort());
  });
});

describe('OciLayoutStore referrers', () => {
  it('finds referrers pushed now and, after reopening, by scanning the layout', async () => {
    const store = await OciLayoutStore.open(root);
    const subject = await pushManifest(store, { annotations: { role: 'subject' } });
    const sbom = await pushManifest(store, { artifactType: 'application/spdx+json', subject });
    const sig = await pushManifest(store, { artifactType: 'application/vnd.example.sig', subject });
    expect((await store.predecessors(subject)).map((d) => d.digest).sort()).toEqual([sbom.digest, sig.digest].sort());
    expect((await store.predecessors(subject, { artifactType: 'application/spdx+json' })).map((d) => d.digest)).toEqual([sbom.digest]);

    const reopened = await OciLayoutStore.open(root);
    const found = await reopened.predecessors(subject);
    expect(found.map((d) => d.digest).sort()).toEqual([sbom.digest, sig.digest].sort());
    expect(found.find((d) => d.digest === sbom.digest)?.artifactType).toBe('application/spdx+json');

    await reopened.delete(sig);
    expect((await reopened.predecessors(subject)).map((d) => d.digest)).toEqual([sbom.digest]);
  });

  it('scans through image indexes to their manifests', async () => {
    const store = await OciLayoutStore.open(root);
    const subject = await pushManifest(store, { annotations: { role: 'subject' } });
    // a referrer only reachable through an index that is itself only listed
    const { desc: child, body: childBody } = manifestOf([], { subject, artifactType: 'application/x.child' });
    await store.push({ ...child, mediaType: 'application/octet-stream' }, bytes(childBody)); // not listed
    const indexBody = JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: [child] });
    await store.push(descOf(indexBody, MediaType.ImageIndex), bytes(indexBody));
    const reopened = await OciLayoutStore.open(root);
    expect((await reopened.predecessors(subject)).map((d) => d.digest)).toEqual([child.digest]);
  });
});

describe('OciLayoutStore with the seed rocket example', () => {
  it('takes the rocket from a memory store and resolves it by tag', async () => {
    const memory = new MemoryStore();
    const rocket = memory.add('rocket.txt', 'text/plain', '🚀');
    const config = memory.add('', 'application/vnd.acme.rocket.config.v1+json', '{"RocketVersion":"v0.1.0"}');
    const manifest = memory.add('', MediaType.ImageManifest, JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ImageManifest, config, layers: [rocket] }));
    const layout = await OciLayoutStore.open(root);
    for (const desc of [rocket, config, manifest]) await layout.push(desc, await memory.fetch(desc));
    await layout.tag(manifest, 'v0.1.0');
    const resolved = await layout.resolve('v0.1.0');
    expect(resolved).toEqual(manifest);
    expect((await buffer(await layout.fetch(rocket))).toString()).toBe('🚀');
  });
});
