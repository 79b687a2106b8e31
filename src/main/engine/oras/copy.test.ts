import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { Annotation, type Descriptor } from '../descriptor';
import { digestOf } from '../digest';
import { OrasError, isOrasError } from '../errors';
import { MediaType } from '../media-type';
import type { ProgressEvent } from '../content/storage';
import { copy, copyGraph } from './copy';
import { successors } from './manifest-codec';
import { packManifest } from './pack';
import { MountingTestTarget, TestTarget } from '../testing/test-target';

/** artifact stores `files` as titled text layers under a v1.1 manifest tagged `tag`. */
async function artifact(store: TestTarget, files: Record<string, string | Uint8Array>, tag = 'v1', extra: { subject?: Descriptor; artifactType?: string } = {}) {
  const layers = Object.entries(files).map(([name, content]) => store.add('text/plain', content, { [Annotation.Title]: name }));
  const root = await packManifest(store, { layers, created: false, ...extra });
  if (tag) await store.tag(root, tag);
  store.log.length = 0;
  return { root, layers };
}

function pushes(target: TestTarget, digest: string): number {
  return target.log.filter((line) => line === `push ${digest}`).length;
}

function expectBefore(log: string[], first: string, then: string): void {
  const a = log.indexOf(first);
  const b = log.indexOf(then);
  expect(a, `${first} in log`).toBeGreaterThanOrEqual(0);
  expect(b, `${then} in log`).toBeGreaterThan(a);
}

describe('copy', () => {
  it('copies every node, blobs before the manifest, and tags the destination', async () => {
    const src = new TestTarget();
    const dst = new TestTarget();
    const { root, layers } = await artifact(src, { 'a.txt': 'alpha', 'b.txt': 'beta' });

    const copied = await copy(src, 'v1', dst, 'v2');

    expect(copied.digest).toBe(root.digest);
    expect(dst.bytesOf(root)).toEqual(src.bytesOf(root));
    for (const layer of layers) expectBefore(dst.log, `pushed ${layer.digest}`, `push ${root.digest}`);
    expect((await dst.resolve('v2')).digest).toBe(root.digest);
    expect(dst.log.at(-1)).toBe('tag v2');
  });

  it('defaults dstRef to srcRef, and a digest reference tags nothing', async () => {
    const src = new TestTarget();
    const { root } = await artifact(src, { 'a.txt': 'a' });
    const dst = new TestTarget();
    await copy(src, 'v1', dst);
    expect(dst.tagMap.has('v1')).toBe(true);
    const byDigest = new TestTarget();
    await copy(src, root.digest, byDigest);
    expect(byDigest.tagMap.size).toBe(0);
    expect(byDigest.bytesOf(root)).toBeDefined();
  });

  it('skips what the destination has, reporting it', async () => {
    const src = new TestTarget();
    const { root, layers } = await artifact(src, { 'a.txt': 'alpha', 'b.txt': 'beta' });
    const dst = new TestTarget();
    dst.add('text/plain', 'alpha');
    const skipped: Descriptor[] = [];
    const events: ProgressEvent[] = [];
    await copy(src, 'v1', dst, 'v1', { onCopySkipped: (d) => skipped.push(d), onProgress: (e) => events.push(e) });
    expect(skipped.map((d) => d.digest)).toEqual([layers[0]!.digest]);
    expect(events.find((e) => e.descriptor.digest === layers[0]!.digest)).toMatchObject({ state: 'skipped', bytes: 5 });
    expect(pushes(dst, layers[0]!.digest)).toBe(0);
    expect(pushes(dst, layers[1]!.digest)).toBe(1);

    // A root already there means its whole graph is: only the tag is written.
    dst.log.length = 0;
    src.fetchCount.clear();
    await copy(src, 'v1', dst, 'again');
    expect(dst.log.filter((l) => l.startsWith('push'))).toEqual([]);
    expect(src.fetchCount.size).toBe(0);
    expect(dst.tagMap.get('again')?.digest).toBe(root.digest);
  });

  it('runs at most `concurrency` transfers at once, and does run them in parallel', async () => {
    const files = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}.txt`, `content ${i}`]));
    for (const [concurrency, expected] of [[undefined, 3], [1, 1], [5, 5]] as const) {
      const src = new TestTarget();
      await artifact(src, files);
      const dst = new TestTarget();
      dst.delayMs = 5;
      await copy(src, 'v1', dst, 'v1', { concurrency });
      expect(dst.maxInFlight).toBe(expected);
    }
  });

  it('moves small blobs through their own limiter when given smallBlobConcurrency, large ones within concurrency', async () => {
    const files: Record<string, string | Uint8Array> = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.txt`, `content ${i}`]));
    for (let i = 0; i < 4; i++) files[`big${i}.bin`] = new Uint8Array(64 * 1024 + 1 + i);
    const src = new TestTarget();
    const { layers } = await artifact(src, files);
    const dst = new TestTarget();
    dst.delayMs = 5;
    await copy(src, 'v1', dst, 'v1', { concurrency: 2, smallBlobConcurrency: 6 });
    // At most 6 small and 2 large at once; the small ones did run 6 at once.
    expect(dst.maxInFlight).toBeGreaterThanOrEqual(6);
    expect(dst.maxInFlight).toBeLessThanOrEqual(8);
    for (const layer of layers) expect(pushes(dst, layer.digest)).toBe(1);
  });

  it('copies a blob shared by several manifests once, and each index child before the index', async () => {
    const src = new TestTarget();
    const shared = src.add('text/plain', 'shared', { [Annotation.Title]: 'shared.txt' });
    const one = await packManifest(src, { layers: [shared, src.add('text/plain', 'one')], created: false });
    const two = await packManifest(src, { layers: [shared, src.add('text/plain', 'two')], created: false });
    const index = src.addJson(MediaType.ImageIndex, { schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: [one, two] });
    await src.tag(index, 'multi');
    const dst = new TestTarget();
    dst.delayMs = 2;

    await copy(src, 'multi', dst, 'multi', { concurrency: 4 });

    expect(pushes(dst, shared.digest)).toBe(1);
    expect(src.fetchCount.get(shared.digest)).toBe(1);
    expectBefore(dst.log, `pushed ${shared.digest}`, `push ${one.digest}`);
    expectBefore(dst.log, `pushed ${shared.digest}`, `push ${two.digest}`);
    expectBefore(dst.log, `pushed ${one.digest}`, `push ${index.digest}`);
    expectBefore(dst.log, `pushed ${two.digest}`, `push ${index.digest}`);
  });

  it('reports progress per chunk, summing to each size, ending with done', async () => {
    const src = new TestTarget();
    src.chunkSize = 3;
    const { root, layers } = await artifact(src, { 'a.txt': 'abcdefghij', 'b.txt': 'klmnopq', 'empty.txt': '' });
    const events: ProgressEvent[] = [];
    await copy(src, 'v1', new TestTarget(), 'v1', { onProgress: (e) => events.push(e) });
    for (const desc of [...layers, root]) {
      const mine = events.filter((e) => e.descriptor.digest === desc.digest);
      expect(mine[0]).toMatchObject({ state: 'started', bytes: 0 });
      expect(mine.at(-1)).toMatchObject({ state: 'done', bytes: desc.size });
      const progress = mine.filter((e) => e.state === 'progress').map((e) => e.bytes);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      if (desc.mediaType === 'text/plain' && desc.size > 0) {
        expect(progress).toHaveLength(Math.ceil(desc.size / 3));
        expect(progress.at(-1)).toBe(desc.size);
      }
    }
  });

  it('stops when aborted mid-transfer, leaving no manifest behind', async () => {
    const src = new TestTarget();
    src.chunkSize = 16 * 1024;
    src.delayMs = 2;
    const { root, layers } = await artifact(src, { 'big.bin': new Uint8Array(1024 * 1024) });
    const dst = new TestTarget();
    const controller = new AbortController();
    const promise = copy(src, 'v1', dst, 'v1', {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.state === 'progress') controller.abort();
      },
    });
    await expect(promise).rejects.toMatchObject({ code: 'ABORTED' });
    expect(dst.bytesOf(layers[0]!)).toBeUndefined();
    expect(dst.bytesOf(root)).toBeUndefined();
    expect(dst.tagMap.size).toBe(0);
  });

  it('fails with DIGEST_MISMATCH on the source side when the source returns altered bytes', async () => {
    const src = new TestTarget();
    const { root, layers } = await artifact(src, { 'a.txt': 'alpha', 'b.txt': 'beta' });
    src.tampered.set(layers[1]!.digest, Buffer.from('BETA'));
    const dst = new TestTarget();
    const err = await copy(src, 'v1', dst, 'v1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrasError);
    expect(err).toMatchObject({ code: 'DIGEST_MISMATCH', side: 'source' });
    expect((err as OrasError).message).toMatch(/^source: /);
    expect(dst.bytesOf(root)).toBeUndefined();
    expect(dst.bytesOf(layers[1]!)).toBeUndefined();
    expect(dst.tagMap.size).toBe(0);
  });

  it('says the destination failed, keeping its code, and the source for a missing reference', async () => {
    const src = new TestTarget();
    const { root } = await artifact(src, { 'a.txt': 'alpha' });
    const dst = new TestTarget();
    vi.spyOn(dst, 'push').mockRejectedValue(new OrasError('DENIED', 'push denied'));
    await expect(copy(src, 'v1', dst)).rejects.toMatchObject({ code: 'DENIED', side: 'destination', message: 'destination: push denied' });
    expect(dst.bytesOf(root)).toBeUndefined();

    await expect(copy(src, 'nope', new TestTarget())).rejects.toMatchObject({ code: 'NOT_FOUND', side: 'source', message: expect.stringMatching(/^source: /) });
    const plain = new TestTarget();
    vi.spyOn(plain, 'exists').mockRejectedValue(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(copy(src, 'v1', plain)).rejects.toMatchObject({ code: 'NETWORK', side: 'destination' });
  });

  it('refuses a bad destination tag before moving any byte', async () => {
    const src = new TestTarget();
    await artifact(src, { 'a.txt': 'alpha' });
    const dst = new TestTarget();
    await expect(copy(src, 'v1', dst, 'bad tag!')).rejects.toMatchObject({ code: 'INVALID_REFERENCE' });
    expect(dst.log).toEqual([]);
  });

  it('copies referrers, and theirs, with includeReferrers', async () => {
    const src = new TestTarget();
    const { root } = await artifact(src, { 'a.txt': 'alpha' });
    const sig = await artifact(src, { 'sig.json': '{"sig":1}' }, '', { subject: root, artifactType: 'application/vnd.acme.sig' });
    const sigOfSig = await artifact(src, { 'sig2.json': '{"sig":2}' }, '', { subject: sig.root, artifactType: 'application/vnd.acme.sig' });

    const without = new TestTarget();
    await copy(src, 'v1', without);
    expect(without.bytesOf(sig.root)).toBeUndefined();

    const dst = new TestTarget();
    await copy(src, 'v1', dst, 'v1', { includeReferrers: true });
    expect(dst.bytesOf(sig.root)).toEqual(src.bytesOf(sig.root));
    expect(dst.bytesOf(sigOfSig.root)).toEqual(src.bytesOf(sigOfSig.root));
    expect(dst.bytesOf(sigOfSig.layers[0]!)).toBeDefined();
    expect((await dst.predecessors(root)).map((d) => d.digest)).toEqual([sig.root.digest]);
  });

  it('mounts blobs when the destination can, falling back to upload', async () => {
    const src = new TestTarget();
    const { root, layers } = await artifact(src, { 'a.txt': 'alpha', 'b.txt': 'beta' });
    const dst = new MountingTestTarget();
    const other = new TestTarget();
    other.add('text/plain', 'alpha');
    dst.mountable.set('other/repo', other);
    const mounted: string[] = [];
    await copy(src, 'v1', dst, 'v1', { mountFrom: 'other/repo', onMounted: (d, from) => mounted.push(`${from} ${d.digest}`) });
    expect(mounted).toEqual([`other/repo ${layers[0]!.digest}`]);
    expect(src.fetchCount.get(layers[0]!.digest)).toBeUndefined();
    expect(dst.bytesOf(layers[1]!)?.toString()).toBe('beta');
    expect(dst.bytesOf(root)).toBeDefined();
  });
});

describe('copyGraph streaming and failure', () => {
  it('streams a blob from source to destination without buffering it whole', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(7);
    const count = 128; // 8 MiB
    const whole = Buffer.concat(Array.from({ length: count }, () => chunk));
    const blob: Descriptor = { mediaType: 'application/octet-stream', digest: digestOf(whole), size: whole.byteLength };
    let produced = 0;
    const src = {
      exists: async () => true,
      fetch: async () =>
        Readable.from(
          (function* () {
            for (let i = 0; i < count; i++, produced++) yield chunk;
          })(),
          { objectMode: false },
        ),
    };
    let producedAtFirstChunk = -1;
    let received = 0;
    const dst = {
      exists: async () => false,
      fetch: async () => Readable.from([]),
      push: async (_desc: Descriptor, content: Readable) => {
        for await (const c of content) {
          if (producedAtFirstChunk < 0) producedAtFirstChunk = produced;
          received += (c as Uint8Array).byteLength;
        }
      },
    };
    await copyGraph(src, dst, blob);
    expect(received).toBe(blob.size);
    expect(producedAtFirstChunk).toBeLessThan(8);
  });

  it('stops the other transfers after the first failure and writes nothing after it returns', async () => {
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.txt`, `content ${i}`]));
    const src = new TestTarget();
    const { layers } = await artifact(src, files);
    const dst = new TestTarget();
    dst.delayMs = 5;
    const push = dst.push.bind(dst);
    vi.spyOn(dst, 'push').mockImplementation(async (desc, content, io) => {
      if (desc.digest === layers[0]!.digest) throw new OrasError('DENIED', 'no');
      return push(desc, content, io);
    });
    await expect(copy(src, 'v1', dst)).rejects.toMatchObject({ code: 'DENIED', side: 'destination' });
    const logged = dst.log.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(dst.log.length).toBe(logged);
    expect(dst.log.filter((l) => l.startsWith('pushed')).length).toBeLessThan(layers.length);
  });
});

describe('copyGraph', () => {
  it('copies only the children findSuccessors picks', async () => {
    const src = new TestTarget();
    const { root, layers } = await artifact(src, { 'keep.txt': 'keep', 'drop.txt': 'drop' });
    const dst = new TestTarget();
    await copyGraph(src, dst, root, {
      findSuccessors: async (fetcher, desc, io) =>
        (await successors(fetcher, desc, io)).filter((d) => d.annotations?.[Annotation.Title] !== 'drop.txt'),
    });
    expect(dst.bytesOf(layers[0]!)).toBeDefined();
    expect(dst.bytesOf(layers[1]!)).toBeUndefined();
    expect(dst.bytesOf(root)).toBeDefined();
    // The hook read the manifest from memory: the source served it once.
    expect(src.fetchCount.get(root.digest)).toBe(1);
  });

  it('refuses includeReferrers from a source that cannot list them', async () => {
    const src = new TestTarget();
    const { root } = await artifact(src, { 'a.txt': 'alpha' });
    const blind = { fetch: src.fetch.bind(src), exists: src.exists.bind(src) };
    await expect(copyGraph(blind, new TestTarget(), root, { includeReferrers: true })).rejects.toSatisfy(
      (err: unknown) => isOrasError(err, 'UNSUPPORTED') && err.side === 'source',
    );
  });
});
