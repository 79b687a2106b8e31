import { createHash } from 'node:crypto';

/**
 * seedBrowse fills a plain (no auth) registry with what the repositories and tags
 * specs walk through, over the distribution API directly (10,000 tags by `oras tag`
 * one process each would take minutes):
 *
 * - `team/app`: v1, v1.9, v1.10, latest (= v1.10), rc1, each with its own created
 *   time, and a referrer tag of the tag schema (`sha256-<hex>.sig`);
 * - `team/tools/cli`, `solo`, and one long, deep name;
 * - `bulk/many`: 10,000 tags (`t00000` …) over a handful of manifests.
 */
export interface BrowseSeed {
  repositories: string[];
  longName: string;
  /** team/app's tags → digest. */
  app: Record<string, string>;
  referrerTag: string;
  bulkTags: number;
}

const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export const LONG_NAME = 'team/a-very-long-repository-name-that-keeps-going-and-going/and-deeper-still/until-it-wraps';

export async function seedBrowse(registryUrl: string, bulkTags = 10_000): Promise<BrowseSeed> {
  const put = async (path: string, body: string, type: string) => {
    const response = await fetch(`${registryUrl}/v2/${path}`, { method: 'PUT', headers: { 'content-type': type }, body });
    if (!response.ok) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
  };
  const blob = async (repository: string, bytes: string) => {
    const digest = sha256(bytes);
    const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    if (start.status !== 202) throw new Error(`upload ${repository}: ${start.status}`);
    const location = new URL(start.headers.get('location')!, registryUrl);
    location.searchParams.set('digest', digest);
    const done = await fetch(location, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    if (done.status !== 201) throw new Error(`upload ${repository}: ${done.status}`);
    return { digest, size: Buffer.byteLength(bytes) };
  };
  /** manifest pushes an artifact manifest with one layer, created at `created`, and returns its digest. */
  const manifest = async (repository: string, text: string, created: string, subject?: { digest: string; size: number }) => {
    const config = await blob(repository, '{}');
    const layer = await blob(repository, text);
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: subject ? 'application/vnd.demo.signature' : 'application/vnd.demo.docs.v1',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', ...config },
      layers: [{ mediaType: 'text/plain', ...layer, annotations: { 'org.opencontainers.image.title': `${text.slice(0, 20)}.txt` } }],
      ...(subject ? { subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...subject } } : {}),
      annotations: { 'org.opencontainers.image.created': created },
    });
    return { body, digest: sha256(body), size: Buffer.byteLength(body) };
  };
  const tag = (repository: string, name: string, m: { body: string }) => put(`${repository}/manifests/${name}`, m.body, 'application/vnd.oci.image.manifest.v1+json');

  const app: Record<string, string> = {};
  const versions: [string, string][] = [
    ['v1', '2024-01-10T10:00:00Z'],
    ['v1.9', '2024-03-01T10:00:00Z'],
    ['v1.10', '2024-06-01T10:00:00Z'],
    ['rc1', '2023-12-01T10:00:00Z'],
  ];
  for (const [name, created] of versions) {
    const m = await manifest('team/app', `team/app ${name}`, created);
    await tag('team/app', name, m);
    app[name] = m.digest;
  }
  const latest = await manifest('team/app', 'team/app v1.10', '2024-06-01T10:00:00Z');
  await tag('team/app', 'latest', latest);
  app['latest'] = latest.digest;
  const signature = await manifest('team/app', 'signature', '2024-06-02T10:00:00Z', { digest: app['v1.10']!, size: latest.size });
  const referrerTag = `${app['v1.10']!.replace(':', '-')}.sig`;
  await tag('team/app', referrerTag, signature);

  for (const repository of ['team/tools/cli', 'solo', LONG_NAME]) {
    await tag(repository, 'latest', await manifest(repository, repository, '2024-02-02T10:00:00Z'));
  }

  const bulk = await Promise.all(Array.from({ length: 5 }, (_, i) => manifest('bulk/many', `bulk ${i}`, `2024-0${i + 1}-01T00:00:00Z`)));
  const names = Array.from({ length: bulkTags }, (_, i) => `t${String(i).padStart(5, '0')}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < names.length) {
        const i = next++;
        await tag('bulk/many', names[i]!, bulk[i % bulk.length]!);
      }
    }),
  );

  return { repositories: ['bulk/many', LONG_NAME, 'solo', 'team/app', 'team/tools/cli'], longName: LONG_NAME, app, referrerTag, bulkTags };
}
