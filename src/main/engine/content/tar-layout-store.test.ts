import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { Pack } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../digest';
import type { Descriptor } from '../descriptor';
import { MediaType } from '../media-type';
import { rejection } from '../testing/expect-error';
import { tarOf, type TarEntry } from '../testing/tar-fixtures';
import { OciLayoutStore } from './oci-layout-store';
import { indexTar } from './tar-index';
import { TarLayoutStore } from './tar-layout-store';
import { writeLayoutTar } from './tar-layout-writer';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tar-layout-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function descOf(body: string | Buffer, mediaType = 'application/octet-stream', extra: Partial<Descriptor> = {}): Descriptor {
  const data = Buffer.from(body);
  return { mediaType, digest: digestOf(data), size: data.length, ...extra };
}

async function put(store: OciLayoutStore, body: string, desc: Descriptor): Promise<void> {
  await store.push(desc, Readable.from([Buffer.from(body)]));
}

/** makeLayout writes a folder layout: `v1` (a manifest of one layer) and one referrer of it. */
async function makeLayout(dir: string): Promise<{ manifest: Descriptor; layer: Descriptor; referrer: Descriptor }> {
  const store = await OciLayoutStore.open(dir);
  const config = '{}';
  const configDesc = descOf(config, MediaType.Empty);
  const layerBody = 'hello from a tar';
  const layer = descOf(layerBody, 'text/plain', { annotations: { 'org.opencontainers.image.title': 'hi.txt' } });
  const manifestBody = JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ImageManifest, artifactType: 'application/vnd.example', config: configDesc, layers: [layer] });
  const manifest = descOf(manifestBody, MediaType.ImageManifest);
  const referrerBody = JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ImageManifest, artifactType: 'application/vnd.example.sbom', config: configDesc, layers: [], subject: manifest });
  const referrer = descOf(referrerBody, MediaType.ImageManifest);
  await put(store, config, configDesc);
  await put(store, layerBody, layer);
  await put(store, manifestBody, manifest);
  await put(store, referrerBody, referrer);
  await store.tag(manifest, 'v1');
  return { manifest, layer, referrer };
}

/** layoutEntries: the two files every layout archive needs, then `more`. */
function layoutTar(more: TarEntry[]): Buffer {
  return tarOf([
    { path: 'oci-layout', body: '{"imageLayoutVersion":"1.0.0"}' },
    { path: 'index.json', body: '{"schemaVersion":2,"manifests":[]}' },
    ...more,
  ]);
}

async function writeTar(name: string, data: Buffer): Promise<string> {
  const file = path.join(work, name);
  await writeFile(file, data);
  return file;
}

describe('writeLayoutTar then TarLayoutStore', () => {
  it('round-trips a layout: tags, blobs verified, referrers; members named as Go AddFS names them', async () => {
    const dir = path.join(work, 'layout');
    const { manifest, layer, referrer } = await makeLayout(dir);
    const file = path.join(work, 'backup.tar');
    const { size } = await writeLayoutTar(dir, file);
    expect((await stat(file)).size).toBe(size);
    expect([...(await indexTar(file)).keys()].sort()).toEqual(
      ['index.json', 'oci-layout', ...[manifest, layer, referrer].map((d) => `blobs/sha256/${d.digest.slice(7)}`), `blobs/sha256/${descOf('{}').digest.slice(7)}`].sort(),
    );

    const store = await TarLayoutStore.open(file);
    expect(await store.resolve('v1')).toMatchObject({ digest: manifest.digest, size: manifest.size });
    expect((await buffer(await store.fetch(layer))).toString()).toBe('hello from a tar');
    expect((await buffer(await store.fetchRange(layer, 6, 9))).toString()).toBe('from');
    expect(await store.exists(layer)).toBe(true);
    expect(await store.statBlob(layer.digest)).toMatchObject({ size: layer.size });
    const tags: string[] = [];
    for await (const tag of store.tags()) tags.push(tag);
    expect(tags).toEqual(['v1']);
    expect((await store.predecessors(manifest)).map((d) => d.digest)).toEqual([referrer.digest]);
    // not listed in index.json by tag, found as a manifest blob
    expect((await store.resolve(referrer.digest)).digest).toBe(referrer.digest);
  });

  it('is read-only: push and tag say to use a folder', async () => {
    const dir = path.join(work, 'layout');
    const { manifest } = await makeLayout(dir);
    const file = path.join(work, 'backup.tar');
    await writeLayoutTar(dir, file);
    const store = await TarLayoutStore.open(file);
    const err = await rejection(store.tag(manifest, 'v2'));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toMatch(/read-only.*folder/);
    expect((await rejection(store.push(descOf('x'), Readable.from([Buffer.from('x')])))).code).toBe('UNSUPPORTED');
  });

  it('a cancelled write leaves no archive and no temp file', async () => {
    const dir = path.join(work, 'layout');
    await makeLayout(dir);
    const out = path.join(work, 'out');
    await mkdir(out);
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(writeLayoutTar(dir, path.join(out, 'backup.tar'), { signal: controller.signal }))).code).toBe('ABORTED');
    expect(await readdir(out)).toEqual([]);
  });

  it('a blob whose bytes in the archive were altered fails its digest check when read', async () => {
    const dir = path.join(work, 'layout');
    const { layer } = await makeLayout(dir);
    const file = path.join(work, 'backup.tar');
    await writeLayoutTar(dir, file);
    const data = await readFile(file);
    const at = data.indexOf('hello from a tar');
    data.write('HELLO', at);
    await writeFile(file, data);
    const store = await TarLayoutStore.open(file);
    expect((await rejection(buffer(await store.fetch(layer)))).code).toBe('DIGEST_MISMATCH');
  });
});

describe('indexTar: hostile and broken archives', () => {
  it('refuses a member named ../x, naming it', async () => {
    const file = await writeTar('evil.tar', layoutTar([{ path: '../x', body: 'evil' }]));
    const err = await rejection(TarLayoutStore.open(file));
    expect(err.code).toBe('UNSAFE_PATH');
    expect(err.message).toContain('"../x"');
    expect(err.message).toContain('".."');
  });

  it('refuses a .. hidden inside a name and an absolute name', async () => {
    for (const name of ['blobs/../../x', '/etc/passwd', 'C:\\x']) {
      const file = await writeTar('evil.tar', layoutTar([{ path: name, body: 'evil' }]));
      expect((await rejection(indexTar(file))).code, name).toBe('UNSAFE_PATH');
    }
  });

  it('refuses links that lead outside the archive; follows one that stays inside', async () => {
    const outside = await writeTar('evil.tar', layoutTar([{ path: 'blobs/sha256/abc', type: 'SymbolicLink', linkpath: '../../../etc/passwd' }]));
    expect((await rejection(indexTar(outside))).message).toMatch(/points outside the archive/);
    const absolute = await writeTar('evil2.tar', layoutTar([{ path: 'blobs/x', type: 'Link', linkpath: '/etc/passwd' }]));
    expect((await rejection(indexTar(absolute))).code).toBe('UNSAFE_PATH');
    const dangling = await writeTar('evil3.tar', layoutTar([{ path: 'blobs/x', type: 'SymbolicLink', linkpath: 'nothing' }]));
    expect((await rejection(indexTar(dangling))).message).toMatch(/to nothing/);

    const inside = await writeTar('ok.tar', layoutTar([{ path: 'blobs/a', body: 'data' }, { path: 'blobs/b', type: 'SymbolicLink', linkpath: 'a' }, { path: 'c', type: 'Link', linkpath: 'blobs/a' }]));
    const members = await indexTar(inside);
    expect(members.get('blobs/b')).toMatchObject({ offset: members.get('blobs/a')!.offset, size: 4 });
    expect(members.get('c')).toMatchObject({ offset: members.get('blobs/a')!.offset, size: 4 });
  });

  it('reads long names from PAX headers', async () => {
    const src = path.join(work, 'src');
    const long = `${'d'.repeat(80)}/${'f'.repeat(80)}`;
    await mkdir(path.join(src, 'd'.repeat(80)), { recursive: true });
    await writeFile(path.join(src, long), 'long');
    const pack = new Pack({ cwd: src, portable: true });
    pack.add(long);
    pack.end();
    const file = await writeTar('long.tar', await buffer(pack as unknown as Readable));
    expect((await indexTar(file)).get(long)).toMatchObject({ size: 4 });
  });

  it('says what is wrong with a file that is no tar, a gzip, a truncated archive, or no layout', async () => {
    expect((await rejection(TarLayoutStore.open(await writeTar('a.txt', Buffer.from('just text'.repeat(100)))))).message).toMatch(/neither a folder nor a tar archive/);
    expect((await rejection(TarLayoutStore.open(await writeTar('a.bin', Buffer.alloc(1024, 0xff))))).message).toMatch(/neither a folder nor a tar archive/);
    expect((await rejection(TarLayoutStore.open(await writeTar('a.tar.gz', gzipSync(layoutTar([])))))).message).toMatch(/gzip-compressed.*gunzip/);
    const whole = layoutTar([{ path: 'blobs/sha256/big', body: 'x'.repeat(5000) }]);
    expect((await rejection(TarLayoutStore.open(await writeTar('cut.tar', whole.subarray(0, 3000))))).message).toMatch(/past the end of the file \(truncated\?\)/);
    expect((await rejection(TarLayoutStore.open(await writeTar('cut2.tar', whole.subarray(0, 2048))))).message).toMatch(/without the end-of-archive marker/);
    const noLayout = await writeTar('plain.tar', tarOf([{ path: 'readme.txt', body: 'hi' }]));
    expect((await rejection(TarLayoutStore.open(noLayout))).message).toMatch(/not of an OCI image layout: it has no oci-layout/);
  });
});
