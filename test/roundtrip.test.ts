import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestStream, digestOf } from '../src/main/engine/digest';
import { Annotation, type Descriptor } from '../src/main/engine/descriptor';
import { FileStore } from '../src/main/engine/content/file-store';
import { MemoryStore } from '../src/main/engine/content/memory-store';
import { OciLayoutStore } from '../src/main/engine/content/oci-layout-store';
import { OrasError } from '../src/main/engine/errors';
import { copy, packManifest, pull, push } from '../src/main/engine/oras';
import { Registry } from '../src/main/engine/registry/registry';
import { useTempDirs } from './support/tmp';

const tempDir = useTempDirs('oras-roundtrip-');

async function pushFiles(registry: Registry, ref: string, dir: string, names: string[], mediaType = 'application/octet-stream'): Promise<Descriptor> {
  const store = new FileStore(dir);
  try {
    const layers: Descriptor[] = [];
    for (const name of names) layers.push(await store.add(name, mediaType));
    const [repo, tag] = ref.split(':') as [string, string];
    return await push(store, registry.repository(repo), tag, { layers, artifactType: 'application/vnd.test.roundtrip' });
  } finally {
    await store.close();
  }
}

async function pullInto(registry: Registry, ref: string, dir: string): Promise<Descriptor[]> {
  const store = new FileStore(dir);
  try {
    const [repo, tag] = ref.split(':') as [string, string];
    return (await pull(registry.repository(repo), tag, store)).files;
  } finally {
    await store.close();
  }
}

async function sha(path: string): Promise<string> {
  return (await digestStream(createReadStream(path))).digest;
}

async function listTree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}
import { useRegistry } from './support/registry-fixture';

describe('round trips through a real registry give identical bytes', () => {
  const fx = useRegistry();

  it('one file', async () => {
    const src = await tempDir();
    await writeFile(join(src, 'hello.txt'), 'hello world\n');
    await pushFiles(fx.registry, 'rt/one:v1', src, ['hello.txt'], 'text/plain');
    const out = await tempDir();
    await pullInto(fx.registry, 'rt/one:v1', out);
    expect(await readFile(join(out, 'hello.txt'), 'utf8')).toBe('hello world\n');
  });

  it('many files, in sub-folders too', async () => {
    const src = await tempDir();
    const names: string[] = [];
    await mkdir(join(src, 'sub'));
    for (let i = 0; i < 40; i++) {
      const name = i % 2 ? `sub/file-${i}.bin` : `file-${i}.bin`;
      await writeFile(join(src, name), randomBytes(1000 + i));
      names.push(name);
    }
    await pushFiles(fx.registry, 'rt/many:v1', src, names);
    const out = await tempDir();
    const files = await pullInto(fx.registry, 'rt/many:v1', out);
    expect(files).toHaveLength(40);
    for (const name of names) expect(await sha(join(out, name))).toBe(await sha(join(src, name)));
  });

  it('a directory, packed as tar+gzip and unpacked on pull', async () => {
    const src = await tempDir();
    await mkdir(join(src, 'site/css'), { recursive: true });
    await writeFile(join(src, 'site/index.html'), '<h1>hi</h1>');
    await writeFile(join(src, 'site/css/a.css'), 'body{}');
    await writeFile(join(src, 'site/big.bin'), randomBytes(300_000));
    const root = await pushFiles(fx.registry, 'rt/dir:v1', src, ['site'], '');
    const manifest = (await fx.registry.repository('rt/dir').fetchManifest(root.digest)).bytes.toString();
    expect(manifest).toContain(Annotation.ContentDigest);
    expect(manifest).toContain(`"${Annotation.ContentUnpack}":"true"`);
    const out = await tempDir();
    await pullInto(fx.registry, 'rt/dir:v1', out);
    expect(await listTree(join(out, 'site'))).toEqual(await listTree(join(src, 'site')));
    for (const name of ['index.html', 'css/a.css', 'big.bin']) {
      expect(await sha(join(out, 'site', name))).toBe(await sha(join(src, 'site', name)));
    }
  });

  it('a large file, streamed', async () => {
    const src = await tempDir();
    const big = join(src, 'large.bin');
    const block = randomBytes(1024 * 1024);
    await writeFile(big, '');
    const { open } = await import('node:fs/promises');
    const handle = await open(big, 'w');
    for (let i = 0; i < 64; i++) {
      block.writeUInt32LE(i, 0);
      await handle.write(block);
    }
    await handle.close();
    await pushFiles(fx.registry, 'rt/large:v1', src, ['large.bin']);
    const out = await tempDir();
    await pullInto(fx.registry, 'rt/large:v1', out);
    expect(await sha(join(out, 'large.bin'))).toBe(await sha(big));
  });

  it('an OCI layout to a registry and back to another layout', async () => {
    const layoutA = await OciLayoutStore.open(await tempDir());
    const memory = new MemoryStore();
    const layer = memory.add('data.txt', 'text/plain', 'layout content');
    const root = await push(memory, layoutA, 'v1', { layers: [layer], artifactType: 'application/vnd.test.layout' });
    await copy(layoutA, 'v1', fx.registry.repository('rt/layout'), 'copied');
    expect((await fx.registry.repository('rt/layout').resolve('copied')).digest).toBe(root.digest);
    const layoutB = await OciLayoutStore.open(await tempDir());
    await copy(fx.registry.repository('rt/layout'), 'copied', layoutB, 'back');
    expect((await layoutB.resolve('back')).digest).toBe(root.digest);
    const out = await tempDir();
    const files = new FileStore(out);
    await pull(layoutB, 'back', files);
    await files.close();
    expect(await readFile(join(out, 'data.txt'), 'utf8')).toBe('layout content');
  });

  it('copies an artifact with its referrers between repositories (cp -r)', async () => {
    const memory = new MemoryStore();
    const layer = memory.add('app.bin', 'application/octet-stream', 'app');
    const subject = await push(memory, fx.registry.repository('rt/src'), 'v1', { layers: [layer], artifactType: 'application/vnd.test.app' });
    const sig = memory.add('sig.txt', 'text/plain', 'signature');
    const referrer = await packManifest(memory, { artifactType: 'application/vnd.test.sig', layers: [sig], subject });
    await copy(memory, referrer.digest, fx.registry.repository('rt/src'), referrer.digest);
    await copy(fx.registry.repository('rt/src'), 'v1', fx.registry.repository('rt/dst'), 'v1', { includeReferrers: true });
    const found = await fx.registry.repository('rt/dst').predecessors(subject);
    expect(found.map((d) => d.digest)).toEqual([referrer.digest]);
  });
});

describe('pulling hostile artifacts writes nothing outside the output folder', () => {
  const fx = useRegistry();

  for (const title of ['../x', '/etc/x', 'a/../../x', '..', 'a/../../../tmp/escape']) {
    it(`refuses the title ${JSON.stringify(title)}`, async () => {
      const memory = new MemoryStore();
      const bytes = Buffer.from(`payload for ${title}`);
      const layer = { mediaType: 'text/plain', digest: digestOf(bytes), size: bytes.byteLength, annotations: { [Annotation.Title]: title } };
      await memory.push(layer, (await import('node:stream')).Readable.from([bytes]));
      await push(memory, fx.registry.repository('hostile/titles'), 'evil', { layers: [layer], artifactType: 'application/vnd.test.evil' });
      const parent = await tempDir();
      const out = join(parent, 'out');
      await mkdir(out);
      const store = new FileStore(out);
      const err = await pull(fx.registry.repository('hostile/titles'), 'evil', store).then(
        () => undefined,
        (e: unknown) => e,
      );
      await store.close();
      expect(err).toBeInstanceOf(OrasError);
      expect((err as OrasError).code).toBe('UNSAFE_PATH');
      expect(await listTree(parent)).toEqual(['out']);
      expect(await readdir(out)).toEqual([]);
    });
  }

  it('refuses a title that walks through a symlink in the output folder', async () => {
    const memory = new MemoryStore();
    const layer = memory.add('link/x', 'text/plain', 'through the link');
    await push(memory, fx.registry.repository('hostile/link'), 'v1', { layers: [layer], artifactType: 'application/vnd.test.evil' });
    const parent = await tempDir();
    const out = join(parent, 'out');
    const outside = join(parent, 'outside');
    await mkdir(out);
    await mkdir(outside);
    await symlink(outside, join(out, 'link'));
    const store = new FileStore(out);
    const err = await pull(fx.registry.repository('hostile/link'), 'v1', store).then(
      () => undefined,
      (e: unknown) => e,
    );
    await store.close();
    expect((err as OrasError).code).toBe('UNSAFE_PATH');
    expect(await readdir(outside)).toEqual([]);
    expect((await lstat(join(out, 'link'))).isSymbolicLink()).toBe(true);
  });

  it('refuses to pack a directory holding a symlink that points outside it', async () => {
    const src = await tempDir();
    await mkdir(join(src, 'dir'));
    await writeFile(join(src, 'secret.txt'), 'not for packing');
    await symlink(join(src, 'secret.txt'), join(src, 'dir', 'leak'));
    const store = new FileStore(src);
    const err = await store.add('dir', '').then(
      () => undefined,
      (e: unknown) => e,
    );
    await store.close();
    expect((err as OrasError).code).toBe('UNSAFE_PATH');
  });
});
