import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { digestOf } from '../../src/main/engine/digest';
import type { Descriptor } from '../../src/main/engine/descriptor';
import { MediaType } from '../../src/main/engine/media-type';
import { Registry, type RegistryOptions } from '../../src/main/engine/registry/registry';
import type { Repository } from '../../src/main/engine/registry/repository';

/**
 * The one seed of browse content, pushed with the engine, for the integration tests,
 * the e2e specs and the bench. One function per kind of content (`push…`), each taking
 * the registry and the repository, and three sets made of them:
 *
 * - `seedBrowseContent` (integration tests, bench): `team-a/app` (three titled layers,
 *   a JSON config, a signature by `subject`), `team-a/tools/cli` (a 1 MiB layer),
 *   `team-b/web` (an index of two platforms), `bulk/many` (10,000 tags by default);
 * - `seedTagsContent` (repositories and tags specs): `team/app` with versions, created
 *   times, a tag sharing a digest and a `sha256-….sig` referrer tag; `team/tools/cli`,
 *   `solo` and a long, deep name; `bulk/many`;
 * - `seedManifestContent` (manifest and downloads specs): `docs/artifact` v1 (text,
 *   markdown and a PNG) and v2 with a referrer, `multi/app:v1` (an index), and
 *   `big/blob:v1` (3 MiB of random bytes).
 */

export const APP_CREATED = '2024-05-01T12:00:00Z';
export const APP_ARTIFACT_TYPE = 'application/vnd.acme.rocket.v1';
export const SIGNATURE_TYPE = 'application/vnd.example.signature.v1';
export const APP_FILES = { 'rocket.txt': 'Three, two, one, lift-off!\n', 'notes.md': '# Launch notes\n\nAll systems go.\n', 'data.json': '{"stage":1,"fuel":"lox"}\n' } as const;
export const WEB_CREATED = { amd64: '2023-01-02T03:04:05Z', arm64: '2023-06-07T08:09:10Z' } as const;
/** BULK_MANIFESTS is how many manifests the bulk tags share; manifest i is created in month i + 1 of 2024. */
export const BULK_MANIFESTS = 5;
export const LONG_NAME = 'team/a-very-long-repository-name-that-keeps-going-and-going/and-deeper-still/until-it-wraps';
const TITLE = 'org.opencontainers.image.title';
const CREATED = 'org.opencontainers.image.created';

export interface SeedOptions extends RegistryOptions {
  /** Tags in `bulk/many`. Default 10,000. */
  tagCount?: number;
  /** PUTs in flight while tagging `bulk/many`. Default 16. */
  concurrency?: number;
  /**
   * The registry's storage root (startRegistry's `dataDir`): when given, the tags of
   * `bulk/many` beyond the first few are written as distribution's own tag link files
   * there, about a hundred times faster than PUTs (the manifests themselves still go
   * through the API). Distribution 2.8 keeps no tag cache, so it serves them at once.
   */
  storageDir?: string;
}

export interface Pushed {
  desc: Descriptor;
  bytes: Buffer;
}

export interface RocketArtifact {
  manifest: Descriptor;
  config: Descriptor;
  layers: Record<keyof typeof APP_FILES, Descriptor>;
  signature: Descriptor;
}
export interface BigLayer {
  manifest: Descriptor;
  big: Descriptor;
  bigBytes: Buffer;
}
export interface PlatformIndex {
  index: Descriptor;
  amd64: Descriptor;
  arm64: Descriptor;
}
export interface BulkTags {
  repository: string;
  tags: string[];
  manifests: Descriptor[];
  /** Seconds the tagging took (the manifests' own pushes excluded). */
  seconds: number;
}

export interface SeededContent {
  repositories: string[];
  app: RocketArtifact;
  cli: BigLayer;
  web: PlatformIndex;
  bulk: BulkTags;
}

function blob(bytes: Buffer | string, mediaType: string, annotations?: Record<string, string>): Pushed {
  const data = Buffer.from(bytes);
  return { desc: { mediaType, digest: digestOf(data), size: data.byteLength, ...(annotations ? { annotations } : {}) }, bytes: data };
}

function manifest(body: Record<string, unknown>, mediaType: string = MediaType.ImageManifest): Pushed {
  return blob(JSON.stringify({ schemaVersion: 2, mediaType, ...body }), mediaType);
}

async function putBlobs(repo: Repository, blobs: Pushed[]): Promise<void> {
  for (const b of blobs) await repo.push({ mediaType: b.desc.mediaType, digest: b.desc.digest, size: b.desc.size }, Readable.from([b.bytes]));
}

/** pushArtifact pushes an artifact of titled files (name → bytes and media type) with a config, tagged with each of `tags` (or by digest). */
async function pushArtifact(
  repo: Repository,
  files: Array<[name: string, bytes: Buffer | string, mediaType: string]>,
  opts: { artifactType: string; config?: Pushed; created?: string; subject?: Descriptor; tags?: string[] },
): Promise<{ manifest: Pushed; layers: Pushed[] }> {
  const config = opts.config ?? blob('{}', MediaType.Empty);
  const layers = files.map(([name, bytes, mediaType]) => blob(bytes, mediaType, { [TITLE]: name }));
  await putBlobs(repo, [config, ...layers]);
  const m = manifest({
    artifactType: opts.artifactType,
    config: config.desc,
    layers: layers.map((l) => l.desc),
    ...(opts.subject ? { subject: opts.subject } : {}),
    ...(opts.created ? { annotations: { [CREATED]: opts.created } } : {}),
  });
  const tags = opts.tags ?? [m.desc.digest];
  for (const tag of tags) await repo.pushManifest(m.desc, m.bytes, tag);
  return { manifest: m, layers };
}

/** pushRocketArtifact: three titled layers and a JSON config, created at APP_CREATED, tagged v1.0 and latest; a signature refers to it by `subject`. */
export async function pushRocketArtifact(registry: Registry, repository = 'team-a/app'): Promise<RocketArtifact> {
  const repo = registry.repository(repository);
  const config = blob(JSON.stringify({ rocket: 'saturn-v', stages: 3 }), 'application/vnd.acme.rocket.config.v1+json');
  const files = Object.entries(APP_FILES).map(([name, text]): [string, string, string] => [name, text, 'text/plain']);
  const app = await pushArtifact(repo, files, { artifactType: APP_ARTIFACT_TYPE, config, created: APP_CREATED, tags: ['v1.0', 'latest'] });
  const signature = await pushArtifact(repo, [['signature', `signature over ${app.manifest.desc.digest}`, 'application/octet-stream']], {
    artifactType: SIGNATURE_TYPE,
    subject: app.manifest.desc,
    created: '2024-05-02T00:00:00Z',
  });
  const [rocket, notes, data] = app.layers.map((l) => l.desc) as [Descriptor, Descriptor, Descriptor];
  return { manifest: app.manifest.desc, config: config.desc, layers: { 'rocket.txt': rocket, 'notes.md': notes, 'data.json': data }, signature: signature.manifest.desc };
}

/** pushBigLayer: one layer of `size` random bytes titled big.bin, tagged `tag`. */
export async function pushBigLayer(registry: Registry, repository = 'team-a/tools/cli', tag = 'v2', size = 1024 * 1024): Promise<BigLayer> {
  const bigBytes = randomBytes(size);
  const { manifest: m, layers } = await pushArtifact(registry.repository(repository), [['big.bin', bigBytes, 'application/octet-stream']], { artifactType: 'application/vnd.acme.cli.v1', tags: [tag] });
  return { manifest: m.desc, big: layers[0]!.desc, bigBytes };
}

/** pushPlatformIndex: an image index of linux/amd64 and linux/arm64/v8 images (each with a config created at WEB_CREATED), tagged `tag`. */
export async function pushPlatformIndex(registry: Registry, repository = 'team-b/web', tag = 'multi'): Promise<PlatformIndex> {
  const repo = registry.repository(repository);
  const images = {} as Record<'amd64' | 'arm64', Pushed>;
  for (const arch of ['amd64', 'arm64'] as const) {
    const config = blob(JSON.stringify({ created: WEB_CREATED[arch], architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }), MediaType.ImageConfig);
    const layer = blob(`layer for ${arch}`, MediaType.ImageLayer);
    await putBlobs(repo, [config, layer]);
    images[arch] = manifest({ config: config.desc, layers: [layer.desc] });
    await repo.pushManifest(images[arch].desc, images[arch].bytes, images[arch].desc.digest);
  }
  const platforms = { amd64: { os: 'linux', architecture: 'amd64' }, arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' } };
  const index = manifest({ manifests: (['amd64', 'arm64'] as const).map((arch) => ({ ...images[arch].desc, platform: platforms[arch] })) }, MediaType.ImageIndex);
  await repo.pushManifest(index.desc, index.bytes, tag);
  return { index: index.desc, amd64: images.amd64.desc, arm64: images.arm64.desc };
}

/**
 * pushVersions: v1, v1.9, v1.10, rc1, each its own artifact with its own created time,
 * `latest` the same manifest as v1.10, and a cosign-style `sha256-<hex>.sig` tag (no
 * `subject`, so no referrers index is made) for v1.10. Returns tag → digest.
 */
export async function pushVersions(registry: Registry, repository = 'team/app'): Promise<{ tags: Record<string, string>; referrerTag: string }> {
  const repo = registry.repository(repository);
  const version = (name: string, created: string, tags: string[]) =>
    pushArtifact(repo, [[`${name}.txt`, `${repository} ${name}`, 'text/plain']], { artifactType: 'application/vnd.demo.docs.v1', created, tags });
  const tags: Record<string, string> = {};
  for (const [name, created, also] of [
    ['v1', '2024-01-10T10:00:00Z', []],
    ['v1.9', '2024-03-01T10:00:00Z', []],
    ['v1.10', '2024-06-01T10:00:00Z', ['latest']],
    ['rc1', '2023-12-01T10:00:00Z', []],
  ] as const) {
    const { manifest: m } = await version(name, created, [name, ...also]);
    for (const tag of [name, ...also]) tags[tag] = m.desc.digest;
  }
  const referrerTag = `${tags['v1.10']!.replace(':', '-')}.sig`;
  await pushArtifact(repo, [['signature', 'signature', 'text/plain']], { artifactType: 'application/vnd.demo.signature', created: '2024-06-02T10:00:00Z', tags: [referrerTag] });
  return { tags, referrerTag };
}

/** pushLatest: one small artifact tagged latest in each repository (for catalogs and trees). */
export async function pushLatest(registry: Registry, repositories: string[]): Promise<void> {
  for (const repository of repositories) {
    await pushArtifact(registry.repository(repository), [[`${repository.split('/').pop()}.txt`, repository, 'text/plain']], { artifactType: 'application/vnd.demo.docs.v1', created: '2024-02-02T10:00:00Z', tags: ['latest'] });
  }
}

/**
 * pushBulkTags: `count` tags `t00000`, `t00001`, … over BULK_MANIFESTS manifests (tag i
 * on manifest i % BULK_MANIFESTS, created in month (i % BULK_MANIFESTS) + 1 of 2024, so
 * t00004 is among the newest), by PUT with some concurrency or, with `storageDir`, as
 * the registry's own tag files.
 */
export async function pushBulkTags(registry: Registry, options: { repository?: string; count?: number; concurrency?: number; storageDir?: string } = {}): Promise<BulkTags> {
  const { repository = 'bulk/many', count = 10_000, concurrency = 16, storageDir } = options;
  const repo = registry.repository(repository);
  const manifests: Pushed[] = [];
  for (let i = 0; i < BULK_MANIFESTS; i++) {
    const { manifest: m } = await pushArtifact(repo, [[`file-${i}.txt`, `bulk ${i}`, 'text/plain']], { artifactType: 'application/vnd.acme.bulk.v1', created: `2024-0${i + 1}-01T00:00:00Z`, tags: [] });
    manifests.push(m);
  }
  const tags = Array.from({ length: count }, (_, i) => `t${String(i).padStart(5, '0')}`);
  const started = performance.now();
  // Through the API: all tags, or (with storageDir) the first few, which also proves the manifests are there.
  const viaApi = storageDir ? Math.min(tags.length, manifests.length) : tags.length;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, viaApi) }, async () => {
      for (let i = next++; i < viaApi; i = next++) {
        const m = manifests[i % manifests.length]!;
        await repo.pushManifest(m.desc, m.bytes, tags[i]!);
      }
    }),
  );
  if (storageDir) {
    const links = tags.slice(viaApi).map((tag, i): [string, string] => [tag, manifests[(viaApi + i) % manifests.length]!.desc.digest]);
    await writeTagLinks(storageDir, repository, links);
  }
  return { repository, tags, manifests: manifests.map((m) => m.desc), seconds: (performance.now() - started) / 1000 };
}

/** withRegistry opens the engine's client to `registryHost` (plain HTTP on loopback by default) for `work`, closing it after. */
async function withRegistry<T>(registryHost: string, options: RegistryOptions, work: (registry: Registry) => Promise<T>): Promise<T> {
  const registry = new Registry(registryHost, options);
  try {
    return await work(registry);
  } finally {
    await registry.close();
  }
}

/** seedBrowseContent pushes the integration tests' and the bench's content to `registryHost`. */
export async function seedBrowseContent(registryHost: string, options: SeedOptions = {}): Promise<SeededContent> {
  const { tagCount, concurrency, storageDir, ...registryOptions } = options;
  return withRegistry(registryHost, registryOptions, async (registry) => ({
    repositories: ['bulk/many', 'team-a/app', 'team-a/tools/cli', 'team-b/web'],
    app: await pushRocketArtifact(registry),
    cli: await pushBigLayer(registry),
    web: await pushPlatformIndex(registry),
    bulk: await pushBulkTags(registry, { ...(tagCount !== undefined ? { count: tagCount } : {}), ...(concurrency ? { concurrency } : {}), ...(storageDir ? { storageDir } : {}) }),
  }));
}

export interface TagsContent {
  repositories: string[];
  /** team/app's tags → digest. */
  app: Record<string, string>;
  referrerTag: string;
  bulk: BulkTags;
}

/** seedTagsContent pushes what the repositories and tags specs walk through (three namespaces: bulk, team, solo). */
export async function seedTagsContent(registryHost: string, options: SeedOptions = {}): Promise<TagsContent> {
  const { tagCount, concurrency, storageDir, ...registryOptions } = options;
  return withRegistry(registryHost, registryOptions, async (registry) => {
    const { tags, referrerTag } = await pushVersions(registry, 'team/app');
    await pushLatest(registry, ['team/tools/cli', 'solo', LONG_NAME]);
    const bulk = await pushBulkTags(registry, { ...(tagCount !== undefined ? { count: tagCount } : {}), ...(concurrency ? { concurrency } : {}), ...(storageDir ? { storageDir } : {}) });
    return { repositories: ['bulk/many', LONG_NAME, 'solo', 'team/app', 'team/tools/cli'], app: tags, referrerTag, bulk };
  });
}

export interface ManifestContent {
  artifact: { digest: string; files: Record<string, Buffer>; layers: Record<string, string> };
  artifactV2: string;
  referrer: string;
  index: { digest: string; amd64: string; arm64: string };
  big: { digest: string; size: number };
}

/**
 * seedManifestContent pushes what the manifest and downloads specs open: docs/artifact
 * v1 (rocket.txt, notes.md, logo.png and a JSON config) with a signature referring to
 * it; v2 (notes.md changed, logo.png removed, extra.txt added, the same config);
 * multi/app:v1, an index of two platforms; big/blob:v1, 3 MiB.
 */
export async function seedManifestContent(registryHost: string, options: RegistryOptions = {}): Promise<ManifestContent> {
  return withRegistry(registryHost, options, async (registry) => {
    const repo = registry.repository('docs/artifact');
    const files: Record<string, Buffer> = { 'rocket.txt': Buffer.from('🚀 to the moon\n'), 'notes.md': Buffer.from('# Notes\n\nThe first version.\n'), 'logo.png': tinyPng() };
    const types: Record<string, string> = { 'rocket.txt': 'text/plain', 'notes.md': 'text/markdown', 'logo.png': 'image/png', 'extra.txt': 'text/plain' };
    const config = () => blob('{"version":1}', 'application/vnd.demo.config.v1+json');
    const docs = { artifactType: 'application/vnd.demo.docs.v1', created: '2024-04-01T00:00:00Z' };
    const v1 = await pushArtifact(repo, Object.entries(files).map(([name, bytes]) => [name, bytes, types[name]!]), { ...docs, config: config(), tags: ['v1'] });
    const v2Files: Record<string, Buffer> = { 'rocket.txt': files['rocket.txt']!, 'notes.md': Buffer.from('# Notes\n\nThe second version.\n'), 'extra.txt': Buffer.from('new in v2\n') };
    const v2 = await pushArtifact(repo, Object.entries(v2Files).map(([name, bytes]) => [name, bytes, types[name]!]), { ...docs, config: config(), tags: ['v2'] });
    const referrer = await pushArtifact(repo, [['signature.txt', 'signed by the e2e test\n', 'text/plain']], { artifactType: 'application/vnd.demo.signature', subject: v1.manifest.desc });
    const index = await pushPlatformIndex(registry, 'multi/app', 'v1');
    const big = await pushBigLayer(registry, 'big/blob', 'v1', 3 * 1024 * 1024);
    return {
      artifact: { digest: v1.manifest.desc.digest, files, layers: Object.fromEntries(v1.layers.map((l) => [l.desc.annotations![TITLE]!, l.desc.digest])) },
      artifactV2: v2.manifest.desc.digest,
      referrer: referrer.manifest.desc.digest,
      index: { digest: index.index.digest, amd64: index.amd64.digest, arm64: index.arm64.digest },
      big: { digest: big.big.digest, size: big.big.size },
    };
  });
}

/** tinyPng is a 4×4 RGBA PNG (a blue square), made here so the tests have no binary fixture. */
export function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4, 0);
  ihdr.writeUInt32BE(4, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const row = Buffer.from([0, ...Array.from({ length: 4 }, () => [0x0b, 0x5c, 0xad, 0xff]).flat()]);
  const pixels = Buffer.concat([row, row, row, row]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * writeTagLinks tags manifests the registry already holds by writing distribution's
 * filesystem layout directly: `_manifests/tags/<tag>/current/link` and
 * `_manifests/tags/<tag>/index/<alg>/<hex>/link`, each holding the digest.
 */
async function writeTagLinks(storageDir: string, repository: string, tags: Array<[string, string]>): Promise<void> {
  const root = path.join(storageDir, 'docker', 'registry', 'v2', 'repositories', ...repository.split('/'), '_manifests', 'tags');
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let i = next++; i < tags.length; i = next++) {
        const [tag, digest] = tags[i]!;
        const [alg, hex] = digest.split(':') as [string, string];
        const current = path.join(root, tag, 'current');
        const index = path.join(root, tag, 'index', alg, hex);
        await mkdir(current, { recursive: true });
        await mkdir(index, { recursive: true });
        await writeFile(path.join(current, 'link'), digest);
        await writeFile(path.join(index, 'link'), digest);
      }
    }),
  );
}
