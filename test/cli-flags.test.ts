import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/testing/test-io';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy';
import { startRedirectServer, type RedirectServer } from './support/redirect-server';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * ORAS 1.3's connection and per-side flags against real registries (option/remote.go,
 * target.go, binary_target.go): cp's --from-* and --to-* flags with two registries that know
 * different users, -H seen by a recording proxy (and not by a host the registry
 * redirects to), mutual TLS accepted and refused, --resolve to a name DNS never
 * resolves. No request leaves loopback: every --resolve rule points at 127.0.0.1.
 */

const tempDir = useTempDirs('oras-flags-');
let cwd: string;
let alpha: Registry; // htpasswd: alice
let beta: Registry; // htpasswd: bob
let plain: Registry;
let proxy: FaultProxy;
let redirect: RedirectServer;
let mtls: Registry;

const ALICE = ['alice', 'alice-secret'] as const;
const BOB = ['bob', 'bob-secret'] as const;

const oras = (...argv: string[]) => runCli(argv, { cwd, env: { HOME: cwd } });

async function ok(...argv: string[]): Promise<string> {
  const result = await oras(...argv);
  expect(result.code, `oras ${argv.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

async function pushed(ref: string, ...flags: string[]): Promise<string> {
  return (JSON.parse(await ok('push', ref, 'hi.txt:text/plain', '--format', 'json', ...flags)) as { digest: string }).digest;
}

beforeAll(async () => {
  cwd = await tempDir();
  await writeFile(path.join(cwd, 'hi.txt'), 'hello flags');
  [alpha, beta, plain, mtls] = await Promise.all([
    startRegistry({ auth: 'htpasswd', users: { [ALICE[0]]: ALICE[1] } }),
    startRegistry({ auth: 'htpasswd', users: { [BOB[0]]: BOB[1] } }),
    startRegistry(),
    startRegistry({ tls: true, clientCerts: true }),
  ]);
  proxy = await startFaultProxy(plain.url);
  redirect = await startRedirectServer();
}, 60_000);
afterAll(async () => {
  await Promise.all([alpha?.stop(), beta?.stop(), plain?.stop(), mtls?.stop(), proxy?.stop(), redirect?.stop()]);
});

describe('cp --from-*/--to-*: each side its own login and connection', () => {
  let digest: string;
  beforeAll(async () => {
    digest = await pushed(`${alpha.host}/src/app:v1`, '-u', ALICE[0], '-p', ALICE[1]);
  });

  it('copies between registries that know different users, each side with its own login', async () => {
    const out = await ok('cp', `${alpha.host}/src/app:v1`, `${beta.host}/dst/app:v1`, '--from-username', ALICE[0], '--from-password', ALICE[1], '--to-username', BOB[0], '--to-password', BOB[1]);
    expect(out).toContain(`Copied [registry] ${alpha.host}/src/app:v1 => [registry] ${beta.host}/dst/app:v1\nDigest: ${digest}\n`);
    expect((await ok('resolve', `${beta.host}/dst/app:v1`, '-u', BOB[0], '-p', BOB[1])).trim()).toBe(digest);
  });

  it('the unprefixed login applies to a side that gives none of its own', async () => {
    const both = await oras('cp', `${alpha.host}/src/app:v1`, `${beta.host}/dst/app:v2`, '-u', ALICE[0], '-p', ALICE[1]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain(beta.host);
    await ok('cp', `${alpha.host}/src/app:v1`, `${beta.host}/dst/app:v2`, '-u', ALICE[0], '-p', ALICE[1], '--to-username', BOB[0], '--to-password', BOB[1]);
  });

  it('reads a side login from --from-registry-config, the other from --to-* flags', async () => {
    const file = path.join(cwd, 'alpha-creds.json');
    await writeFile(file, JSON.stringify({ auths: { [alpha.host]: { auth: Buffer.from(`${ALICE[0]}:${ALICE[1]}`).toString('base64') } } }));
    await ok('cp', `${alpha.host}/src/app:v1`, `${beta.host}/dst/app:v3`, '--from-registry-config', file, '--to-username', BOB[0], '--to-password', BOB[1]);
  });

  it('connects a side through --to-resolve and --to-plain-http to a name that only the rule resolves', async () => {
    const port = beta.host.split(':')[1];
    const out = await ok('cp', `${alpha.host}/src/app:v1`, `registry.invalid:${port}/dst/app:v4`, '--from-username', ALICE[0], '--from-password', ALICE[1], '--to-username', BOB[0], '--to-password', BOB[1], '--to-plain-http', '--to-resolve', `registry.invalid:${port}:127.0.0.1`);
    expect(out).toContain(`=> [registry] registry.invalid:${port}/dst/app:v4\n`);
    expect((await ok('resolve', `${beta.host}/dst/app:v4`, '-u', BOB[0], '-p', BOB[1])).trim()).toBe(digest);
  });

  it('applies the unprefixed --resolve and --plain-http to both sides', async () => {
    const [a, b] = [alpha.host.split(':')[1], beta.host.split(':')[1]];
    await ok('cp', `registry.invalid:${a}/src/app:v1`, `registry.invalid:${b}/dst/app:v6`, '--plain-http', '--resolve', `registry.invalid:${a}:127.0.0.1`, '--resolve', `registry.invalid:${b}:127.0.0.1`, '--from-username', ALICE[0], '--from-password', ALICE[1], '--to-username', BOB[0], '--to-password', BOB[1]);
    expect((await ok('resolve', `${beta.host}/dst/app:v6`, '-u', BOB[0], '-p', BOB[1])).trim()).toBe(digest);
  });

  it('refuses a side password without its user name, and a side header on a layout, before any request', async () => {
    const noUser = await oras('cp', `${alpha.host}/src/app:v1`, `${beta.host}/dst/app:v5`, '--to-password', BOB[1]);
    expect(noUser.code).toBe(1);
    expect(noUser.stderr).toContain('--to-password needs a user name: add --to-username <username>');
    const half = await oras('cp', `${alpha.host}/src/app:v1`, `${beta.host}/dst/app:v5`, '--from-cert-file', 'c.pem');
    expect(half.code).toBe(1);
    expect(half.stderr).toContain("--cert-file and --key-file go together: give the client certificate and its private key (the source's flags: --from-… or the shared ones)");
    const layout = await oras('cp', `${alpha.host}/src/app:v1`, 'out-layout:v1', '--to-oci-layout', '--to-header', 'X-A: 1');
    expect(layout.code).toBe(1);
    expect(layout.stderr).toContain('cannot be used with an OCI layout destination');
  });

  it('warns about a side password on the command line', async () => {
    const result = await oras('cp', `${alpha.host}/src/app:v1`, 'out-layout:v1', '--to-oci-layout', '--from-username', ALICE[0], '--from-password', ALICE[1]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('WARNING! Using --from-password via the CLI is insecure.');
  });
});

describe('-H/--header: on every request to the registry, to no other host', () => {
  let digest: string;
  let blob: string;
  beforeAll(async () => {
    digest = await pushed(`${proxy.host}/hdr/app:v1`);
    blob = (JSON.parse(await ok('manifest', 'fetch', `${proxy.host}/hdr/app:v1`)) as { layers: Array<{ digest: string }> }).layers[0]!.digest;
  });

  it('sends the headers with each request the command makes', async () => {
    const from = proxy.requests.length;
    expect((await ok('resolve', `${proxy.host}/hdr/app:v1`, '-H', 'X-Team: rockets', '--header', 'X-Trace:42')).trim()).toBe(digest);
    const seen = proxy.requests.slice(from);
    expect(seen.length).toBeGreaterThan(0);
    for (const request of seen) {
      expect(request.headers['x-team']).toBe('rockets');
      expect(request.headers['x-trace']).toBe('42');
    }
  });

  it('does not carry them to the storage a registry redirects a blob to', async () => {
    redirect.serve('/blob', 'hello flags');
    proxy.inject((req) => (req.method === 'GET' && req.url.includes(`/blobs/${blob}`) ? { kind: 'status', status: 307, headers: { location: `${redirect.url}/blob` } } : undefined));
    try {
      const from = proxy.requests.length;
      await ok('blob', 'fetch', `${proxy.host}/hdr/app@${blob}`, '-o', 'blob.out', '-H', 'X-Secret: s3cr3t');
      expect(proxy.requests.slice(from).every((r) => r.headers['x-secret'] === 's3cr3t')).toBe(true);
      expect(redirect.requests.length).toBeGreaterThan(0);
      for (const request of redirect.requests) expect(request.headers['x-secret']).toBeUndefined();
    } finally {
      proxy.inject();
    }
  });

  it('refuses a malformed header and a header for an OCI layout, exit 1', async () => {
    const bad = await oras('resolve', `${proxy.host}/hdr/app:v1`, '-H', 'X Team: rockets');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('invalid header name "X Team"');
    const noColon = await oras('resolve', `${proxy.host}/hdr/app:v1`, '-H', 'X-Team');
    expect(noColon.stderr).toContain('invalid header "X-Team": write it as name:value');
    const layout = await oras('resolve', 'some-layout:v1', '--oci-layout', '-H', 'X-A: 1');
    expect(layout.code).toBe(1);
    expect(layout.stderr).toContain('-H/--header cannot be used with an OCI layout');
  });
});

describe('mutual TLS: --cert-file and --key-file', () => {
  const tls = () => ['--ca-file', mtls.caFile!, '--cert-file', mtls.clientCert!.certFile, '--key-file', mtls.clientCert!.keyFile];

  it('pushes and resolves with the client certificate the registry requires', async () => {
    const digest = await pushed(`${mtls.host}/m/app:v1`, ...tls());
    expect((await ok('resolve', `${mtls.host}/m/app:v1`, ...tls())).trim()).toBe(digest);
  });

  it('without the certificate the registry refuses the connection: a TLS error saying what to add', async () => {
    const result = await oras('resolve', `${mtls.host}/m/app:v1`, '--ca-file', mtls.caFile!);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the connection was reset; if the registry requires a client certificate \(mutual TLS\), give it with --cert-file and --key-file/);
  });

  it('copies to it with --to-cert-file/--to-key-file, and logs in to it with the certificate', async () => {
    const digest = await pushed(`${plain.host}/m/src:v1`);
    const out = await ok('cp', `${plain.host}/m/src:v1`, `${mtls.host}/m/copied:v1`, '--to-ca-file', mtls.caFile!, '--to-cert-file', mtls.clientCert!.certFile, '--to-key-file', mtls.clientCert!.keyFile);
    expect(out).toContain(`Digest: ${digest}\n`);
    const login = await oras('login', mtls.host, '-u', 'anyone', '-p', 'anything', ...tls());
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('Login Succeeded');
  });

  it('a key of another certificate, or one file without the other, is a clear error before any request', async () => {
    const wrong = await oras('resolve', `${mtls.host}/m/app:v1`, '--ca-file', mtls.caFile!, '--cert-file', mtls.clientCert!.certFile, '--key-file', path.join(path.dirname(mtls.caFile!), 'server.key'));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/client certificate: the key .*server\.key is not the key of the certificate .*client\.crt/);
    const half = await oras('resolve', `${mtls.host}/m/app:v1`, '--cert-file', mtls.clientCert!.certFile);
    expect(half.code).toBe(1);
    expect(half.stderr).toContain('--cert-file and --key-file go together');
  });
});

describe('--resolve host:port:address', () => {
  it('reaches a registry by a name DNS does not know, the Host header keeping the name', async () => {
    const digest = await pushed(`${proxy.host}/res/app:v1`);
    const port = proxy.host.split(':')[1];
    const from = proxy.requests.length;
    const out = await ok('resolve', `registry.invalid:${port}/res/app:v1`, '--plain-http', '--resolve', `registry.invalid:${port}:127.0.0.1`);
    expect(out.trim()).toBe(digest);
    expect(proxy.requests.slice(from).map((r) => r.headers.host)).toContain(`registry.invalid:${port}`);
  });

  it('maps to another port with address_port', async () => {
    const digest = await pushed(`${plain.host}/res/app:v2`);
    const out = await ok('resolve', 'registry.invalid:80/res/app:v2', '--plain-http', '--resolve', `registry.invalid:80:127.0.0.1:${plain.host.split(':')[1]}`);
    expect(out.trim()).toBe(digest);
  });

  it('refuses a rule that is not host:port:address, exit 1', async () => {
    const result = await oras('resolve', `${plain.host}/res/app:v2`, '--resolve', 'registry.invalid:80');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('write host:port:address[:address_port]');
  });
});

describe('manifest fetch --media-type: the manifest types to accept', () => {
  let digest: string;
  const OCI = 'application/vnd.oci.image.manifest.v1+json';
  const DOCKER = 'application/vnd.docker.distribution.manifest.v2+json';
  beforeAll(async () => {
    digest = await pushed(`${proxy.host}/mt/app:v1`);
  });

  it('asks with those types only (repeatable, comma-separated) and prints the manifest', async () => {
    const plainFetch = await ok('manifest', 'fetch', `${proxy.host}/mt/app:v1`);
    const from = proxy.requests.length;
    expect(await ok('manifest', 'fetch', `${proxy.host}/mt/app:v1`, '--media-type', OCI)).toBe(plainFetch);
    expect(await ok('manifest', 'fetch', `${proxy.host}/mt/app:v1`, '--media-type', `${DOCKER},${OCI}`, '--media-type', 'application/vnd.oci.image.index.v1+json', '--descriptor')).toContain(digest);
    const accepts = proxy.requests.slice(from).filter((r) => r.url.includes('/manifests/')).map((r) => r.headers.accept);
    expect(new Set(accepts)).toEqual(new Set([OCI, `${DOCKER}, ${OCI}, application/vnd.oci.image.index.v1+json`]));
  });

  it("fails as the registry answers when it has no manifest of the types asked for", async () => {
    const result = await oras('manifest', 'fetch', `${proxy.host}/mt/app:v1`, '--media-type', DOCKER);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not found|accept header does not support OCI manifests/i);
  });

  it('refuses a bad media type and --media-type with an OCI layout, exit 1', async () => {
    const bad = await oras('manifest', 'fetch', `${proxy.host}/mt/app:v1`, '--media-type', 'not a type');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--media-type');
    await ok('cp', `${proxy.host}/mt/app:v1`, 'mt-layout:v1', '--to-oci-layout');
    const layout = await oras('manifest', 'fetch', 'mt-layout:v1', '--oci-layout', '--media-type', OCI);
    expect(layout.code).toBe(1);
    expect(layout.stderr).toContain('--media-type cannot be used with --oci-layout at the same time');
  });
});

describe('--distribution-spec (and cp --from-/--to-distribution-spec): taken and checked, as ORAS takes them', () => {
  it('accepts ORAS values where ORAS has the flag, and the referrers are still found', async () => {
    const digest = await pushed(`${proxy.host}/ds/app:v1`);
    await ok('attach', `${proxy.host}/ds/app:v1`, '--artifact-type', 'application/vnd.example.note', '-a', 'note=1', '--distribution-spec', 'v1.1-referrers-tag');
    const found = JSON.parse(await ok('discover', `${proxy.host}/ds/app:v1`, '--format', 'json', '--distribution-spec', 'v1.1-referrers-api')) as { digest: string; referrers: unknown[] };
    expect(found.digest).toBe(digest);
    expect(found.referrers).toHaveLength(1);
    await ok('cp', '-r', `${proxy.host}/ds/app:v1`, `${plain.host}/ds/copy:v1`, '--from-distribution-spec', 'v1.1-referrers-api', '--to-distribution-spec', 'v1.1-referrers-tag');
    const copied = JSON.parse(await ok('discover', `${plain.host}/ds/copy:v1`, '--format', 'json')) as { referrers: unknown[] };
    expect(copied.referrers).toHaveLength(1);
  });

  it.each([
    ['attach', ['attach', 'r.invalid/a:v1', '--artifact-type', 'application/vnd.x', '--distribution-spec', 'v2']],
    ['discover', ['discover', 'r.invalid/a:v1', '--distribution-spec', 'v2']],
    ['manifest push', ['manifest', 'push', 'r.invalid/a:v1', 'm.json', '--distribution-spec', 'v2']],
    ['manifest delete', ['manifest', 'delete', 'r.invalid/a:v1', '--distribution-spec', 'v2']],
    ['cp', ['cp', 'r.invalid/a:v1', 'r.invalid/b:v1', '--to-distribution-spec', 'v2']],
  ])('%s refuses another value before any request, exit 1', async (_command, argv) => {
    const result = await oras(...argv);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('use one of: v1.1-referrers-api, v1.1-referrers-tag');
  });
});
