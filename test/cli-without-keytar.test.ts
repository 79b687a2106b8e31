import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleNode } from '../scripts/bundle-node.mjs';
import { makeFakeHelper, seedFakeHelper } from '../src/main/credentials/testing/fake-helper';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * The CLI installed without keytar, as `npm ci` leaves it on a machine with no C
 * toolchain or libsecret (keytar is an optional dependency): a private install whose
 * node_modules links every package of ours but keytar, and the CLI bundled into it.
 * `oras` runs, a login to the keychain says why it cannot be, and logins in a `-c` file
 * or a Docker credential helper work, against a real registry.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const USER = 'nokeytar';
const PASSWORD = `NoKeytar-${randomBytes(9).toString('hex')}`;

const tempDir = useTempDirs('oras-no-keytar-');
let registry: Registry;
let install: string;
let helper: Awaited<ReturnType<typeof makeFakeHelper>>;

beforeAll(async () => {
  install = await tempDir();
  await mkdir(path.join(install, 'node_modules'));
  for (const name of await readdir(path.join(ROOT, 'node_modules'))) {
    if (name === 'keytar' || name.startsWith('.')) continue;
    await symlink(path.join(ROOT, 'node_modules', name), path.join(install, 'node_modules', name));
  }
  await bundleNode(path.join(ROOT, 'src', 'cli', 'main.ts'), path.join(install, 'dist', 'cli.js'));
  await writeFile(path.join(install, 'dist', 'oras.mjs'), "import { run } from './cli.js';\nawait run();\n");
  [registry, helper] = await Promise.all([startRegistry({ auth: 'htpasswd', users: { [USER]: PASSWORD } }), makeFakeHelper('fake')]);
});
afterAll(async () => {
  await Promise.all([registry?.stop(), helper && rm(helper.dir, { recursive: true, force: true })]);
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** oras runs the private install's CLI in `cwd`, with HOME there and no D-Bus; `input` goes to its stdin. */
function oras(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(install, 'dist', 'oras.mjs'), ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function workDir(): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'rocket.txt'), '🚀');
  return dir;
}

describe('the CLI installed without keytar', () => {
  it('runs, and a login without -c goes to Docker’s config as docker login does, warning that keytar is not built and how to build it', async () => {
    const cwd = await workDir();
    expect((await oras(['version'], cwd)).code).toBe(0);
    const login = await oras(['login', '-u', USER, '--password-stdin', registry.host], cwd, {}, PASSWORD);
    expect(login).toMatchObject({ code: 0, stdout: 'Login Succeeded\n' });
    expect(login.stderr).toBe(
      `Warning: the login is stored unencrypted in ${path.join(cwd, '.docker', 'config.json')} (readable by you only), as docker login does where there is no OS keychain: keytar is not built (for the OS keychain: npm install-scripts approve keytar, then npm rebuild keytar). Configure a credential helper (credsStore) to store it encrypted.\n`,
    );
    const push = await oras(['push', `${registry.host}/no-keytar/ci:v1`, 'rocket.txt'], cwd);
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    // --debug gives the whole reason, in one line, without a stack trace.
    const debug = await oras(['login', '-u', USER, '--password-stdin', registry.host, '--debug'], cwd, {}, PASSWORD);
    expect(debug.stderr).toContain("the OS keychain is not available: keytar could not be loaded (keytar is not installed: Cannot find module 'keytar'");
    expect(debug.stderr).not.toMatch(/\n\s+at /);
  });

  it('logs in to a -c file and pushes and pulls with it, without a word about the keychain', async () => {
    const cwd = await workDir();
    const login = await oras(['login', '-u', USER, '-p', PASSWORD, registry.host, '-c', 'creds.json'], cwd);
    expect(login).toMatchObject({ code: 0, stdout: 'Login Succeeded\n' });
    const push = await oras(['push', `${registry.host}/no-keytar/rocket:v1`, 'rocket.txt', '-c', 'creds.json'], cwd);
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    const out = path.join(cwd, 'out');
    const pull = await oras(['pull', `${registry.host}/no-keytar/rocket:v1`, '-o', out, '-c', 'creds.json'], cwd);
    expect(pull.stderr).toBe('');
    expect(await readFile(path.join(out, 'rocket.txt'), 'utf8')).toBe('🚀');
  });

  it("reads a Docker credential helper's login (credsStore) with no flag", async () => {
    const cwd = await workDir();
    const docker = path.join(cwd, 'docker');
    await mkdir(docker);
    await writeFile(path.join(docker, 'config.json'), JSON.stringify({ credsStore: 'fake' }));
    await seedFakeHelper(helper.storeFile, { [registry.host]: { Username: USER, Secret: PASSWORD } });
    const env = { PATH: helper.env['PATH'], DOCKER_CONFIG: docker };
    const push = await oras(['push', `${registry.host}/no-keytar/helped:v1`, 'rocket.txt'], cwd, env);
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    const debug = await oras(['resolve', `${registry.host}/no-keytar/helped:v1`, '--debug'], cwd, env);
    expect(debug.code).toBe(0);
    expect(debug.stderr).toContain('keytar could not be loaded');
  });
});
