import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, times, type FaultProxy } from './support/fault-proxy';
import { startRedirectServer, type RedirectServer } from './support/redirect-server';
import { startRegistry, type Registry } from './support/registry';
import { makeTempDir, removeTempDir, useTempDirs } from './support/tmp';

/**
 * Proves the integration harness itself with plain fetch against the real registry, so
 * a failing engine test can be trusted to be about the engine.
 */

const sha256 = (data: Uint8Array | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** pushBlob does the monolithic POST + PUT upload (distribution spec "Pushing a blob in chunks" without PATCH). */
async function pushBlob(base: string, repo: string, data: Uint8Array, headers: Record<string, string> = {}): Promise<string> {
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers });
  expect(start.status).toBe(202);
  const location = new URL(start.headers.get('location')!, base);
  location.searchParams.set('digest', sha256(data));
  const put = await fetch(location, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(data),
  });
  expect(put.status).toBe(201);
  return sha256(data);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** parseChallenge reads `Bearer realm="…",service="…",scope="…"`. */
function parseChallenge(header: string): Record<string, string> {
  return Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

describe('plain registry', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => registry?.stop());

  it('answers the version check and round-trips a blob', async () => {
    const ping = await fetch(`${registry.url}/v2/`);
    expect(ping.status).toBe(200);
    expect(ping.headers.get('docker-distribution-api-version')).toBe('registry/2.0');

    const data = randomBytes(4096);
    const digest = await pushBlob(registry.url, 'harness/plain', data);
    const got = await fetch(`${registry.url}/v2/harness/plain/blobs/${digest}`);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(data)).toBe(true);
    expect(existsSync(registry.dataDir)).toBe(true);
  });

  it('leaves no process or folder behind once stopped', async () => {
    const other = await startRegistry();
    expect(isAlive(other.pid)).toBe(true);
    await other.stop();
    await other.stop(); // idempotent
    expect(isAlive(other.pid)).toBe(false);
    expect(existsSync(other.dataDir)).toBe(false);
  });
});

describe('htpasswd registry', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'htpasswd', users: { alice: 's3cret' } });
  });
  afterAll(() => registry?.stop());

  it('refuses anonymous and wrong passwords, accepts the user', async () => {
    const anonymous = await fetch(`${registry.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await fetch(`${registry.url}/v2/`, { headers: { authorization: basic('alice', 'wrong') } })).status).toBe(401);
    expect((await fetch(`${registry.url}/v2/`, { headers: { authorization: basic('alice', 's3cret') } })).status).toBe(200);
  });
});

describe('token registry', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', users: { bob: 'hunter2' }, token: { anonymousPull: true } });
  });
  afterAll(() => registry?.stop());

  async function getToken(scope: string[], authorization?: string): Promise<Response> {
    const challenge = parseChallenge((await fetch(`${registry.url}/v2/`)).headers.get('www-authenticate')!);
    const url = new URL(challenge.realm!);
    url.searchParams.set('service', challenge.service!);
    for (const s of scope) url.searchParams.append('scope', s);
    return fetch(url, { headers: authorization ? { authorization } : {} });
  }

  it('challenges with the token server as realm', async () => {
    const ping = await fetch(`${registry.url}/v2/`);
    expect(ping.status).toBe(401);
    const challenge = parseChallenge(ping.headers.get('www-authenticate')!);
    expect(challenge.realm).toBe(registry.tokenServer!.url);
    expect(challenge.service).toBe(registry.tokenServer!.service);
  });

  it('issues tokens the registry accepts for push and pull', async () => {
    const response = await getToken(['repository:harness/token:pull,push'], basic('bob', 'hunter2'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; access_token: string; expires_in: number; issued_at: string };
    expect(body.access_token).toBe(body.token);
    const auth = { authorization: `Bearer ${body.token}` };

    const config = Buffer.from('{}');
    const configDigest = await pushBlob(registry.url, 'harness/token', config, auth);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.oras.test',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: configDigest, size: config.length },
      layers: [],
    });
    const put = await fetch(`${registry.url}/v2/harness/token/manifests/v1`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: manifest,
    });
    expect(put.status, await registry.readLog()).toBe(201);
    expect(put.headers.get('docker-content-digest')).toBe(sha256(manifest));

    const get = await fetch(`${registry.url}/v2/harness/token/manifests/v1`, {
      headers: { ...auth, accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(get.status).toBe(200);
    expect(await get.text()).toBe(manifest);

    const seen = registry.tokenServer!.requests.at(-1)!;
    expect(seen).toMatchObject({ method: 'GET', scope: ['repository:harness/token:pull,push'], user: 'bob', authorization: true, status: 200 });
  });

  it('gives anonymous clients pull only, and refuses wrong passwords', async () => {
    expect((await getToken(['repository:harness/token:pull'], basic('bob', 'nope'))).status).toBe(401);
    const anonymous = (await (await getToken(['repository:harness/token:pull,push'])).json()) as { token: string };
    const push = await fetch(`${registry.url}/v2/harness/token/blobs/uploads/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${anonymous.token}` },
    });
    expect(push.status).toBe(401);
    expect(push.headers.get('www-authenticate')).toContain('insufficient_scope');
    const pull = await fetch(`${registry.url}/v2/harness/token/tags/list`, { headers: { authorization: `Bearer ${anonymous.token}` } });
    expect(pull.status).not.toBe(401);
  });

  it('grants the catalog and speaks the OAuth2 POST flow with refresh tokens', async () => {
    const form = (fields: Record<string, string>) =>
      fetch(registry.tokenServer!.url, { method: 'POST', body: new URLSearchParams(fields) });
    const service = registry.tokenServer!.service;
    const first = await form({ grant_type: 'password', username: 'bob', password: 'hunter2', service, scope: 'registry:catalog:*', access_type: 'offline', client_id: 'harness' });
    expect(first.status).toBe(200);
    const { refresh_token } = (await first.json()) as { refresh_token: string };
    expect(refresh_token).toBeTruthy();
    expect((await form({ grant_type: 'password', username: 'bob', password: 'bad', service })).status).toBe(401);

    const refreshed = await form({ grant_type: 'refresh_token', refresh_token, service, scope: 'registry:catalog:*', client_id: 'harness' });
    expect(refreshed.status).toBe(200);
    const { access_token } = (await refreshed.json()) as { access_token: string };
    const catalog = await fetch(`${registry.url}/v2/_catalog`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(catalog.status).toBe(200);
    expect(await catalog.json()).toEqual({ repositories: ['harness/token'] });
  });

  it('rejects a token minted already expired', async () => {
    const token = registry.tokenServer!.mintToken([{ type: 'repository', name: 'harness/token', actions: ['pull'] }], { expiresIn: -3600 });
    const got = await fetch(`${registry.url}/v2/harness/token/tags/list`, { headers: { authorization: `Bearer ${token}` } });
    expect(got.status).toBe(401);
  });
});

describe('TLS registry', () => {
  let registry: Registry;
  let agent: Agent;
  beforeAll(async () => {
    registry = await startRegistry({ tls: true, auth: 'token', users: { carol: 'pw' } });
    agent = new Agent({ connect: { ca: registry.ca } });
  });
  afterAll(async () => {
    await agent?.close();
    await registry?.stop();
  });

  it('serves HTTPS trusted through the test CA, with an https realm', async () => {
    expect(registry.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ping = await undiciFetch(`${registry.url}/v2/`, { dispatcher: agent });
    expect(ping.status).toBe(401);
    const challenge = parseChallenge(ping.headers.get('www-authenticate')!);
    expect(challenge.realm).toMatch(/^https:/);
    const url = new URL(challenge.realm!);
    url.searchParams.set('service', challenge.service!);
    const token = (await (await undiciFetch(url, { dispatcher: agent, headers: { authorization: basic('carol', 'pw') } })).json()) as { token: string };
    const authed = await undiciFetch(`${registry.url}/v2/`, { dispatcher: agent, headers: { authorization: `Bearer ${token.token}` } });
    expect(authed.status).toBe(200);
  });

  it('is not trusted without the CA', async () => {
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
  });
});

describe('fault proxy and redirect server', () => {
  let registry: Registry;
  let proxy: FaultProxy;
  let redirect: RedirectServer;
  const data = randomBytes(256 * 1024);
  let digest: string;
  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.url);
    redirect = await startRedirectServer();
    digest = await pushBlob(proxy.url, 'harness/faults', data);
  });
  afterAll(async () => {
    await proxy?.stop();
    await redirect?.stop();
    await registry?.stop();
  });
  const blobUrl = () => `${proxy.url}/v2/harness/faults/blobs/${digest}`;

  it('forwarded the upload, keeping Location on the proxy', () => {
    const put = proxy.requests.find((r) => r.method === 'PUT');
    expect(put?.status).toBe(201);
    expect(proxy.requests.every((r) => r.fault === undefined)).toBe(true);
  });

  it('injects 503 once, then 429 with Retry-After, then forwards', async () => {
    proxy.inject(times(1, { kind: 'status', status: 503 }));
    expect((await fetch(`${proxy.url}/v2/`)).status).toBe(503);
    expect((await fetch(`${proxy.url}/v2/`)).status).toBe(200);
    proxy.inject(() => ({ kind: 'status', status: 429, headers: { 'Retry-After': '1' } }));
    const limited = await fetch(`${proxy.url}/v2/`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    proxy.inject();
    expect((await fetch(`${proxy.url}/v2/`)).status).toBe(200);
  });

  it('truncates a body mid-stream', async () => {
    proxy.inject(() => ({ kind: 'truncate', afterBytes: 1000 }));
    const response = await fetch(blobUrl());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(data.length));
    let received = 0;
    await expect(
      (async () => {
        const reader = response.body!.getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read()) received += r.value.length;
      })(),
    ).rejects.toThrow();
    expect(received).toBe(1000);
    proxy.inject();
  });

  it('corrupts one byte, resets, and delays', async () => {
    proxy.inject(() => ({ kind: 'corrupt', atByte: 100_000 }));
    const corrupted = Buffer.from(await (await fetch(blobUrl())).arrayBuffer());
    expect(corrupted.length).toBe(data.length);
    expect(corrupted[100_000]).toBe(data[100_000]! ^ 0xff);
    expect(sha256(corrupted)).not.toBe(digest);

    proxy.inject(() => ({ kind: 'reset' }));
    await expect(fetch(blobUrl())).rejects.toThrow();

    proxy.inject(() => ({ kind: 'delay', ms: 300 }));
    const started = Date.now();
    expect((await fetch(`${proxy.url}/v2/`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    proxy.inject();
  });

  it('redirects to a second origin that records headers and serves ranges', async () => {
    redirect.serve('/blob', data);
    proxy.inject((r) => (r.method === 'GET' && r.url.includes('/blobs/') ? { kind: 'status', status: 307, headers: { location: `${redirect.url}/blob?sig=x` } } : undefined));
    const followed = await fetch(blobUrl(), { headers: { authorization: 'Bearer secret' } });
    expect(sha256(Buffer.from(await followed.arrayBuffer()))).toBe(digest);
    // fetch itself drops Authorization across origins; the server lets tests check that.
    expect(redirect.requests.at(-1)!.headers.authorization).toBeUndefined();
    proxy.inject();

    const direct = await fetch(`${redirect.url}/blob`, { headers: { authorization: 'Bearer seen', range: 'bytes=10-19' } });
    expect(direct.status).toBe(206);
    expect(Buffer.from(await direct.arrayBuffer()).equals(data.subarray(10, 20))).toBe(true);
    expect(redirect.requests.at(-1)!.headers.authorization).toBe('Bearer seen');
  });
});

describe('temp dirs', () => {
  const tempDir = useTempDirs();

  it('makes folders and removes them', async () => {
    const dir = await tempDir();
    expect(existsSync(dir)).toBe(true);
    const other = await makeTempDir();
    await removeTempDir(other);
    expect(existsSync(other)).toBe(false);
  });
});
