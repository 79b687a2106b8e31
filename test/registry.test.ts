import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrasError } from '../src/main/engine/errors';
import { MediaType } from '../src/main/engine/media-type';
import { Registry } from '../src/main/engine/registry/registry';
import { staticCredentials } from '../src/main/engine/transport/credential';
import { startRegistry, type Registry as TestRegistry } from './support/registry';
import { readAll, rejectionWithCode } from '../src/main/engine/testing/expect-error';

import { useRegistry } from './support/registry-fixture';
import { blob, manifestFor } from './support/content';

describe('registry API against a plain registry', () => {
  const fx = useRegistry();

  it('pings the registry over plain HTTP on loopback by default', async () => {
    expect(fx.registry.client.baseUrl.protocol).toBe('http:');
    await fx.registry.ping();
  });

  it('uploads a blob monolithically and reads it back verified', async () => {
    const repo = fx.registry.repository('plain/blobs');
    const { desc, bytes } = blob('hello, registry');
    expect(await repo.exists(desc)).toBe(false);
    await repo.push(desc, Readable.from([bytes]));
    expect(await repo.exists(desc)).toBe(true);
    expect(await readAll(await repo.fetch(desc))).toEqual(bytes);
  });

  it('uploads in PATCH chunks following Location each time', async () => {
    const chunked = new Registry(fx.server.host, { uploadChunkSize: 1000 });
    try {
      const repo = chunked.repository('plain/chunked');
      const { desc, bytes } = blob(Buffer.alloc(4500, 7));
      await repo.push(desc, Readable.from([bytes.subarray(0, 1700), bytes.subarray(1700)]));
      expect(await readAll(await repo.fetch(desc))).toEqual(bytes);
    } finally {
      await chunked.close();
    }
  });

  it('reads a byte range of a blob', async () => {
    const repo = fx.registry.repository('plain/range');
    const { desc, bytes } = blob('0123456789');
    await repo.push(desc, Readable.from([bytes]));
    expect((await readAll(await repo.fetchRange(desc, 3, 6))).toString()).toBe('3456');
  });

  it('refuses to upload bytes that differ from the descriptor', async () => {
    const repo = fx.registry.repository('plain/bad-source');
    const { desc } = blob('the real content');
    await rejectionWithCode(repo.push(desc, Readable.from([Buffer.from('something else!!')])), 'DIGEST_MISMATCH');
    expect(await repo.exists(desc)).toBe(false);
  });

  it('puts, resolves, tags, lists and deletes manifests', async () => {
    const repo = fx.registry.repository('plain/manifests');
    const config = blob('{}', MediaType.Empty);
    const layer = blob('layer', 'text/plain');
    await repo.push(config.desc, Readable.from([config.bytes]));
    await repo.push(layer.desc, Readable.from([layer.bytes]));
    const manifest = manifestFor(config.desc, [layer.desc], { artifactType: 'application/vnd.test' });
    await repo.pushManifest(manifest.desc, manifest.bytes, 'v1');
    expect(await repo.resolve('v1')).toEqual(manifest.desc);
    await repo.tag(manifest.desc, 'v2');
    for (let i = 3; i <= 7; i++) await repo.tag(manifest.desc, `v${i}`);
    const tags: string[] = [];
    for await (const tag of repo.tags({ pageSize: 2 })) tags.push(tag);
    expect(tags.sort()).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7']);
    const fetched = await repo.fetchManifest('v2');
    expect(fetched.bytes).toEqual(manifest.bytes);
    expect(fetched.descriptor).toEqual(manifest.desc);
    await repo.delete(manifest.desc);
    await rejectionWithCode(repo.resolve('v1'), 'NOT_FOUND');
  });

  it('lists the catalog page by page', async () => {
    const repos: string[] = [];
    for await (const name of fx.registry.catalog({ pageSize: 1 })) repos.push(name);
    expect(repos).toContain('plain/blobs');
    expect(repos).toContain('plain/manifests');
  });

  it('mounts a blob from another repository', async () => {
    const from = fx.registry.repository('plain/mount-from');
    const to = fx.registry.repository('plain/mount-to');
    const { desc, bytes } = blob('mount me');
    await from.push(desc, Readable.from([bytes]));
    let uploaded = false;
    await to.mount(desc, 'plain/mount-from', async () => {
      uploaded = true;
      return Readable.from([bytes]);
    });
    expect(uploaded).toBe(false);
    expect(await to.exists(desc)).toBe(true);
  });

  it('falls back to uploading when the mount source lacks the blob', async () => {
    const to = fx.registry.repository('plain/mount-fallback');
    const { desc, bytes } = blob('not there to mount');
    let uploaded = false;
    await to.mount(desc, 'plain/nowhere', async () => {
      uploaded = true;
      return Readable.from([bytes]);
    });
    expect(uploaded).toBe(true);
    expect(await readAll(await to.fetch(desc))).toEqual(bytes);
  });

  it('keeps referrers in the tag-schema index when the registry has no referrers API', async () => {
    const repo = fx.registry.repository('plain/referrers');
    const config = blob('{}', MediaType.Empty);
    await repo.push(config.desc, Readable.from([config.bytes]));
    const subject = manifestFor(config.desc, [], { artifactType: 'application/vnd.subject' });
    await repo.pushManifest(subject.desc, subject.bytes, 'subject');
    const sig = manifestFor(config.desc, [], { artifactType: 'application/vnd.sig', subject: subject.desc });
    const sbom = manifestFor(config.desc, [], { artifactType: 'application/vnd.sbom', subject: subject.desc });
    await Promise.all([repo.pushManifest(sig.desc, sig.bytes, sig.desc.digest), repo.pushManifest(sbom.desc, sbom.bytes, sbom.desc.digest)]);
    const all = await repo.predecessors(subject.desc);
    expect(all.map((d) => d.digest).sort()).toEqual([sig.desc.digest, sbom.desc.digest].sort());
    const sigs = await repo.predecessors(subject.desc, { artifactType: 'application/vnd.sig' });
    expect(sigs.map((d) => d.digest)).toEqual([sig.desc.digest]);
  });

  it('reports a missing manifest and blob as NOT_FOUND', async () => {
    const repo = fx.registry.repository('plain/missing');
    await rejectionWithCode(repo.resolve('nope'), 'NOT_FOUND');
    const { desc } = blob('never pushed');
    await rejectionWithCode(repo.fetch(desc), 'NOT_FOUND');
  });
});

describe('registry API against an htpasswd registry', () => {
  let server: TestRegistry;
  beforeAll(async () => {
    server = await startRegistry({ auth: 'htpasswd', users: { alice: 's3cret-Pa55' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('authenticates with Basic auth and pushes', async () => {
    const registry = new Registry(server.host, { credentials: staticCredentials(server.host, { username: 'alice', password: 's3cret-Pa55' }) });
    try {
      await registry.ping();
      const repo = registry.repository('basic/repo');
      const { desc, bytes } = blob('basic auth blob');
      await repo.push(desc, Readable.from([bytes]));
      expect(await readAll(await repo.fetch(desc))).toEqual(bytes);
    } finally {
      await registry.close();
    }
  });

  it('says a wrong password is wrong, without repeating it', async () => {
    const registry = new Registry(server.host, { credentials: staticCredentials(server.host, { username: 'alice', password: 'wrong-password' }) });
    try {
      const err = await rejectionWithCode(registry.ping(), 'UNAUTHORIZED');
      expect(err.message).toMatch(/user name and password/);
      expect(err.message).not.toContain('wrong-password');
    } finally {
      await registry.close();
    }
  });

  it('asks for a login when none is given', async () => {
    const registry = new Registry(server.host);
    try {
      const err = await rejectionWithCode(registry.repository('basic/repo').resolve('v1'), 'UNAUTHORIZED');
      expect(err.message).toContain('oras login');
    } finally {
      await registry.close();
    }
  });
});

describe('registry API against a token-auth registry', () => {
  let server: TestRegistry;
  beforeAll(async () => {
    server = await startRegistry({ auth: 'token', users: { bob: 'token-Pa55' }, token: { anonymousPull: true } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('gets tokens from the realm, caches them per scope, and pushes', async () => {
    const registry = new Registry(server.host, { credentials: staticCredentials(server.host, { username: 'bob', password: 'token-Pa55' }) });
    try {
      const repo = registry.repository('token/repo');
      const one = blob('first');
      const two = blob('second');
      await repo.push(one.desc, Readable.from([one.bytes]));
      const before = server.tokenServer!.requests.length;
      await repo.push(two.desc, Readable.from([two.bytes]));
      expect(server.tokenServer!.requests.length).toBe(before);
      expect(await readAll(await repo.fetch(two.desc))).toEqual(two.bytes);
    } finally {
      await registry.close();
    }
  });

  it('pulls anonymously and refuses an anonymous push', async () => {
    const writer = new Registry(server.host, { credentials: staticCredentials(server.host, { username: 'bob', password: 'token-Pa55' }) });
    const reader = new Registry(server.host);
    try {
      const { desc, bytes } = blob('public content');
      await writer.repository('token/public').push(desc, Readable.from([bytes]));
      expect(await readAll(await reader.repository('token/public').fetch(desc))).toEqual(bytes);
      const other = blob('anonymous push');
      await expect(reader.repository('token/public').push(other.desc, Readable.from([other.bytes]))).rejects.toBeInstanceOf(OrasError);
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('refuses a wrong password at the token service', async () => {
    const registry = new Registry(server.host, { credentials: staticCredentials(server.host, { username: 'bob', password: 'nope-nope' }) });
    try {
      const err = await rejectionWithCode(registry.ping(), 'UNAUTHORIZED');
      expect(err.message).not.toContain('nope-nope');
    } finally {
      await registry.close();
    }
  });

  it('uses an identity (refresh) token', async () => {
    const refresh = server.tokenServer!.issueRefreshToken('bob');
    const registry = new Registry(server.host, { credentials: staticCredentials(server.host, { identityToken: refresh }) });
    try {
      const { desc, bytes } = blob('via refresh token');
      await registry.repository('token/refresh').push(desc, Readable.from([bytes]));
      expect(await registry.repository('token/refresh').exists(desc)).toBe(true);
    } finally {
      await registry.close();
    }
  });
});

describe('registry API over TLS', () => {
  let server: TestRegistry;
  beforeAll(async () => {
    server = await startRegistry({ tls: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('trusts the registry with its CA file', async () => {
    const registry = new Registry(server.host, { plainHttp: false, caFile: server.caFile });
    try {
      await registry.ping();
    } finally {
      await registry.close();
    }
  });

  it('fails clearly without the CA, and connects with --insecure', async () => {
    const strict = new Registry(server.host, { plainHttp: false, retry: { maxRetries: 0 } });
    const insecure = new Registry(server.host, { plainHttp: false, insecure: true });
    try {
      const err = await rejectionWithCode(strict.ping(), 'TLS');
      expect(err.message).toContain('--ca-file');
      await insecure.ping();
    } finally {
      await strict.close();
      await insecure.close();
    }
  });
});
