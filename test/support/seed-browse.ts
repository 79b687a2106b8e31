import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { digestOf } from '../../src/main/engine/digest';
import type { Descriptor } from '../../src/main/engine/descriptor';
import { MediaType } from '../../src/main/engine/media-type';
import { Registry, type RegistryOptions } from '../../src/main/engine/registry/registry';
import type { Repository } from '../../src/main/engine/registry/repository';

/**
 * seedBrowseContent pushes, with the engine, what the browse tests, the e2e specs and
 * the bench walk through:
 *
 * - `team-a/app:v1.0` (also `latest`): an artifact with three titled layers and a JSON
 *   config, annotated as created at APP_CREATED; a signature-like artifact refers to it
 *   (`subject`), found through the tag-schema fallback on distribution 2.8;
 * - `team-a/tools/cli:v2`: an artifact with one 1 MiB layer (`big.bin`), for previews;
 * - `team-b/web:multi`: an index of two images (linux/amd64, linux/arm64) with configs;
 * - `bulk/many`: `tagCount` tags (default 10,000) over a few manifests, pushed with
 *   some concurrency (the time it took is returned).
 */

export const APP_CREATED = '2024-05-01T12:00:00Z';
export const APP_ARTIFACT_TYPE = 'application/vnd.acme.rocket.v1';
export const SIGNATURE_TYPE = 'application/vnd.example.signature.v1';
export const APP_FILES = { 'rocket.txt': 'Three, two, one, lift-off!\n', 'notes.md': '# Launch notes\n\nAll systems go.\n', 'data.json': '{"stage":1,"fuel":"lox"}\n' } as const;
export const WEB_CREATED = { amd64: '2023-01-02T03:04:05Z', arm64: '2023-06-07T08:09:10Z' } as const;

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

export interface SeededContent {
  repositories: string[];
  app: { manifest: Descriptor; config: Descriptor; layers: Record<keyof typeof APP_FILES, Descriptor>; signature: Descriptor };
  cli: { manifest: Descriptor; big: Descriptor; bigBytes: Buffer };
  web: { index: Descriptor; amd64: Descriptor; arm64: Descriptor };
  bulk: { repository: string; tags: string[]; manifests: Descriptor[]; seconds: number };
}

interface Pushed {
  desc: Descriptor;
  bytes: Buffer;
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

/** seedBrowseContent pushes the browse content to `registryHost` (plain HTTP on loopback by default). */
export async function seedBrowseContent(registryHost: string, options: SeedOptions = {}): Promise<SeededContent> {
  const { tagCount = 10_000, concurrency = 16, storageDir, ...registryOptions } = options;
  const registry = new Registry(registryHost, registryOptions);
  try {
    // team-a/app: an artifact with three titled layers and a JSON config, and a signature.
    const app = registry.repository('team-a/app');
    const appConfig = blob(JSON.stringify({ rocket: 'saturn-v', stages: 3 }), 'application/vnd.acme.rocket.config.v1+json');
    const appLayers = Object.entries(APP_FILES).map(([name, text]) => blob(text, 'text/plain', { 'org.opencontainers.image.title': name }));
    await putBlobs(app, [appConfig, ...appLayers]);
    const appManifest = manifest({ artifactType: APP_ARTIFACT_TYPE, config: appConfig.desc, layers: appLayers.map((l) => l.desc), annotations: { 'org.opencontainers.image.created': APP_CREATED } });
    await app.pushManifest(appManifest.desc, appManifest.bytes, 'v1.0');
    await app.pushManifest(appManifest.desc, appManifest.bytes, 'latest');
    const empty = blob('{}', MediaType.Empty);
    const sigLayer = blob(`signature over ${appManifest.desc.digest}`, 'application/octet-stream');
    await putBlobs(app, [empty, sigLayer]);
    const signature = manifest({ artifactType: SIGNATURE_TYPE, config: empty.desc, layers: [sigLayer.desc], subject: appManifest.desc, annotations: { 'org.opencontainers.image.created': '2024-05-02T00:00:00Z' } });
    await app.pushManifest(signature.desc, signature.bytes, signature.desc.digest);

    // team-a/tools/cli: one 1 MiB layer.
    const cli = registry.repository('team-a/tools/cli');
    const bigBytes = randomBytes(1024 * 1024);
    const big = blob(bigBytes, 'application/octet-stream', { 'org.opencontainers.image.title': 'big.bin' });
    const cliConfig = blob('{}', MediaType.Empty);
    await putBlobs(cli, [big, cliConfig]);
    const cliManifest = manifest({ artifactType: 'application/vnd.acme.cli.v1', config: cliConfig.desc, layers: [big.desc] });
    await cli.pushManifest(cliManifest.desc, cliManifest.bytes, 'v2');

    // team-b/web: an index of two platform images.
    const web = registry.repository('team-b/web');
    const images: Record<'amd64' | 'arm64', Pushed> = {} as never;
    for (const arch of ['amd64', 'arm64'] as const) {
      const config = blob(JSON.stringify({ created: WEB_CREATED[arch], architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }), MediaType.ImageConfig);
      const layer = blob(`web layer for ${arch}`, MediaType.ImageLayer);
      await putBlobs(web, [config, layer]);
      const image = manifest({ config: config.desc, layers: [layer.desc] });
      await web.pushManifest(image.desc, image.bytes, image.desc.digest);
      images[arch] = image;
    }
    const index = manifest(
      {
        manifests: (['amd64', 'arm64'] as const).map((arch) => ({ ...images[arch].desc, platform: { os: 'linux', architecture: arch } })),
      },
      MediaType.ImageIndex,
    );
    await web.pushManifest(index.desc, index.bytes, 'multi');

    // bulk/many: many tags over three manifests.
    const bulk = registry.repository('bulk/many');
    const bulkConfig = blob('{}', MediaType.Empty);
    const bulkManifests: Pushed[] = [];
    for (let i = 0; i < 3; i++) {
      const layer = blob(`bulk layer ${i}`, 'text/plain', { 'org.opencontainers.image.title': `file-${i}.txt` });
      await putBlobs(bulk, [bulkConfig, layer]);
      bulkManifests.push(manifest({ artifactType: 'application/vnd.acme.bulk.v1', config: bulkConfig.desc, layers: [layer.desc], annotations: { 'org.opencontainers.image.created': `2022-0${i + 1}-01T00:00:00Z` } }));
    }
    const tags = Array.from({ length: tagCount }, (_, i) => `v${Math.floor(i / 100)}.${i % 100}`);
    const started = performance.now();
    // Through the API: all tags, or (with storageDir) the first few, which also proves the manifests are there.
    const viaApi = storageDir ? Math.min(tags.length, bulkManifests.length) : tags.length;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, viaApi) }, async () => {
        for (let i = next++; i < viaApi; i = next++) {
          const m = bulkManifests[i % bulkManifests.length]!;
          await bulk.pushManifest(m.desc, m.bytes, tags[i]!);
        }
      }),
    );
    if (storageDir) await writeTagLinks(storageDir, 'bulk/many', tags.slice(viaApi).map((tag, i) => [tag, bulkManifests[(viaApi + i) % bulkManifests.length]!.desc.digest]));
    const seconds = (performance.now() - started) / 1000;

    const [t0, t1, t2] = appLayers;
    return {
      repositories: ['bulk/many', 'team-a/app', 'team-a/tools/cli', 'team-b/web'],
      app: { manifest: appManifest.desc, config: appConfig.desc, layers: { 'rocket.txt': t0!.desc, 'notes.md': t1!.desc, 'data.json': t2!.desc }, signature: signature.desc },
      cli: { manifest: cliManifest.desc, big: big.desc, bigBytes },
      web: { index: index.desc, amd64: images.amd64.desc, arm64: images.arm64.desc },
      bulk: { repository: 'bulk/many', tags, manifests: bulkManifests.map((m) => m.desc), seconds },
    };
  } finally {
    await registry.close();
  }
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
