import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../src/main/engine/digest';
import { MediaType } from '../src/main/engine/media-type';
import { Registry } from '../src/main/engine/registry/registry';
import { staticCredentials } from '../src/main/engine/transport/credential';
import { startFaultProxy, times, type FaultProxy } from './support/fault-proxy';
import { startRedirectServer, type RedirectServer } from './support/redirect-server';
import { startRegistry, type Registry as TestRegistry } from './support/registry';
import { blob } from './support/content';
import { readAll, rejection } from '../src/main/engine/testing/expect-error';

const isBlobGet = (digest: string) => (req: { method: string; url: string }) => req.method === 'GET' && req.url.includes(`/blobs/${digest}`);

describe('a registry behind a faulty link', () => {
  let server: TestRegistry;
  let proxy: FaultProxy;
  let registry: Registry;
  const content = blob(Buffer.alloc(256 * 1024, 42));
  const layer = blob('layer bytes', 'text/plain');

  beforeAll(async () => {
    server = await startRegistry({ auth: 'htpasswd', users: { carol: 'Pa55-carol' } });
    proxy = await startFaultProxy(server.url);
    registry = new Registry(proxy.host, {
      credentials: staticCredentials(proxy.host, { username: 'carol', password: 'Pa55-carol' }),
      retry: { baseDelayMs: 10, maxDelayMs: 2000 },
    });
    const repo = registry.repository('faults/repo');
    await repo.push(content.desc, Readable.from([content.bytes]));
    await repo.push(layer.desc, Readable.from([layer.bytes]));
  });
  afterEach(() => proxy.inject());
  afterAll(async () => {
    await registry?.close();
    await proxy?.stop();
    await server?.stop();
  });

  it('retries a GET through 503s and succeeds', async () => {
    proxy.inject(times(2, { kind: 'status', status: 503 }, isBlobGet(content.desc.digest)));
    expect(await readAll(await registry.repository('faults/repo').fetch(content.desc))).toEqual(content.bytes);
  });

  it('waits as Retry-After says on 429', async () => {
    proxy.inject(times(1, { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, isBlobGet(content.desc.digest)));
    const started = Date.now();
    await readAll(await registry.repository('faults/repo').fetch(content.desc));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('retries after a connection reset', async () => {
    proxy.inject(times(1, { kind: 'reset' }, isBlobGet(content.desc.digest)));
    expect(await readAll(await registry.repository('faults/repo').fetch(content.desc))).toEqual(content.bytes);
  });

  it('gives up after the retries with a clear error', async () => {
    proxy.inject(times(10, { kind: 'status', status: 503 }, isBlobGet(content.desc.digest)));
    const err = await rejection(registry.repository('faults/repo').fetch(content.desc));
    expect(err.code).toBe('REGISTRY_ERROR');
    expect(err.message).toContain('503');
  });

  it('fails a blob cut short more often than it resumes', async () => {
    proxy.inject(times(4, { kind: 'truncate', afterBytes: 1000 }, isBlobGet(content.desc.digest)));
    const err = await rejection(readAll(await registry.repository('faults/repo').fetch(content.desc)));
    expect(['SIZE_MISMATCH', 'NETWORK']).toContain(err.code);
  });

  it('fails an altered blob with DIGEST_MISMATCH', async () => {
    proxy.inject(times(1, { kind: 'corrupt', atByte: 5000 }, isBlobGet(content.desc.digest)));
    const err = await rejection(readAll(await registry.repository('faults/repo').fetch(content.desc)));
    expect(err.code).toBe('DIGEST_MISMATCH');
  });

  it('refuses a manifest whose bytes do not match its digest', async () => {
    const repo = registry.repository('faults/repo');
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ImageManifest, config: layer.desc, layers: [] }));
    const desc = { mediaType: MediaType.ImageManifest, digest: digestOf(bytes), size: bytes.byteLength };
    await repo.pushManifest(desc, bytes, 'altered');
    proxy.inject(times(1, { kind: 'corrupt', atByte: 20 }, (req) => req.method === 'GET' && req.url.includes('/manifests/')));
    const err = await rejection(repo.fetchManifest(desc.digest));
    expect(err.code).toBe('DIGEST_MISMATCH');
    proxy.inject(times(1, { kind: 'corrupt', atByte: 20 }, (req) => req.method === 'GET' && req.url.includes('/manifests/')));
    const byTag = await rejection(repo.fetchManifest('altered'));
    expect(byTag.code).toBe('DIGEST_MISMATCH');
  });
});

describe('redirects', () => {
  let server: TestRegistry;
  let proxy: FaultProxy;
  let other: RedirectServer;

  beforeAll(async () => {
    server = await startRegistry({ auth: 'htpasswd', users: { dave: 'Pa55-dave' } });
    proxy = await startFaultProxy(server.url);
    other = await startRedirectServer();
  });
  afterAll(async () => {
    await proxy?.stop();
    await other?.stop();
    await server?.stop();
  });

  it('never carries Authorization to another origin', async () => {
    const registry = new Registry(proxy.host, { credentials: staticCredentials(proxy.host, { username: 'dave', password: 'Pa55-dave' }) });
    try {
      const repo = registry.repository('redirect/repo');
      const { desc, bytes } = blob('redirected content');
      await repo.push(desc, Readable.from([bytes]));
      other.serve('/storage/blob', bytes);
      proxy.inject(times(1, { kind: 'status', status: 307, headers: { location: `${other.url}/storage/blob?X-Signature=secret` } }, isBlobGet(desc.digest)));
      expect(await readAll(await repo.fetch(desc))).toEqual(bytes);
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0]!.headers.authorization).toBeUndefined();
      // The registry itself did get credentials: the auth was in place before the redirect.
      const blobGet = proxy.requests.find((r) => isBlobGet(desc.digest)(r));
      expect(blobGet?.headers.authorization).toMatch(/^Basic /);
    } finally {
      await registry.close();
    }
  });

  it('checks the digest of redirected content too', async () => {
    const registry = new Registry(proxy.host, { credentials: staticCredentials(proxy.host, { username: 'dave', password: 'Pa55-dave' }) });
    try {
      const repo = registry.repository('redirect/repo');
      const { desc, bytes } = blob('genuine bytes');
      await repo.push(desc, Readable.from([bytes]));
      other.serve('/storage/evil', 'forged bytes!');
      proxy.inject(times(1, { kind: 'status', status: 302, headers: { location: `${other.url}/storage/evil` } }, isBlobGet(desc.digest)));
      const err = await rejection(repo.fetch(desc).then(readAll));
      expect(err.code).toBe('DIGEST_MISMATCH');
    } finally {
      await registry.close();
    }
  });
});
