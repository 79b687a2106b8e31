import { createHash } from 'node:crypto';
import { access, link, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../digest';
import { Annotation, type Descriptor } from '../descriptor';
import { isOrasError } from '../errors';
import { MediaType } from '../media-type';
import { FileStore } from './file-store';
import { MemoryStore } from './memory-store';
import { snapshot, tarOf, tgzOf } from '../testing/tar-fixtures';

let work: string;
let root: string;
let outside: string;
const stores: FileStore[] = [];

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'file-store-'));
  root = path.join(work, 'root');
  outside = path.join(work, 'outside');
  await mkdir(root);
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret'), 'untouched');
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await rm(work, { recursive: true, force: true });
});

function store(dir = root, options: ConstructorParameters<typeof FileStore>[1] = {}): FileStore {
  const s = new FileStore(dir, options);
  stores.push(s);
  return s;
}

function layer(title: string, body: string | Buffer, extra: Partial<Descriptor> = {}): Descriptor {
  const data = Buffer.from(body);
  return { mediaType: 'text/plain', digest: digestOf(data), size: data.length, annotations: { [Annotation.Title]: title }, ...extra };
}

function bytes(body: string | Buffer): Readable {
  return Readable.from([Buffer.from(body)]);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isOrasError(err)) throw new Error(`expected an OrasError, got ${String(err)}`);
  return err.code;
}

/** Nothing changed outside the root, and the root holds exactly `names`. */
async function expectUntouched(names: string[] = []): Promise<void> {
  expect(await readFile(path.join(outside, 'secret'), 'utf8')).toBe('untouched');
  expect((await readdir(outside)).sort()).toEqual(['secret']);
  expect((await readdir(root)).sort()).toEqual(names.sort());
}

function bigBuffer(size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4096) data.writeUInt32LE(i, i);
  return data;
}

describe('FileStore push side: add', () => {
  it('adds a file by streaming it: digest, size, title and default media type', async () => {
    await writeFile(path.join(root, 'rocket.txt'), '🚀');
    const files = store();
    const desc = await files.add('rocket.txt', '');
    expect(desc).toEqual({
      mediaType: MediaType.DefaultLayer,
      digest: 'sha256:ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5',
      size: 4,
      annotations: { [Annotation.Title]: 'rocket.txt' },
    });
    expect((await buffer(await files.fetch(desc))).toString()).toBe('🚀');
    expect(await files.exists(desc)).toBe(true);
  });

  it('adds a file from another path under a chosen name', async () => {
    const source = path.join(outside, 'secret');
    const desc = await store().add('renamed.txt', 'text/plain', source);
    expect(desc.annotations?.[Annotation.Title]).toBe('renamed.txt');
    expect(desc.digest).toBe(digestOf('untouched'));
  });

  it('refuses an empty name, a duplicate name, a bad media type and a missing file', async () => {
    await writeFile(path.join(root, 'a.txt'), 'a');
    const files = store();
    expect(await codeOf(files.add('', 'text/plain'))).toBe('INVALID_ARGUMENT');
    await files.add('a.txt', 'text/plain');
    expect(await codeOf(files.add('a.txt', 'text/plain'))).toBe('ALREADY_EXISTS');
    expect(await codeOf(files.add('b.txt', 'no-slash'))).toBe('INVALID_MEDIA_TYPE');
    expect(await codeOf(files.add('missing.txt', 'text/plain'))).toBe('NOT_FOUND');
  });

  it('detects a large file changed after it was added when it is fetched', async () => {
    const before = Buffer.alloc(100 * 1024, 1);
    await writeFile(path.join(root, 'a.bin'), before);
    const files = store();
    const desc = await files.add('a.bin', 'application/octet-stream');
    await writeFile(path.join(root, 'a.bin'), Buffer.alloc(100 * 1024, 2));
    expect(await codeOf(buffer(await files.fetch(desc)))).toBe('DIGEST_MISMATCH');
  });

  it('serves a small file as it was added, read once, even when it changed since', async () => {
    await writeFile(path.join(root, 'a.txt'), 'before');
    const files = store();
    const desc = await files.add('a.txt', 'text/plain');
    await writeFile(path.join(root, 'a.txt'), 'after!');
    expect((await buffer(await files.fetch(desc))).toString()).toBe('before');
  });

  it('packs a folder reproducibly with the unpack annotations', async () => {
    const dir = path.join(root, 'docs');
    await mkdir(path.join(dir, 'sub'), { recursive: true });
    await writeFile(path.join(dir, 'sub', 'x.md'), '# x');
    const first = await store().add('docs', '');
    const second = await store().add('docs', '');
    expect(first).toEqual(second);
    expect(first.mediaType).toBe(MediaType.ImageLayerGzip);
    expect(first.annotations?.[Annotation.ContentUnpack]).toBe('true');
    expect(first.annotations?.[Annotation.ContentDigest]).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it('refuses to pack a folder holding a symlink to outside it', async () => {
    await mkdir(path.join(root, 'docs'));
    await symlink(path.join(outside, 'secret'), path.join(root, 'docs', 'leak'));
    expect(await codeOf(store().add('docs', ''))).toBe('UNSAFE_PATH');
  });

  it('stops adding when aborted', async () => {
    await writeFile(path.join(root, 'a.txt'), 'a');
    const controller = new AbortController();
    controller.abort();
    const files = store();
    expect(await codeOf(files.add('a.txt', '', undefined, { signal: controller.signal }))).toBe('ABORTED');
    // the name is free again
    await files.add('a.txt', '');
  });
});

describe('FileStore pull side: push', () => {
  it('writes a titled layer under the root, creating folders', async () => {
    const files = store();
    const desc = layer('deep/er/file.txt', 'hello');
    await files.push(desc, bytes('hello'));
    expect(await readFile(path.join(root, 'deep', 'er', 'file.txt'), 'utf8')).toBe('hello');
    expect(await files.exists(desc)).toBe(true);
    expect((await buffer(await files.fetch(desc))).toString()).toBe('hello');
  });

  it('streams a few MiB through and back with identical bytes', async () => {
    const data = bigBuffer(6 * 1024 * 1024 + 3);
    const files = store();
    const desc = layer('big.bin', data);
    const chunks = Readable.from((function* () {
      for (let i = 0; i < data.length; i += 65536) yield data.subarray(i, i + 65536);
    })());
    await files.push(desc, chunks);
    const written = await readFile(path.join(root, 'big.bin'));
    expect(createHash('sha256').update(written).digest('hex')).toBe(desc.digest.slice(7));
    expect((await buffer(await files.fetch(desc))).equals(data)).toBe(true);
  });

  describe('refuses unsafe titles, writing nothing', () => {
    it.each(['../x', '/etc/x', 'C:\\x', 'a/../../x', '..\\x', '.', 'a/..', 'nul\0byte'])('%j', async (title) => {
      expect(await codeOf(store().push(layer(title, 'pwned'), bytes('pwned')))).toBe('UNSAFE_PATH');
      await expectUntouched();
    });

    it('a title through a symlinked folder', async () => {
      await symlink(outside, path.join(root, 'link'));
      expect(await codeOf(store().push(layer('link/x', 'pwned'), bytes('pwned')))).toBe('UNSAFE_PATH');
      expect(await codeOf(store(root, { overwrite: true }).push(layer('link/secret', 'pwned'), bytes('pwned')))).toBe('UNSAFE_PATH');
      await expectUntouched(['link']);
    });

    it('a title that is an existing symlink', async () => {
      await symlink(path.join(outside, 'secret'), path.join(root, 'x'));
      expect(await codeOf(store(root, { overwrite: true }).push(layer('x', 'pwned'), bytes('pwned')))).toBe('UNSAFE_PATH');
      await expectUntouched(['x']);
    });

    it('a small file whose name is a dangling symlink to outside', async () => {
      // The in-place write of a new small file must not create the link's target.
      await symlink(path.join(outside, 'planted'), path.join(root, 'x'));
      expect(await codeOf(store(root, { overwrite: true }).push(layer('x', 'pwned'), bytes('pwned')))).toBe('UNSAFE_PATH');
      await expectUntouched(['x']);
    });

    it('a title that is a file hard-linked from outside', async () => {
      await link(path.join(outside, 'secret'), path.join(root, 'x'));
      expect(await codeOf(store(root, { overwrite: true }).push(layer('x', 'pwned'), bytes('pwned')))).toBe('UNSAFE_PATH');
      await expectUntouched(['x']);
    });
  });

  it('keeps an existing file unless overwrite is set', async () => {
    await writeFile(path.join(root, 'a.txt'), 'mine');
    const err = await store().push(layer('a.txt', 'theirs'), bytes('theirs')).catch((e: unknown) => e);
    expect(isOrasError(err, 'ALREADY_EXISTS')).toBe(true);
    expect((err as Error).message).toMatch(/--overwrite/);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('mine');
    await store(root, { overwrite: true }).push(layer('a.txt', 'theirs'), bytes('theirs'));
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('theirs');
    await expectUntouched(['a.txt']);
  });

  it.each([
    ['truncated', 'hell', 'SIZE_MISMATCH'],
    ['longer', 'hello, world', 'SIZE_MISMATCH'],
    ['altered', 'jello', 'DIGEST_MISMATCH'],
  ])('refuses %s content and leaves no file or folder behind', async (_name, body, code) => {
    expect(await codeOf(store().push(layer('new/dir/a.txt', 'hello'), bytes(body)))).toBe(code);
    await expectUntouched();
  });

  it('refuses bad content for a small file in the folder itself before creating it', async () => {
    expect(await codeOf(store().push(layer('a.txt', 'hello'), bytes('jello')))).toBe('DIGEST_MISMATCH');
    expect(await codeOf(store().push(layer('a.txt', 'hello'), bytes('hell')))).toBe('SIZE_MISMATCH');
    await expectUntouched();
  });

  it('keeps the old file when overwriting with bad content', async () => {
    await writeFile(path.join(root, 'a.txt'), 'mine');
    expect(await codeOf(store(root, { overwrite: true }).push(layer('a.txt', 'hello'), bytes('jello')))).toBe('DIGEST_MISMATCH');
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('mine');
    await expectUntouched(['a.txt']);
  });

  it('stops when aborted and leaves nothing', async () => {
    const controller = new AbortController();
    const slow = new Readable({ read() {} });
    slow.push(Buffer.alloc(1000));
    const pushing = store().push(layer('sub/slow.bin', Buffer.alloc(5000)), slow, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await codeOf(pushing)).toBe('ABORTED');
    await expectUntouched();
  });

  it('writes content pushed twice under one name once, and refuses a second content for it', async () => {
    const files = store();
    const desc = layer('a.txt', 'one');
    await Promise.all([files.push(desc, bytes('one')), files.push(desc, bytes('one'))]);
    expect(await codeOf(files.push(layer('a.txt', 'two'), bytes('two')))).toBe('ALREADY_EXISTS');
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('one');
  });

  it('pushes many files concurrently', async () => {
    const files = store();
    const descs = Array.from({ length: 20 }, (_, i) => layer(`d${i % 3}/f${i}.txt`, `content ${i}`));
    await Promise.all(descs.map((d, i) => files.push(d, bytes(`content ${i}`))));
    for (const [i] of descs.entries()) {
      expect(await readFile(path.join(root, `d${i % 3}`, `f${i}.txt`), 'utf8')).toBe(`content ${i}`);
    }
  });

  it('keeps untitled content in memory, large untitled content in a temp file removed by close', async () => {
    const files = store(root, { maxMemoryBytes: 10 });
    const small = { mediaType: 'application/json', digest: digestOf('{}'), size: 2 };
    const largeBody = bigBuffer(1024 * 1024);
    const large = { mediaType: 'application/octet-stream', digest: digestOf(largeBody), size: largeBody.length };
    await files.push(small, bytes('{}'));
    await files.push(large, bytes(largeBody));
    expect((await buffer(await files.fetch(small))).toString()).toBe('{}');
    expect((await buffer(await files.fetch(large))).equals(largeBody)).toBe(true);
    await expectUntouched();
    const tmp = await (files as unknown as { tmpDir: Promise<string> }).tmpDir;
    await access(tmp);
    await files.close();
    await expect(access(tmp)).rejects.toThrow();
    expect(await codeOf(files.fetch(small))).toBe('INVALID_ARGUMENT');
  });

  it('says a titled descriptor is missing until its name is written', async () => {
    const files = store();
    const desc = layer('a.txt', 'a');
    expect(await files.exists(desc)).toBe(false);
    expect(await codeOf(files.fetch(desc))).toBe('NOT_FOUND');
  });

  it('tags, resolves and lists tags, and finds referrers among untitled manifests', async () => {
    const files = store();
    const subject = { mediaType: MediaType.ImageManifest, digest: digestOf('subject'), size: 7 };
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ImageManifest, artifactType: 'application/x.sig', config: subject, layers: [], subject });
    const desc = { mediaType: MediaType.ImageManifest, digest: digestOf(manifest), size: Buffer.byteLength(manifest) };
    await files.push(desc, bytes(manifest));
    await files.tag(desc, 'v1');
    expect(await files.resolve('v1')).toEqual(desc);
    expect(await files.resolve(desc.digest)).toEqual(desc);
    const tags: string[] = [];
    for await (const t of files.tags()) tags.push(t);
    expect(tags).toEqual(['v1']);
    expect((await files.predecessors(subject)).map((d) => d.digest)).toEqual([desc.digest]);
    expect(await codeOf(files.tag(subject, 'v2'))).toBe('NOT_FOUND');
    expect(await codeOf(files.resolve('v2'))).toBe('NOT_FOUND');
  });
});

describe('FileStore folders', () => {
  async function makeFolder(dir: string): Promise<void> {
    await mkdir(path.join(dir, 'sub', 'empty'), { recursive: true });
    await writeFile(path.join(dir, 'a.txt'), 'ay');
    await writeFile(path.join(dir, 'sub', 'big.bin'), bigBuffer(2 * 1024 * 1024));
    await symlink('../a.txt', path.join(dir, 'sub', 'to-a'));
  }

  it('round-trips a folder: add, push into another store, identical bytes', async () => {
    const src = path.join(work, 'src');
    await makeFolder(path.join(src, 'site'));
    const from = store(src);
    const desc = await from.add('site', '');
    const to = store(root);
    await to.push(desc, await from.fetch(desc));
    expect(await snapshot(path.join(root, 'site'))).toEqual(await snapshot(path.join(src, 'site')));
    expect(await to.exists(desc)).toBe(true);
    // the verified blob is kept, so it can be served again
    expect((await buffer(await to.fetch(desc))).length).toBe(desc.size);
    await expectUntouched(['site']);
  });

  it('keeps an existing folder unless overwrite is set, then replaces it whole', async () => {
    const src = path.join(work, 'src');
    await makeFolder(path.join(src, 'site'));
    const from = store(src);
    const desc = await from.add('site', '');
    await mkdir(path.join(root, 'site'));
    await writeFile(path.join(root, 'site', 'old.txt'), 'old');
    expect(await codeOf(store(root).push(desc, await from.fetch(desc)))).toBe('ALREADY_EXISTS');
    expect(await readdir(path.join(root, 'site'))).toEqual(['old.txt']);
    await store(root, { overwrite: true }).push(desc, await from.fetch(desc));
    expect(await snapshot(path.join(root, 'site'))).toEqual(await snapshot(path.join(src, 'site')));
    await expectUntouched(['site']);
  });

  function folderLayer(title: string, archive: Buffer, tarDigest?: string): Descriptor {
    return {
      mediaType: MediaType.ImageLayerGzip,
      digest: digestOf(archive),
      size: archive.length,
      annotations: { [Annotation.Title]: title, [Annotation.ContentUnpack]: 'true', ...(tarDigest ? { [Annotation.ContentDigest]: tarDigest } : {}) },
    };
  }

  it('refuses a malicious archive and leaves nothing behind', async () => {
    const archive = tgzOf([{ path: 'site/ok.txt', body: 'ok' }, { path: 'site/../../outside/secret', body: 'pwned' }]);
    expect(await codeOf(store().push(folderLayer('site', archive), bytes(archive)))).toBe('UNSAFE_PATH');
    await expectUntouched();
  });

  it('refuses an archive whose tar digest differs from its annotation', async () => {
    const entries = [{ path: 'site/a.txt', body: 'a' }];
    const archive = tgzOf(entries);
    expect(await codeOf(store().push(folderLayer('site', archive, digestOf('other')), bytes(archive)))).toBe('DIGEST_MISMATCH');
    await expectUntouched();
    await store().push(folderLayer('site', archive, digestOf(tarOf(entries))), bytes(archive));
    expect(await readFile(path.join(root, 'site', 'a.txt'), 'utf8')).toBe('a');
  });

  it('refuses an altered blob before unpacking it', async () => {
    const archive = tgzOf([{ path: 'site/a.txt', body: 'a' }]);
    const other = tgzOf([{ path: 'site/a.txt', body: 'b' }]);
    expect(await codeOf(store().push(folderLayer('nested/site', archive), bytes(other)))).toMatch(/MISMATCH/);
    await expectUntouched();
  });

  it('refuses a folder title through a symlink', async () => {
    await symlink(outside, path.join(root, 'link'));
    const archive = tgzOf([{ path: 'link/site/a.txt', body: 'a' }]);
    expect(await codeOf(store().push(folderLayer('link/site', archive), bytes(archive)))).toBe('UNSAFE_PATH');
    await expectUntouched(['link']);
  });

  it('gives the unpacked folder a normal mode, not the private temp mode', async () => {
    const archive = tgzOf([{ path: 'site/', mode: 0o755 }, { path: 'site/a.txt', body: 'a' }]);
    await store().push(folderLayer('site', archive), bytes(archive));
    expect((await stat(path.join(root, 'site'))).mode & 0o777).toBe(0o755);
  });
});

describe('FileStore with the seed rocket example', () => {
  it('pulls the rocket from a memory store into files', async () => {
    const memory = new MemoryStore();
    const rocket = memory.add('rocket.txt', 'text/plain', '🚀');
    const config = memory.add('', 'application/vnd.acme.rocket.config.v1+json', '{"RocketVersion":"v0.1.0"}');
    const files = store();
    for (const desc of [config, rocket]) await files.push(desc, await memory.fetch(desc));
    expect(await readFile(path.join(root, 'rocket.txt'), 'utf8')).toBe('🚀');
    expect(await files.exists(config)).toBe(true);
    await expectUntouched(['rocket.txt']);
  });
});
