import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Descriptor } from '../src/main/engine/descriptor';
import { MemoryStore } from '../src/main/engine/content/memory-store';
import type { ProgressEvent } from '../src/main/engine/content/storage';
import { push } from '../src/main/engine/oras/push';
import { Registry } from '../src/main/engine/registry/registry';
import { staticCredentials } from '../src/main/engine/transport/credential';
import { startFaultProxy, type FaultProxy, type ProxyRequest } from './support/fault-proxy';
import { startRegistry, type Registry as TestRegistry } from './support/registry';

/** smallArtifact is three small titled layers (and the empty config) in memory. */
function smallArtifact(tag: string): { store: MemoryStore; layers: Descriptor[] } {
  const store = new MemoryStore();
  const layers = ['a.txt', 'b.txt', 'c.txt'].map((name) => store.add(name, 'text/plain', `${name} of ${tag}\n`));
  return { store, layers };
}

/** blobRequests lists a push's blob requests as `METHOD kind`, kind 'mount' for a mount from the repository itself. */
function blobRequests(requests: ProxyRequest[], repository: string): string[] {
  return requests
    .filter((r) => r.url.includes('/blobs/'))
    .map((r) => {
      if (r.method !== 'POST') return r.method;
      const query = new URL(r.url, 'http://x').searchParams;
      return query.get('from') === repository && query.has('mount') ? `POST mount ${r.status}` : 'POST';
    })
    .sort();
}

/**
 * Small blobs go up without a HEAD first: the POST that opens the upload mounts from
 * the repository itself, so the registry answers "held" (201) or opens the session
 * (202) in one request. A third fewer requests for many small files, with "Exists"
 * still known.
 */
describe('push of small blobs asks whether they are held in the upload request', () => {
  let server: TestRegistry;
  let proxy: FaultProxy;
  let registry: Registry;

  beforeAll(async () => {
    server = await startRegistry();
    proxy = await startFaultProxy(server.url);
    registry = new Registry(proxy.host);
  });
  afterEach(() => proxy.inject());
  afterAll(async () => {
    await registry?.close();
    await proxy?.stop();
    await server?.stop();
  });

  it('sends POST and PUT per new blob, and only the POST for a held one, which is skipped', async () => {
    const repository = registry.repository('small/held');
    const { store, layers } = smallArtifact('v1');
    const first = proxy.requests.length;
    await push(store, repository, 'v1', { layers, created: false });
    expect(blobRequests(proxy.requests.slice(first), 'small/held')).toEqual([...Array(4).fill('POST mount 202'), ...Array(4).fill('PUT')].sort());

    const again = proxy.requests.length;
    const events: ProgressEvent[] = [];
    const skipped: string[] = [];
    await push(store, repository, 'v2', { layers, created: false, annotations: { again: 'yes' }, onProgress: (e) => events.push(e), onCopySkipped: (d) => skipped.push(d.digest) });
    expect(blobRequests(proxy.requests.slice(again), 'small/held')).toEqual(Array(4).fill('POST mount 201'));
    expect(skipped).toHaveLength(4);
    // A held blob is never shown as started.
    expect(events.filter((e) => e.state === 'started' && e.descriptor.mediaType === 'text/plain')).toEqual([]);
    const manifest = JSON.parse((await repository.fetchManifest('v2')).bytes.toString('utf8')) as { layers: Descriptor[] };
    expect(manifest.layers).toEqual(layers);
  });

  it('asks with a HEAD from then on when the registry turns the mount down', async () => {
    // As a registry that knows no mounts and says so instead of opening an upload.
    proxy.inject((r) => (r.method === 'POST' && r.url.includes('mount=') ? { kind: 'status', status: 405 } : undefined));
    const repository = registry.repository('small/no-mount');
    const { store, layers } = smallArtifact('v1');
    const first = proxy.requests.length;
    await push(store, repository, 'v1', { layers, concurrency: 1 });
    // One mount tried; then HEAD, POST, PUT for each blob, that one included.
    expect(blobRequests(proxy.requests.slice(first), 'small/no-mount')).toEqual(['POST mount 405', ...Array(4).fill(['HEAD', 'POST', 'PUT']).flat()].sort());
    const skipped: string[] = [];
    await push(store, repository, 'v2', { layers, annotations: { again: 'yes' }, onCopySkipped: (d) => skipped.push(d.digest) });
    expect(skipped).toHaveLength(4);
  });

  it('needs no other token than the push scope on a token-auth registry', async () => {
    const tokenServer = await startRegistry({ auth: 'token', users: { bob: 'token-Pa55' } });
    const client = new Registry(tokenServer.host, { credentials: staticCredentials(tokenServer.host, { username: 'bob', password: 'token-Pa55' }) });
    try {
      const repository = client.repository('small/token');
      const { store, layers } = smallArtifact('v1');
      await push(store, repository, 'v1', { layers });
      await push(store, repository, 'v2', { layers });
      // One scope per token request, this repository's: no second scope for the mount.
      for (const request of tokenServer.tokenServer!.requests) expect(request.scope).toHaveLength(1);
      expect(new Set(tokenServer.tokenServer!.requests.map((r) => r.scope[0]))).toEqual(new Set(['repository:small/token:pull', 'repository:small/token:pull,push']));
      expect(await repository.exists(layers[0]!)).toBe(true);
    } finally {
      await client.close();
      await tokenServer.stop();
    }
  });
});
