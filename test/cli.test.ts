import { execFile, spawn } from 'node:child_process';
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * The `oras` command as users run it — `node bin/oras.js`, built by
 * scripts/build-cli.mjs — against the real registry. The seed's commands run as
 * written, with the test registry's port.
 */

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'oras.js');
const ROCKET_MANIFEST = 'sha256:d070b65c4898a02357f5fc4488aa191d90a90ac7c907eb7ac079b6f483fc8608';
const ROCKET_LAYER = 'sha256:ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5';
const ROCKET_CONFIG = 'sha256:310175f34d2d4d5cba3418be06ddd1ef948147d729516d78318ec7f5c2d83d49';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const tempDir = useTempDirs('oras-cli-it-');
let home: string;

/** oras runs the built CLI in `cwd` with a clean HOME (no ~/.docker of the developer's). */
function oras(cwd: string, args: string[], input?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

async function rocketDir(): Promise<string> {
  const dir = await tempDir();
  // printf '🚀' > rocket.txt; printf '{"RocketVersion":"v0.1.0"}' > rocket-config.json
  await writeFile(path.join(dir, 'rocket.txt'), '🚀');
  await writeFile(path.join(dir, 'rocket-config.json'), '{"RocketVersion":"v0.1.0"}');
  return dir;
}

async function curl(...args: string[]): Promise<string> {
  return (await run('curl', ['-s', ...args], { encoding: 'utf8' })).stdout;
}

beforeAll(async () => {
  await run(process.execPath, [path.join(ROOT, 'scripts', 'build-cli.mjs'), '--cli-only'], { cwd: ROOT });
  home = await tempDir();
});

describe('oras against a plain registry', () => {
  let registry: Registry;
  let seedHost: string;
  beforeAll(async () => {
    registry = await startRegistry();
    // The seed writes localhost:5000; localhost with the test registry's port.
    seedHost = `localhost:${registry.host.split(':')[1]}`;
  });
  afterAll(() => registry?.stop());

  it("runs the seed's rocket example as written and curl gets the rocket back", async () => {
    const cwd = await rocketDir();
    const push = await oras(cwd, [
      'push', `${seedHost}/mystuff/myrocket:v0.1.0`, 'rocket.txt:text/plain',
      '--manifest-config', 'rocket-config.json:application/vnd.acme.rocket.config.v1+json',
      '--image-spec', 'v1.0',
    ]);
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    expect(push.stdout).toContain('Uploading ebbc0b2870eb rocket.txt\n');
    expect(push.stdout).toContain(`Pushed [registry] ${seedHost}/mystuff/myrocket:v0.1.0\n`);
    expect(push.stdout).toContain(`Digest: ${ROCKET_MANIFEST}\n`);

    const manifest = await curl('-H', 'Accept: application/vnd.oci.image.manifest.v1+json', `${registry.url}/v2/mystuff/myrocket/manifests/v0.1.0`);
    expect(JSON.parse(manifest)).toEqual({
      schemaVersion: 2,
      config: { mediaType: 'application/vnd.acme.rocket.config.v1+json', digest: ROCKET_CONFIG, size: 26 },
      layers: [{ mediaType: 'text/plain', digest: ROCKET_LAYER, size: 4, annotations: { 'org.opencontainers.image.title': 'rocket.txt' } }],
    });
    expect(await curl(`${registry.url}/v2/mystuff/myrocket/blobs/${ROCKET_LAYER}`)).toBe('🚀');

    const pull = await oras(cwd, ['pull', `${seedHost}/mystuff/myrocket:v0.1.0`, '-o', 'pulled']);
    expect(pull.code).toBe(0);
    expect(await readFile(path.join(cwd, 'pulled', 'rocket.txt'), 'utf8')).toBe('🚀');
    expect(pull.stdout).toContain(`Digest: ${ROCKET_MANIFEST}\n`);
  });

  it('pushes the seed command without --image-spec as an image-spec 1.1 artifact', async () => {
    const cwd = await rocketDir();
    const push = await oras(cwd, [
      'push', `${registry.host}/mystuff/myrocket:v1.1`, 'rocket.txt:text/plain',
      '--manifest-config', 'rocket-config.json:application/vnd.acme.rocket.config.v1+json', '--format', 'json',
    ]);
    expect(push.code).toBe(0);
    const result = JSON.parse(push.stdout) as { digest: string; reference: string };
    const manifest = JSON.parse(await curl('-H', 'Accept: application/vnd.oci.image.manifest.v1+json', `${registry.url}/v2/mystuff/myrocket/manifests/v1.1`));
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.config.digest).toBe(ROCKET_CONFIG);
    expect(result.reference).toBe(`${registry.host}/mystuff/myrocket@${result.digest}`);
  });

  it('tags, resolves, lists, fetches, attaches, discovers and copies', async () => {
    const cwd = await rocketDir();
    const repo = `${registry.host}/cli/rocket`;
    expect((await oras(cwd, ['push', `${repo}:v1`, 'rocket.txt:text/plain', '--image-spec', 'v1.0'])).code).toBe(0);
    const tag = await oras(cwd, ['tag', `${repo}:v1`, 'v2', 'latest']);
    expect(tag.code).toBe(0);
    expect(tag.stdout).toContain('Tagged latest\n');
    const resolved = (await oras(cwd, ['resolve', `${repo}:latest`])).stdout.trim();
    expect(resolved).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect((await oras(cwd, ['repo', 'tags', repo])).stdout.split('\n').filter(Boolean).sort()).toEqual(['latest', 'v1', 'v2']);
    expect((await oras(cwd, ['repo', 'ls', registry.host])).stdout).toContain('cli/rocket\n');
    const fetched = await oras(cwd, ['manifest', 'fetch', `${repo}@${resolved}`, '--descriptor']);
    expect(JSON.parse(fetched.stdout)).toMatchObject({ digest: resolved, mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    expect((await oras(cwd, ['blob', 'fetch', `${repo}@${ROCKET_LAYER}`, '-o', '-'])).stdout).toBe('🚀');

    await writeFile(path.join(cwd, 'sbom.json'), '{"sbom":true}');
    const attach = await oras(cwd, ['attach', `${repo}:v1`, 'sbom.json:application/json', '--artifact-type', 'application/vnd.example.sbom']);
    expect(attach.code).toBe(0);
    expect(attach.stdout).toContain(`Attached to [registry] ${repo}@${resolved}\n`);
    const discovered = await oras(cwd, ['discover', `${repo}:v1`]);
    expect(discovered.stdout).toContain('└── application/vnd.example.sbom\n');

    const cp = await oras(cwd, ['cp', '-r', `${repo}:v1`, `${registry.host}/cli/copy:c1,c2`]);
    expect(cp.code).toBe(0);
    expect(cp.stdout).toContain(`Copied [registry] ${repo}:v1 => [registry] ${registry.host}/cli/copy:c1\n`);
    expect((await oras(cwd, ['discover', `${registry.host}/cli/copy:c2`, '--format', 'json'])).stdout).toContain('application/vnd.example.sbom');

    const deleted = await oras(cwd, ['manifest', 'delete', '-f', `${registry.host}/cli/copy:c1`]);
    expect(deleted.code).toBe(0);
    expect((await oras(cwd, ['resolve', `${registry.host}/cli/copy:c2`])).code).toBe(1);
  });

  it('exits 1 on usage errors and on failures, as ORAS does', async () => {
    const cwd = await rocketDir();
    const usage = await oras(cwd, ['push']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain("error: missing required argument 'name'");
    expect((await oras(cwd, ['push', `${registry.host}/Bad:v1`, 'rocket.txt'])).code).toBe(1);
    expect((await oras(cwd, ['pushh'])).code).toBe(1);
    const missing = await oras(cwd, ['pull', `${registry.host}/no/such:v1`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: .*not found/m);
  });
});

describe('oras login against an htpasswd registry', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'htpasswd', users: { username: 'password' } });
  });
  afterAll(() => registry?.stop());

  it('logs in with -c as the seed does, then pushes with -c and no -u/-p', async () => {
    const cwd = await rocketDir();
    // oras login -u username -p password localhost:5000 -c rocket-creds.json
    const login = await oras(cwd, ['login', '-u', 'username', '-p', 'password', registry.host, '-c', 'rocket-creds.json']);
    expect(login.code).toBe(0);
    expect(login.stdout).toBe('Login Succeeded\n');
    expect(login.stderr).toContain('WARNING! Using --password via the CLI is insecure');
    const file = path.join(cwd, 'rocket-creds.json');
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      auths: { [registry.host]: { auth: Buffer.from('username:password').toString('base64') } },
    });

    const anonymous = await oras(cwd, ['push', `${registry.host}/mystuff/myrocket:v0.1.0`, 'rocket.txt:text/plain']);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/authentication required.*oras login/);

    const push = await oras(cwd, [
      'push', `${registry.host}/mystuff/myrocket:v0.1.0`, 'rocket.txt:text/plain',
      '--manifest-config', 'rocket-config.json:application/vnd.acme.rocket.config.v1+json', '--image-spec', 'v1.0',
      '-c', 'rocket-creds.json',
    ]);
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    expect(push.stdout).toContain(`Digest: ${ROCKET_MANIFEST}\n`);

    const logout = await oras(cwd, ['logout', registry.host, '-c', 'rocket-creds.json']);
    expect(logout.code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ auths: {} });
  });

  it('refuses a wrong password with exit 1, saving nothing and printing no secret', async () => {
    const cwd = await rocketDir();
    const login = await oras(cwd, ['login', '-u', 'username', '--password-stdin', registry.host, '-c', 'creds.json'], 'wrong-Secret-42\n');
    expect(login.code).toBe(1);
    expect(login.stderr).toMatch(/^Error: login to .* failed/m);
    expect(login.stdout + login.stderr).not.toContain('wrong-Secret-42');
    await expect(stat(path.join(cwd, 'creds.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('logs in with --password-stdin and pushes with -u/--password-stdin', async () => {
    const cwd = await rocketDir();
    const login = await oras(cwd, ['login', '-u', 'username', '--password-stdin', registry.host, '-c', 'creds.json'], 'password\n');
    expect(login.code).toBe(0);
    expect(login.stderr).toBe('');
    const push = await oras(cwd, ['push', '-u', 'username', '--password-stdin', `${registry.host}/stdin/rocket:v1`, 'rocket.txt'], 'password');
    expect(push.code).toBe(0);
  });

  it('without -c and with no D-Bus session (no keychain), login saves to Docker’s config as docker login does, with a warning', async () => {
    const cwd = await rocketDir();
    const login = await oras(cwd, ['login', '-u', 'username', '--password-stdin', registry.host], 'password');
    const config = path.join(home, '.docker', 'config.json');
    try {
      expect(login).toMatchObject({ code: 0, stdout: 'Login Succeeded\n' });
      expect(login.stderr).toContain(`Warning: the login is stored unencrypted in ${config} (readable by you only)`);
      expect(login.stderr).toContain('there is no D-Bus session bus');
      expect((await stat(config)).mode & 0o777).toBe(0o600);
      expect(await readdir(cwd)).toEqual(['rocket-config.json', 'rocket.txt']);
    } finally {
      await rm(path.join(home, '.docker'), { recursive: true, force: true });
    }
  });
});

describe('oras against a token-auth registry and a TLS registry', () => {
  let token: Registry;
  let tls: Registry;
  beforeAll(async () => {
    [token, tls] = await Promise.all([
      startRegistry({ auth: 'token', users: { username: 'password' } }),
      startRegistry({ tls: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([token?.stop(), tls?.stop()]);
  });

  it('logs in through the token flow and pushes with the saved login', async () => {
    const cwd = await rocketDir();
    const wrong = await oras(cwd, ['login', '-u', 'username', '--password-stdin', token.host, '-c', 'creds.json'], 'nope');
    expect(wrong.code).toBe(1);
    const login = await oras(cwd, ['login', '-u', 'username', '--password-stdin', token.host, '-c', 'creds.json'], 'password');
    expect(login.code).toBe(0);
    const push = await oras(cwd, ['push', `${token.host}/mystuff/myrocket:v0.1.0`, 'rocket.txt:text/plain', '-c', 'creds.json']);
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
  });

  it('speaks HTTPS on loopback with --ca-file or --insecure', async () => {
    const cwd = await rocketDir();
    // Loopback defaults to plain HTTP, which a TLS registry refuses.
    expect((await oras(cwd, ['push', `${tls.host}/tls/rocket:v1`, 'rocket.txt'])).code).toBe(1);
    const push = await oras(cwd, ['push', `${tls.host}/tls/rocket:v1`, 'rocket.txt', '--ca-file', tls.caFile!]);
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    const insecure = await oras(cwd, ['resolve', `${tls.host}/tls/rocket:v1`, '--insecure']);
    expect(insecure.code).toBe(0);
    expect((await oras(cwd, ['resolve', `${tls.host}/tls/rocket:v1`, '--insecure', '--plain-http'])).code).toBe(1);
  });
});
