import { describe, expect, it } from 'vitest';
import type { Descriptor } from '../descriptor';
import { digestOf } from '../digest';
import { MediaType } from '../media-type';
import { TestTarget } from '../testing/test-target';
import { rejection } from '../testing/expect-error';
import { createIndex, packIndex, pushIndex, updateIndex } from './index-build';
import { indentJson } from './index-json';
import { platformOfConfig } from './index-platform';

/** image stores a manifest over a config (as given) and one layer, tags it, and returns its descriptor. */
function image(store: TestTarget, tag: string, config: string, extra: Record<string, unknown> = {}): Descriptor {
  const configDesc = store.add(MediaType.ImageConfig, config);
  const layer = store.add(MediaType.ImageLayer, `layer of ${tag}`);
  const desc = store.addJson(MediaType.ImageManifest, { schemaVersion: 2, mediaType: MediaType.ImageManifest, config: configDesc, layers: [layer], ...extra });
  store.tagMap.set(tag, desc);
  return desc;
}

/** expectOrasError: `promise` rejects with an OrasError of `code` whose message matches (a string: contains). */
async function expectOrasError(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  const err = await rejection(promise);
  expect(err.code).toBe(code);
  if (message !== undefined) expect(err.message).toMatch(message);
}

const plain = (d: Descriptor) => `"mediaType":"${d.mediaType}","digest":"${d.digest}","size":${d.size}`;

describe('createIndex', () => {
  it('packs the sources in order with the platforms of their configs, written as ORAS writes them', async () => {
    const store = new TestTarget();
    const amd = image(store, 'linux-amd64', '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    const arm = image(store, 'linux-arm64', '{"os":"linux","variant":"v8","os.features":["f"],"os.version":"6.1","architecture":"arm64"}');
    const seen: string[] = [];
    const built = await createIndex(store, ['linux-arm64', amd.digest], {
      onFetching: (ref) => seen.push(`fetching ${ref}`),
      onFetched: (ref, desc) => seen.push(`fetched ${ref} ${desc.digest}`),
    });
    expect(seen).toEqual([`fetching linux-arm64`, `fetched linux-arm64 ${arm.digest}`, `fetching ${amd.digest}`, `fetched ${amd.digest} ${amd.digest}`]);
    const text = Buffer.from(built.bytes).toString('utf8');
    expect(text).toBe(
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[' +
        `{${plain(arm)},"platform":{"architecture":"arm64","os":"linux","os.version":"6.1","os.features":["f"],"variant":"v8"}},` +
        `{${plain(amd)},"platform":{"architecture":"amd64","os":"linux"}}]}`,
    );
    expect(built.descriptor).toEqual({ mediaType: MediaType.ImageIndex, digest: digestOf(built.bytes), size: built.bytes.byteLength });
  });

  it('keeps artifact types, leaves out platforms a config does not give, nests an index, and writes annotations sorted and escaped', async () => {
    const store = new TestTarget();
    const artifact = image(store, 'sbom', '{}', { artifactType: 'application/vnd.example.sbom' });
    const odd = image(store, 'odd', 'not json at all');
    const inner = store.addJson(MediaType.ImageIndex, { schemaVersion: 2, mediaType: MediaType.ImageIndex, artifactType: 'application/vnd.example.set', manifests: [] });
    store.tagMap.set('set', inner);
    const built = await createIndex(store, ['sbom', 'odd', 'set'], { artifactType: 'application/vnd.example.multi', annotations: { z: 'a<b&c>', '10': 'x', '2': 'y' } });
    expect(Buffer.from(built.bytes).toString('utf8')).toBe(
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","artifactType":"application/vnd.example.multi","manifests":[' +
        `{${plain(artifact)},"artifactType":"application/vnd.example.sbom"},{${plain(odd)}},{${plain(inner)},"artifactType":"application/vnd.example.set"}],` +
        '"annotations":{"10":"x","2":"y","z":"a\\u003cb\\u0026c\\u003e"}}',
    );
  });

  it('with no sources writes an empty manifests array', async () => {
    const built = await createIndex(new TestTarget(), []);
    expect(Buffer.from(built.bytes).toString('utf8')).toBe('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}');
  });

  it('names a missing source, a source that is not a manifest, and a bad artifact type', async () => {
    const store = new TestTarget();
    const blob = store.add('text/plain', 'just text');
    await expectOrasError(createIndex(store, ['gone']), 'NOT_FOUND', /^could not find the manifest gone: /);
    await expectOrasError(createIndex(store, [blob.digest]), 'INVALID_ARGUMENT', `${blob.digest} is not a manifest: it is a text/plain`);
    await expectOrasError(createIndex(store, [], { artifactType: 'invalid' }), 'INVALID_MEDIA_TYPE');
    await expectOrasError(createIndex(store, [], { artifactType: 'application/x; v=1' }), 'INVALID_MEDIA_TYPE', /no parameters/);
  });

  it('refuses a config larger than 4 MiB by its descriptor, naming the source', async () => {
    const store = new TestTarget();
    const big: Descriptor = { mediaType: MediaType.ImageConfig, digest: `sha256:${'a'.repeat(64)}`, size: 5 * 1024 * 1024 };
    const desc = store.addJson(MediaType.ImageManifest, { schemaVersion: 2, mediaType: MediaType.ImageManifest, config: big, layers: [] });
    store.tagMap.set('huge', desc);
    await expectOrasError(createIndex(store, ['huge']), 'SIZE_LIMIT', /^the config of huge: /);
  });
});

describe("ORAS 1.3's own e2e data (test/e2e/internal/testdata/multi_arch, suite/command/manifest_index.go)", () => {
  // The child images of ORAS's multi-arch test repository, as its e2e suite names them.
  const entry = (digest: string, platform: Descriptor['platform']): Descriptor => ({ mediaType: MediaType.ImageManifest, digest, size: 458, platform });
  const amd64 = entry('sha256:9d84a5716c66a1d1b9c13f8ed157ba7d1edfe7f9b8766728b8a1f25c0d9c14c1', { architecture: 'amd64', os: 'linux' });
  const arm64 = entry('sha256:4f93460061882467e6fb3b772dc6ab72130d9ac1906aed2fc7589a5cd145433c', { architecture: 'arm64', os: 'linux' });
  const armv7 = entry('sha256:58efe73e78fe043ca31b89007a025c594ce12aa7e6da27d21c7b14b50112e255', { architecture: 'arm', os: 'linux', variant: 'v7' });
  const index = (...manifests: Descriptor[]) => packIndex({ schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests }).descriptor.digest;

  it('reads the platform of linux/amd64 from its config and writes OutputIndex byte for byte', async () => {
    const store = new TestTarget();
    store.add(MediaType.ImageConfig, '{\r\n    "architecture": "amd64",\r\n    "os": "linux"\r\n}');
    const manifest = store.add(
      MediaType.ImageManifest,
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:fe9dbc99451d0517d65e048c309f0b5afb2cc513b7a3d456b6cc29fe641386c5","size":53},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:2ef548696ac7dd66ef38aab5cc8fc5cc1fb637dfaedb3a9afc89bf16db9277e1","size":10240,"annotations":{"org.opencontainers.image.title":"hello.tar"}}]}',
    );
    expect(manifest).toMatchObject({ digest: amd64.digest, size: 458 });
    const built = await createIndex(store, [amd64.digest]);
    expect(Buffer.from(built.bytes).toString('utf8')).toBe(
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:9d84a5716c66a1d1b9c13f8ed157ba7d1edfe7f9b8766728b8a1f25c0d9c14c1","size":458,"platform":{"architecture":"amd64","os":"linux"}}]}',
    );
  });

  it('gives the digests ORAS pushed in its create and update tests', () => {
    expect(index(amd64, arm64)).toBe('sha256:cce9590b1193d8bcb70467e2381dc81e77869be4801c09abe9bc274b6a1d2001');
    expect(index(arm64, amd64)).toBe('sha256:5c98cfc90e390c575679370a5dc5e37b52e854bbb7b9cb80cc1f30b56b8d183e');
    expect(index(arm64, amd64, armv7)).toBe('sha256:820503ae4fecfdb841b5b6acc8718c8c5b298cf6b8f2259010f370052341cec8');
    expect(index(armv7, arm64, amd64)).toBe('sha256:bfa1728d6292d5fa7689f8f4daa145ee6f067b5779528c6e059d1132745ef508');
    expect(index(amd64, arm64, armv7)).toBe('sha256:84887718c9e61daa0f1996aad3ae2eb10db15dcbdab394e4b2dfee7967c55f2c');
  });
});

describe('updateIndex', () => {
  async function fixture() {
    const store = new TestTarget();
    const amd = image(store, 'amd', '{"architecture":"amd64","os":"linux"}');
    const arm = image(store, 'arm', '{"architecture":"arm64","os":"linux"}');
    const win = image(store, 'win', '{"architecture":"amd64","os":"windows","os.version":"10.0.20348.1"}');
    const base = packIndex({ schemaVersion: 2, mediaType: MediaType.ImageIndex, artifactType: 'application/vnd.example.old', manifests: [{ ...amd, platform: { architecture: 'amd64', os: 'linux' } }] });
    store.add(MediaType.ImageIndex, base.bytes);
    store.tagMap.set('v1', base.descriptor);
    const other = packIndex({ schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: [{ ...win, platform: { architecture: 'amd64', os: 'windows', 'os.version': '10.0.20348.1' } }] });
    store.add(MediaType.ImageIndex, other.bytes);
    store.tagMap.set('windows', other.descriptor);
    return { store, amd, arm, win, base, other };
  }

  it('removes, then adds, then merges, reporting each, and can drop the artifact type', async () => {
    const { store, amd, arm, win, base, other } = await fixture();
    const events: string[] = [];
    const updated = await updateIndex(store, 'v1', {
      remove: [amd.digest],
      add: ['arm'],
      merge: ['windows'],
      artifactType: '',
      onFetching: (ref) => events.push(`fetching ${ref}`),
      onRemoved: (digest) => events.push(`removed ${digest}`),
      onAdded: (ref, desc) => events.push(`added ${ref} ${desc.digest}`),
      onMerged: (ref, desc) => events.push(`merged ${ref} ${desc.digest}`),
    });
    expect(events).toEqual(['fetching v1', `removed ${amd.digest}`, 'fetching arm', `added arm ${arm.digest}`, 'fetching windows', `merged windows ${other.descriptor.digest}`]);
    expect(updated.base).toEqual(base.descriptor);
    expect(updated.index.artifactType).toBeUndefined();
    expect(updated.index.manifests.map((m) => [m.digest, m.platform?.os])).toEqual([
      [arm.digest, 'linux'],
      [win.digest, 'windows'],
    ]);
  });

  it('drops fields ORAS does not know and keeps subject and annotations', async () => {
    const store = new TestTarget();
    const amd = image(store, 'amd', '{"architecture":"amd64","os":"linux"}');
    const subject = store.add('text/plain', 'subject');
    const raw = store.addJson(MediaType.ImageIndex, {
      schemaVersion: 2,
      mediaType: MediaType.ImageIndex,
      extra: true,
      manifests: [{ ...amd, platform: { os: 'linux', architecture: 'amd64', features: ['sse4'] }, unknown: 1 }],
      subject,
      annotations: { b: '2', a: '1' },
    });
    store.tagMap.set('v1', raw);
    const updated = await updateIndex(store, 'v1', { artifactType: 'application/vnd.example.new' });
    expect(Buffer.from(updated.bytes).toString('utf8')).toBe(
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","artifactType":"application/vnd.example.new",' +
        `"manifests":[{${plain(amd)},"platform":{"architecture":"amd64","os":"linux"}}],"subject":{${plain(subject)}},"annotations":{"a":"1","b":"2"}}`,
    );
  });

  it('says what is wrong: a removal not in the index, not a digest, a manifest given as the index or to merge', async () => {
    const { store, arm } = await fixture();
    await expectOrasError(updateIndex(store, 'v1', { remove: [arm.digest] }), 'NOT_FOUND', `${arm.digest} does not exist in the index v1`);
    await expectOrasError(updateIndex(store, 'v1', { remove: ['latest'] }), 'INVALID_DIGEST', /is not a digest/);
    await expectOrasError(updateIndex(store, 'arm', { add: ['amd'] }), 'INVALID_ARGUMENT', /^arm is not an index: it is a application\/vnd\.oci\.image\.manifest\.v1\+json$/);
    await expectOrasError(updateIndex(store, 'v1', { merge: ['arm'] }), 'INVALID_ARGUMENT', /^arm is not an index/);
    await expectOrasError(updateIndex(store, 'gone', { add: ['arm'] }), 'NOT_FOUND', /^could not find the index gone: /);
  });
});

describe('pushIndex', () => {
  it('stores the index, tags it with the reference, then each extra tag in order', async () => {
    const store = new TestTarget();
    const built = await createIndex(store, []);
    const events: string[] = [];
    await pushIndex(store, built, { reference: 'v1', tags: ['a', 'b'], onPushed: () => events.push('pushed'), onTagged: (t) => events.push(`tagged ${t}`) });
    expect(events).toEqual(['pushed', 'tagged a', 'tagged b']);
    expect(store.log.filter((l) => l.startsWith('tag '))).toEqual(['tag v1', 'tag a', 'tag b']);
    expect(store.bytesOf(built.descriptor)).toEqual(Buffer.from(built.bytes));
  });

  it('by digest tags nothing', async () => {
    const store = new TestTarget();
    const built = await createIndex(store, []);
    await pushIndex(store, built, { reference: built.descriptor.digest });
    expect(store.log.some((l) => l.startsWith('tag '))).toBe(false);
    expect(store.blobs.has(built.descriptor.digest)).toBe(true);
  });
});

describe('platformOfConfig (Go json.Unmarshal into ocispec.Platform)', () => {
  const of = (text: string) => platformOfConfig(Buffer.from(text));
  it('reads the platform fields, matching keys ignoring case', () => {
    expect(of('{"Architecture":"arm","OS":"linux","Variant":"v7"}')).toEqual({ architecture: 'arm', os: 'linux', variant: 'v7' });
    expect(of('{"os":"windows","architecture":"amd64","os.version":"10.0","os.features":["win32k"]}')).toEqual({ architecture: 'amd64', os: 'windows', 'os.version': '10.0', 'os.features': ['win32k'] });
  });
  it('gives none where ORAS gives none', () => {
    expect(of('{}')).toBeUndefined();
    expect(of('null')).toBeUndefined();
    expect(of('[1]')).toBeUndefined();
    expect(of('not json')).toBeUndefined();
    expect(of('{"os":"linux","architecture":5}')).toBeUndefined();
    expect(of('{"os":"linux","os.features":"x"}')).toBeUndefined();
  });
  it('keeps a half platform as Go does, and takes null as empty', () => {
    expect(of('{"os":"linux","variant":null}')).toEqual({ architecture: '', os: 'linux' });
  });
});

describe('indentJson (Go json.Indent with two spaces)', () => {
  it('indents objects and arrays, keeps empty ones on one line and strings as written', () => {
    expect(indentJson('{"a":[],"b":{},"c":[1,{"d":"x\\u003c,:{"}],"e":"q\\"}"}')).toBe(
      '{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    {\n      "d": "x\\u003c,:{"\n    }\n  ],\n  "e": "q\\"}"\n}',
    );
  });
});
