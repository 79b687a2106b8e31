import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/testing/test-io';
import { DEADLINE_ENV } from '../src/cli/deadline';
import { startFaultProxy, times, type FaultProxy } from './support/fault-proxy';
import { startRegistry, type Registry } from './support/registry';
import type { ResourceAccess } from './support/token-server';
import { useTempDirs } from './support/tmp';

/**
 * Errors that say what happened (issue 11 §4), each made for real: a token registry
 * whose ACL lets a user pull but not push, a login with no keychain running, a fault
 * proxy that drops connections or stops answering, and inputs no registry would take.
 * Each message names who, what and where in plain words, once, in one short line.
 */

const tempDir = useTempDirs('oras-errors-');

const USERS = { writer: 'writer-pw', reader: 'reader-pw', outsider: 'outsider-pw' };

/** acl: writer may do anything, reader may only pull, outsider may do nothing. */
function acl(user: string | undefined, granted: ResourceAccess[]): ResourceAccess[] {
  if (user === 'reader') return granted.map((g) => ({ ...g, actions: g.actions.filter((a) => a === 'pull') }));
  if (user === 'outsider') return [];
  return granted;
}

async function workDir(): Promise<string> {
  const cwd = await tempDir();
  await writeFile(path.join(cwd, 'rocket.txt'), '🚀');
  return cwd;
}

/** errorLine is the one `Error: ` line of stderr. */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.startsWith('Error: '));
  expect(lines, stderr).toHaveLength(1);
  return lines[0]!;
}

describe('a login that works but lacks the permission is told so, not to check its password', () => {
  let registry: Registry;
  let cwd: string;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', users: USERS, token: { authorize: acl } });
    cwd = await workDir();
    const pushed = await runCli(['push', `${registry.host}/stuff/rocket:v1`, 'rocket.txt', '-u', 'writer', '-p', USERS.writer], { cwd, env: { HOME: cwd } });
    expect(pushed.code, pushed.stderr).toBe(0);
  });
  afterAll(() => registry?.stop());

  const as = (user: keyof typeof USERS) => ['-u', user, '-p', USERS[user]];

  it('push: "denied: reader may not push to <repository>"', async () => {
    const result = await runCli(['push', `${registry.host}/stuff/rocket:v2`, 'rocket.txt', ...as('reader')], { cwd, env: { HOME: cwd } });
    expect(result.code).toBe(1);
    const line = errorLine(result.stderr);
    expect(line).toContain(`denied: reader may not push to ${registry.host}/stuff/rocket`);
    expect(line).not.toMatch(/password|authentication required/);
  });

  it('delete: "denied: reader may not delete from <repository>"', async () => {
    const result = await runCli(['manifest', 'delete', '--force', `${registry.host}/stuff/rocket:v1`, ...as('reader')], { cwd, env: { HOME: cwd } });
    expect(result.code).toBe(1);
    expect(errorLine(result.stderr)).toContain(`denied: reader may not delete from ${registry.host}/stuff/rocket`);
  });

  it('pull: "denied: outsider may not pull from <repository>"', async () => {
    const out = await tempDir();
    const result = await runCli(['pull', `${registry.host}/stuff/rocket:v1`, '-o', out, ...as('outsider')], { cwd, env: { HOME: cwd } });
    expect(result.code).toBe(1);
    const line = errorLine(result.stderr);
    expect(line).toContain(`denied: outsider may not pull from ${registry.host}/stuff/rocket`);
    expect(line).not.toMatch(/password/);
  });

  it('a wrong password is still a wrong password', async () => {
    const result = await runCli(['push', `${registry.host}/stuff/rocket:v2`, 'rocket.txt', '-u', 'reader', '-p', 'not-it'], { cwd, env: { HOME: cwd } });
    expect(result.code).toBe(1);
    expect(errorLine(result.stderr)).toMatch(/check the user name and password/);
  });

  it('oras login with a wrong password and no keychain running says "wrong … password", not the keychain', async () => {
    // No DBUS_SESSION_BUS_ADDRESS: the OS keychain cannot be reached at all.
    const env = { HOME: cwd, PATH: process.env.PATH };
    const wrong = await runCli(['login', registry.host, '-u', 'reader', '--password-stdin'], { cwd, env, stdin: 'not-it\n' });
    expect(wrong.code).toBe(1);
    const line = errorLine(wrong.stderr);
    expect(line).toMatch(/wrong user name or password/);
    expect(line).not.toMatch(/keychain/i);
    // The right password gets as far as saving, and only then hears of the keychain:
    // with none on this machine, it goes to Docker's config, as docker login does.
    const right = await runCli(['login', registry.host, '-u', 'reader', '--password-stdin'], { cwd, env, stdin: `${USERS.reader}\n` });
    expect(right.code).toBe(0);
    expect(right.stderr).toMatch(/^Warning: the login is stored unencrypted in .*: there is no D-Bus session bus\./);
  });
});

describe('faults on the way name the registry, the blob and what was being done', () => {
  let registry: Registry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.url);
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('a dropped connection: "uploading blob sha256:…… to <registry>/<repository>: the connection was reset"', async () => {
    const cwd = await workDir();
    proxy.inject(times(100, { kind: 'reset' }, (req) => req.method === 'PUT' && req.url.includes('/blobs/uploads/')));
    const result = await runCli(['push', `${proxy.host}/drop/rocket:v1`, 'rocket.txt', '--concurrency', '1'], { cwd, env: { HOME: cwd } });
    proxy.inject();
    expect(result.code).toBe(1);
    expect(errorLine(result.stderr)).toMatch(
      new RegExp(`uploading blob sha256:[0-9a-f]{12}… to ${proxy.host.replace(/\./g, '\\.')}/drop/rocket: the connection was reset`),
    );
    expect(result.stderr).not.toMatch(/ECONNRESET|other side closed|socket/);
  });

  it('a registry\'s 403 DENIED to a logged-in user: "denied: alice may not push to <repository>"', async () => {
    const cwd = await workDir();
    const body = JSON.stringify({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] });
    proxy.inject(times(100, { kind: 'status', status: 403, headers: { 'content-type': 'application/json' }, body }, (req) => req.method === 'PUT' && req.url.includes('/manifests/')));
    const result = await runCli(['push', `${proxy.host}/deny/rocket:v1`, 'rocket.txt', '-u', 'alice', '-p', 'alice-pw'], { cwd, env: { HOME: cwd } });
    proxy.inject();
    expect(result.code).toBe(1);
    const line = errorLine(result.stderr);
    expect(line).toContain(`denied: alice may not push to ${proxy.host}/deny/rocket (DENIED: requested access to the resource is denied)`);
    expect(line).not.toMatch(/password/);
  });

  it(`a registry that stops answering is given up on within the deadline (${DEADLINE_ENV}), saying so`, async () => {
    const cwd = await workDir();
    proxy.inject(() => ({ kind: 'hang' }));
    const started = Date.now();
    const result = await runCli(['resolve', `${proxy.host}/quiet/rocket:v1`], { cwd, env: { HOME: cwd, [DEADLINE_ENV]: '1.5' } });
    const took = Date.now() - started;
    proxy.inject();
    expect(result.code).toBe(1);
    expect(errorLine(result.stderr)).toMatch(new RegExp(`${proxy.host.replace(/\./g, '\\.')} did not answer within 1\\.5 s \\(1 try\\); it may be down or overloaded`));
    expect(took).toBeLessThan(8000);
  });
});

describe('inputs are echoed once, cut, and never as Node\'s own text', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => registry?.stop());

  it('a 300-character repository name gives a short line, not 700 characters', async () => {
    const cwd = await workDir();
    const result = await runCli(['push', `${registry.host}/${'a'.repeat(300)}:v1`, 'rocket.txt'], { cwd, env: { HOME: cwd } });
    // A usage error, with whatever status the CLI gives those.
    expect(result.code).not.toBe(0);
    const line = errorLine(result.stderr);
    expect(line).toContain('…');
    expect(line.length).toBeLessThan(200);
    const uppercase = await runCli(['push', `${registry.host}/Repo${'a'.repeat(300)}:v1`, 'rocket.txt'], { cwd, env: { HOME: cwd } });
    expect(errorLine(uppercase.stderr).length).toBeLessThan(200);
  });

  it('a newline in a media type says so', async () => {
    const cwd = await workDir();
    const result = await runCli(['push', `${registry.host}/nl/rocket:v1`, 'rocket.txt:text/plain\n'], { cwd, env: { HOME: cwd } });
    // A usage error, with whatever status the CLI gives those.
    expect(result.code).not.toBe(0);
    expect(errorLine(result.stderr)).toMatch(/"text\/plain\\n": it holds a newline/);
  });

  it('a missing --ca-file: "cannot read CA file X: no such file"', async () => {
    const cwd = await workDir();
    const result = await runCli(['push', `${registry.host}/ca/rocket:v1`, 'rocket.txt', '--ca-file', 'no-ca.pem'], { cwd, env: { HOME: cwd } });
    expect(result.code).not.toBe(0);
    const line = errorLine(result.stderr);
    expect(line).toMatch(/cannot read CA file "?no-ca\.pem"?: no such file/);
    expect(line).not.toMatch(/ENOENT|open '/);
  });
});
