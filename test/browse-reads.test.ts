import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciLayoutStore } from '../src/main/engine/content/oci-layout-store';
import { copy } from '../src/main/engine/oras/copy';
import { Registry } from '../src/main/engine/registry/registry';
import type { ManifestDetails, ReferrerNode, RepositoriesPage, TagDetail, TagsPage } from '../src/shared/browse';
import { summarizeManifest } from '../src/shared/manifest-summary';
import { browseApp, memoryLogins, type BrowseApp } from './support/browse-app';
import { startRegistry, type Registry as TestRegistry } from './support/registry';
import { APP_ARTIFACT_TYPE, APP_CREATED, APP_FILES, BULK_MANIFESTS, SIGNATURE_TYPE, WEB_CREATED, seedBrowseContent, type SeededContent } from './support/seed-browse';
import { useTempDirs } from './support/tmp';
import { readAll, untar } from './support/untar';

/**
 * The browse channels through the handlers against a real distribution 2.8 registry
 * (plain HTTP on loopback) seeded by the engine, and against the local store's OCI
 * layouts holding a copy of the same content.
 */

const TAGS = 250;
const tempDir = useTempDirs('oras-browse-');
let registry: TestRegistry;
let seeded: SeededContent;
let app: BrowseApp;
let host: string;

beforeAll(async () => {
  registry = await startRegistry();
  host = registry.host;
  seeded = await seedBrowseContent(host, { tagCount: TAGS, storageDir: registry.dataDir });
  app = browseApp({ dataDir: await tempDir(), logins: memoryLogins(), stagingParent: await tempDir() });
}, 60_000);

afterAll(async () => {
  await app?.services.dispose();
  await registry?.stop();
});

describe('repositories and tags', () => {
  it('pages the catalog by Link', async () => {
    const names: string[] = [];
    let last: string | undefined;
    let pages = 0;
    do {
      const page: RepositoriesPage = await app.call('browse.repositories', { registry: host, pageSize: 2, ...(last ? { last } : {}) });
      expect(page.catalog).toBe('listed');
      names.push(...page.repositories);
      last = page.next;
      pages++;
    } while (last);
    expect(names).toEqual(seeded.repositories);
    expect(pages).toBeGreaterThanOrEqual(2);
  });

  it('pages the tags by Link', async () => {
    const tags: string[] = [];
    let last: string | undefined;
    let pages = 0;
    do {
      const page: TagsPage = await app.call('browse.tags', { registry: host, repository: 'bulk/many', pageSize: 100, ...(last ? { last } : {}) });
      expect(page.tags.length).toBeLessThanOrEqual(100);
      tags.push(...page.tags);
      last = page.next;
      pages++;
    } while (last);
    expect(tags.sort()).toEqual([...seeded.bulk.tags].sort());
    expect(pages).toBe(3);
  });

  it('answers NOT_FOUND for a repository that is not there', async () => {
    expect(await app.attempt('browse.tags', { registry: host, repository: 'no/such' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('tag details', () => {
  it('gives digest, media type, artifact type, total size and created per tag, and an error on its own row', async () => {
    const details: TagDetail[] = await app.call('browse.tagDetails', { registry: host, repository: 'team-a/app', tags: ['v1.0', 'latest', 'gone'] });
    const [v1, latest, gone] = details;
    const layersSize = Object.values(seeded.app.layers).reduce((s, l) => s + l.size, 0);
    expect(v1).toEqual({
      tag: 'v1.0',
      digest: seeded.app.manifest.digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: APP_ARTIFACT_TYPE,
      totalSize: seeded.app.manifest.size + seeded.app.config.size + layersSize,
      created: APP_CREATED,
    });
    // Grouping input: two tags, one digest.
    expect(latest?.digest).toBe(v1?.digest);
    expect(gone).toMatchObject({ tag: 'gone', error: { code: 'NOT_FOUND' } });
  });

  it("reads an image's created time from its config, and an index's size from its children", async () => {
    const [multi] = (await app.call('browse.tagDetails', { registry: host, repository: 'team-b/web', tags: ['multi'] })) as TagDetail[];
    expect(multi).toMatchObject({ digest: seeded.web.index.digest, mediaType: 'application/vnd.oci.image.index.v1+json' });
    expect(multi?.totalSize).toBe(seeded.web.index.size + seeded.web.amd64.size + seeded.web.arm64.size);
    const amd64: ManifestDetails = await app.call('browse.manifest', { registry: host, repository: 'team-b/web', reference: seeded.web.amd64.digest });
    expect(amd64.created).toBe(WEB_CREATED.amd64);
  });

  it('reads 100 tags at once', async () => {
    const tags = seeded.bulk.tags.slice(0, 100);
    const details: TagDetail[] = await app.call('browse.tagDetails', { registry: host, repository: 'bulk/many', tags });
    expect(details.map((d) => d.tag)).toEqual(tags);
    expect(details.every((d) => d.digest && !d.error && d.created)).toBe(true);
    expect(new Set(details.map((d) => d.digest)).size).toBe(BULK_MANIFESTS);
  });
});

describe('manifests and referrers', () => {
  it('answers an index by tag with its own digest, its exact bytes and both platforms', async () => {
    const details: ManifestDetails = await app.call('browse.manifest', { registry: host, repository: 'team-b/web', reference: 'multi' });
    expect(details.descriptor).toMatchObject({ digest: seeded.web.index.digest, size: seeded.web.index.size, mediaType: 'application/vnd.oci.image.index.v1+json' });
    const summary = summarizeManifest(details.raw);
    expect(summary.kind).toBe('index');
    expect(summary.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(Buffer.byteLength(details.raw)).toBe(seeded.web.index.size);
  });

  it('answers an artifact with its artifact type, created and total size', async () => {
    const details: ManifestDetails = await app.call('browse.manifest', { registry: host, repository: 'team-a/app', reference: 'v1.0' });
    expect(details.descriptor).toMatchObject({ digest: seeded.app.manifest.digest, artifactType: APP_ARTIFACT_TYPE });
    expect(details.created).toBe(APP_CREATED);
    expect(summarizeManifest(details.raw).layers.map((l) => l.annotations?.['org.opencontainers.image.title'])).toEqual(Object.keys(APP_FILES));
  });

  it('finds the signature through the tag-schema fallback (distribution 2.8 has no referrers API)', async () => {
    const tree: ReferrerNode = await app.call('browse.referrers', { registry: host, repository: 'team-a/app', digest: seeded.app.manifest.digest });
    expect(tree.descriptor.digest).toBe(seeded.app.manifest.digest);
    expect(tree.referrers).toHaveLength(1);
    expect(tree.referrers[0]?.descriptor).toMatchObject({ digest: seeded.app.signature.digest, artifactType: SIGNATURE_TYPE });
  });
});

describe('blob previews', () => {
  it('reads a small blob whole and verifies it', async () => {
    const layer = seeded.app.layers['rocket.txt'];
    const preview = await app.call('browse.blob', { registry: host, repository: 'team-a/app', digest: layer.digest, mediaType: 'text/plain' });
    expect(preview).toMatchObject({ digest: layer.digest, size: layer.size, mediaType: 'text/plain', complete: true });
    expect(Buffer.from(preview.head, 'base64').toString('utf8')).toBe(APP_FILES['rocket.txt']);
  });

  it('reads only the first 64 KiB of a 1 MiB blob', async () => {
    const preview = await app.call('browse.blob', { registry: host, repository: 'team-a/tools/cli', digest: seeded.cli.big.digest });
    expect(preview.size).toBe(1024 * 1024);
    expect(preview.complete).toBe(false);
    const head = Buffer.from(preview.head, 'base64');
    expect(head.byteLength).toBe(64 * 1024);
    expect(head.equals(seeded.cli.bigBytes.subarray(0, 64 * 1024))).toBe(true);
  });
});

describe('tag and delete', () => {
  it('adds tags to a manifest', async () => {
    expect(await app.call('tags.add', { registry: host, repository: 'team-a/app', digest: seeded.app.manifest.digest, tags: ['v1.1', 'stable'] })).toEqual({ tagged: ['v1.1', 'stable'] });
    const page: TagsPage = await app.call('browse.tags', { registry: host, repository: 'team-a/app' });
    expect(page.tags).toEqual(expect.arrayContaining(['v1.0', 'v1.1', 'stable', 'latest']));
  });

  it('says plainly that distribution 2.8 deletes only by digest', async () => {
    const result = await app.attempt('manifests.delete', { registry: host, repository: 'team-a/app', reference: 'stable' });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    if (!result.ok) expect(result.error.message).toMatch(/deletes manifests only by digest, which removes every tag on it/);
    // Nothing was removed.
    expect((await app.call('browse.manifest', { registry: host, repository: 'team-a/app', reference: 'stable' })).descriptor.digest).toBe(seeded.app.manifest.digest);
  });

  it('deletes by digest: the manifest and every tag on it', async () => {
    expect(await app.call('manifests.delete', { registry: host, repository: 'team-a/tools/cli', reference: seeded.cli.manifest.digest })).toEqual({ deleted: seeded.cli.manifest.digest });
    expect(await app.attempt('browse.manifest', { registry: host, repository: 'team-a/tools/cli', reference: 'v2' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('registries that refuse', () => {
  it('says in one line that a registry does not list its repositories, and keeps a refused login UNAUTHORIZED', async () => {
    const users = { alice: 'alice-password' };
    const token = await startRegistry({
      auth: 'token',
      users,
      token: { authorize: (_user, granted) => granted.filter((g) => g.type !== 'registry') },
    });
    const good = browseApp({ dataDir: await tempDir(), logins: memoryLogins({ [token.host]: { username: 'alice', password: users.alice } }) });
    const bad = browseApp({ dataDir: await tempDir(), logins: memoryLogins({ [token.host]: { username: 'alice', password: 'wrong' } }) });
    try {
      const page: RepositoriesPage = await good.call('browse.repositories', { registry: token.host });
      expect(page).toEqual({ repositories: [], catalog: 'unavailable', message: `${token.host} does not list its repositories: open one by name` });
      expect(await bad.attempt('browse.repositories', { registry: token.host })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    } finally {
      await Promise.all([good.services.dispose(), bad.services.dispose()]);
      await token.stop();
    }
  }, 30_000);

  it('says plainly when a registry does not allow deletes, and deletes nothing', async () => {
    const readOnly = await startRegistry({ configure: (c) => (c.storage.delete.enabled = false) });
    const client = browseApp({ dataDir: await tempDir(), logins: memoryLogins() });
    try {
      const content = await seedBrowseContent(readOnly.host, { tagCount: 1 });
      const byDigest = await client.attempt('manifests.delete', { registry: readOnly.host, repository: 'team-a/app', reference: content.app.manifest.digest });
      expect(byDigest).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', message: `${readOnly.host} does not allow deleting manifests (it answered 405); its administrator can enable deletes` } });
      const byTag = await client.attempt('manifests.delete', { registry: readOnly.host, repository: 'team-a/app', reference: 'latest' });
      expect(byTag).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
      if (!byTag.ok) expect(byTag.error.message).toMatch(/does not allow deletes/);
      expect((await client.call('browse.tags', { registry: readOnly.host, repository: 'team-a/app' })).tags).toEqual(expect.arrayContaining(['latest', 'v1.0']));
    } finally {
      await client.services.dispose();
      await readOnly.stop();
    }
  }, 30_000);

  it('browses an htpasswd registry with the saved login', async () => {
    const users = { bob: 'bob-password' };
    const locked = await startRegistry({ auth: 'htpasswd', users });
    const withLogin = browseApp({ dataDir: await tempDir(), logins: memoryLogins({ [locked.host]: { username: 'bob', password: users.bob } }) });
    const anonymous = browseApp({ dataDir: await tempDir(), logins: memoryLogins() });
    const inBrowser = browseApp({ dataDir: await tempDir(), logins: memoryLogins({ [locked.host]: { username: 'bob', password: users.bob } }) }, 'browser');
    try {
      await seedBrowseContent(locked.host, { tagCount: 5, credentials: async () => ({ username: 'bob', password: users.bob }) });
      const page: RepositoriesPage = await withLogin.call('browse.repositories', { registry: locked.host });
      expect(page.repositories).toEqual(['bulk/many', 'team-a/app', 'team-a/tools/cli', 'team-b/web']);
      const [v1] = (await withLogin.call('browse.tagDetails', { registry: locked.host, repository: 'team-a/app', tags: ['v1.0'] })) as TagDetail[];
      expect(v1?.created).toBe(APP_CREATED);
      expect(await anonymous.attempt('browse.tags', { registry: locked.host, repository: 'team-a/app' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      // Downloads use the same login: the tar of every file, as browser mode offers it.
      const offered = await inBrowser.call('downloads.pull', { registry: locked.host, repository: 'team-a/app', reference: 'v1.0' });
      expect(await untar(await readAll(await inBrowser.services.downloads.take(offered.browserDownload.id)!.open()))).toEqual(APP_FILES);
    } finally {
      await Promise.all([withLogin.services.dispose(), anonymous.services.dispose(), inBrowser.services.dispose()]);
      await locked.stop();
    }
  }, 30_000);
});

describe('the local store', () => {
  let local: BrowseApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await tempDir();
    local = browseApp({ dataDir, logins: memoryLogins() });
    // The same content, copied by the engine into one layout per repository.
    const source = new Registry(host);
    try {
      for (const [repository, reference] of [
        ['team-a/app', 'v1.0'],
        ['team-b/web', 'multi'],
      ] as const) {
        const layout = await OciLayoutStore.open(`${dataDir}/oci-layout/${repository}`);
        await copy(source.repository(repository), reference, layout, reference, { includeReferrers: true });
      }
      const cliLayout = await OciLayoutStore.open(`${dataDir}/oci-layout/team-a/tools/cli`);
      const big = seeded.cli.big;
      await cliLayout.push(big, Readable.from([seeded.cli.bigBytes]));
    } finally {
      await source.close();
    }
  });

  afterAll(async () => {
    await local?.services.dispose();
  });

  it('lists the layout folders as repositories, paged', async () => {
    const first: RepositoriesPage = await local.call('browse.repositories', { registry: 'local', pageSize: 2 });
    expect(first).toEqual({ repositories: ['team-a/app', 'team-a/tools/cli'], catalog: 'listed', next: 'team-a/tools/cli' });
    const second: RepositoriesPage = await local.call('browse.repositories', { registry: 'local', pageSize: 2, last: first.next });
    expect(second).toEqual({ repositories: ['team-b/web'], catalog: 'listed' });
  });

  it('reads tags, details, manifests, referrers and previews the same way', async () => {
    expect(await local.call('browse.tags', { registry: 'local', repository: 'team-a/app' })).toEqual({ tags: ['v1.0'] });
    const [v1] = (await local.call('browse.tagDetails', { registry: 'local', repository: 'team-a/app', tags: ['v1.0'] })) as TagDetail[];
    expect(v1).toMatchObject({ digest: seeded.app.manifest.digest, artifactType: APP_ARTIFACT_TYPE, created: APP_CREATED });
    const index: ManifestDetails = await local.call('browse.manifest', { registry: 'local', repository: 'team-b/web', reference: 'multi' });
    expect(index.descriptor.digest).toBe(seeded.web.index.digest);
    const tree: ReferrerNode = await local.call('browse.referrers', { registry: 'local', repository: 'team-a/app', digest: seeded.app.manifest.digest });
    expect(tree.referrers.map((r) => r.descriptor.digest)).toEqual([seeded.app.signature.digest]);
    const preview = await local.call('browse.blob', { registry: 'local', repository: 'team-a/tools/cli', digest: seeded.cli.big.digest });
    expect(preview.complete).toBe(false);
    expect(Buffer.from(preview.head, 'base64').equals(seeded.cli.bigBytes.subarray(0, 64 * 1024))).toBe(true);
  });

  it('answers NOT_FOUND for a repository that is not there, and creates nothing', async () => {
    expect(await local.attempt('browse.tags', { registry: 'local', repository: 'nothing/here' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const page: RepositoriesPage = await local.call('browse.repositories', { registry: 'local' });
    expect(page.repositories).not.toContain('nothing/here');
  });

  it('offers a blob and every file of an artifact from a layout, verified', async () => {
    const inBrowser = browseApp({ dataDir, logins: memoryLogins() }, 'browser');
    try {
      const layer = seeded.app.layers['data.json'];
      const blob = await inBrowser.call('downloads.blob', { registry: 'local', repository: 'team-a/app', digest: layer.digest, name: 'data.json' });
      expect((await readAll(await inBrowser.services.downloads.take(blob.browserDownload.id)!.open())).toString()).toBe(APP_FILES['data.json']);
      const pulled = await inBrowser.call('downloads.pull', { registry: 'local', repository: 'team-a/app', reference: 'v1.0' });
      expect(await untar(await readAll(await inBrowser.services.downloads.take(pulled.browserDownload.id)!.open()))).toEqual(APP_FILES);
    } finally {
      await inBrowser.services.dispose();
    }
  });

  it('adds and deletes a tag', async () => {
    await local.call('tags.add', { registry: 'local', repository: 'team-a/app', digest: seeded.app.manifest.digest, tags: ['extra'] });
    expect((await local.call('browse.tags', { registry: 'local', repository: 'team-a/app' })).tags).toEqual(['extra', 'v1.0']);
    expect(await local.call('manifests.delete', { registry: 'local', repository: 'team-a/app', reference: 'extra' })).toEqual({ deleted: seeded.app.manifest.digest });
    expect((await local.call('browse.tags', { registry: 'local', repository: 'team-a/app' })).tags).toEqual(['v1.0']);
  });
});
