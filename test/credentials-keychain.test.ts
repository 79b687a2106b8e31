import { randomBytes } from 'node:crypto';
import { readdir, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeychainStore, LoginService } from '../src/main/credentials';
import { runCli } from '../src/cli/testing/test-io';
import { buildCliBin, type CliBin } from './support/cli-bin';
import { startSecretService, type SecretServiceSession } from './support/keyring';
import { startRegistry, type Registry } from './support/registry';
import { findOnDisk, secretForms } from './support/secret-search';
import { useTempDirs } from './support/tmp';

/**
 * Logins in the OS keychain, for real: gnome-keyring's Secret Service on a private
 * D-Bus session, reached through keytar and libsecret, with real registries (htpasswd
 * Basic auth and the token flow). The password is random so that a search of the disk
 * for it means something.
 */

const USER = 'rocketeer';
const PASSWORD = `Rocket-${randomBytes(9).toString('hex')}`;
const b64 = (text: string): string => Buffer.from(text).toString('base64');

const tempDir = useTempDirs('oras-cred-keychain-');
let session: SecretServiceSession;
let basic: Registry;
let token: Registry;
let oras: CliBin;

beforeAll(async () => {
  [session, basic, token, oras] = await Promise.all([
    startSecretService(),
    startRegistry({ auth: 'htpasswd', users: { [USER]: PASSWORD } }),
    startRegistry({ auth: 'token', users: { [USER]: PASSWORD } }),
    buildCliBin(),
  ]);
});
afterAll(async () => {
  await Promise.all([session?.stop(), basic?.stop(), token?.stop(), oras?.remove()]);
});

async function workDir(): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'rocket.txt'), '🚀');
  return dir;
}

/** cli runs the command line in-process with the session's environment (HOME, D-Bus). */
const cli = (cwd: string, argv: string[], stdin?: string, env: NodeJS.ProcessEnv = session.env) => runCli(argv, { cwd, env, stdin });

const keychainLogins = async () => new KeychainStore({ env: session.env }).list();

describe('oras login saves to the OS keychain', () => {
  it('login, push without flags, logout, push refused — and no password on disk', async () => {
    const cwd = await workDir();
    const env = session.env;

    const login = await oras.run(['login', '-u', USER, '--password-stdin', basic.host], { cwd, env, input: `${PASSWORD}\n` });
    expect(login.stderr).toBe('');
    expect(login.stdout).toBe('Login Succeeded\n');
    expect(login.code).toBe(0);
    expect(await keychainLogins()).toEqual([{ registry: basic.host, username: USER, location: 'keychain' }]);

    // Nothing written to the working folder; the keyring's file in HOME is encrypted.
    expect(await readdir(cwd)).toEqual(['rocket.txt']);
    expect(await findOnDisk([session.home, cwd], secretForms(USER, PASSWORD))).toEqual([]);

    const push = await oras.run(['push', `${basic.host}/mystuff/rocket:v1`, 'rocket.txt:text/plain'], { cwd, env });
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    expect(push.stdout).toContain('Digest: sha256:');

    const logout = await oras.run(['logout', basic.host], { cwd, env });
    expect(logout.code).toBe(0);
    expect(logout.stdout).toBe(`Removing login credentials for ${basic.host} from the OS keychain\n`);
    expect(await keychainLogins()).toEqual([]);

    const refused = await oras.run(['push', `${basic.host}/mystuff/rocket:v2`, 'rocket.txt:text/plain'], { cwd, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/authentication required.*oras login/);

    const again = await oras.run(['logout', basic.host], { cwd, env });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Not logged in to /);
    expect(await findOnDisk([session.home, cwd], secretForms(USER, PASSWORD))).toEqual([]);
  });

  it('a wrong password stores nothing, says so, and shows no secret', async () => {
    const cwd = await workDir();
    const wrong = `Wrong-${randomBytes(6).toString('hex')}`;
    for (const registry of [basic, token]) {
      const login = await cli(cwd, ['login', '-u', USER, '--password-stdin', registry.host], `${wrong}\n`);
      expect(login.code).toBe(1);
      expect(login.stderr).toMatch(/^Error: login to .* failed: wrong user name or password \(or token\); nothing was saved/m);
      expect(login.stdout + login.stderr).not.toContain(wrong);
    }
    expect(await keychainLogins()).toEqual([]);
    expect(await readdir(cwd)).toEqual(['rocket.txt']);
    expect(await findOnDisk([session.home, cwd], secretForms(USER, wrong))).toEqual([]);
  });

  it('logs in through the token flow, with a password or an identity token', async () => {
    const cwd = await workDir();
    expect((await cli(cwd, ['login', '-u', USER, '--password-stdin', token.host], PASSWORD)).code).toBe(0);
    const push = await cli(cwd, ['push', `${token.host}/mystuff/rocket:v1`, 'rocket.txt']);
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);

    // An identity (refresh) token replaces the password login, and is used the same way.
    const refresh = token.tokenServer!.issueRefreshToken(USER);
    const login = await cli(cwd, ['login', '--identity-token', refresh, token.host]);
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(await keychainLogins()).toEqual([{ registry: token.host, location: 'keychain', identityToken: true }]);
    const seen = token.tokenServer!.requests.length;
    expect((await cli(cwd, ['push', `${token.host}/mystuff/rocket:v2`, 'rocket.txt'])).code).toBe(0);
    expect(token.tokenServer!.requests.slice(seen).some((r) => r.grantType === 'refresh_token')).toBe(true);
    expect((await cli(cwd, ['logout', token.host])).code).toBe(0);
  });

  it('reads in order: flags, then the keychain, then Docker’s config', async () => {
    const cwd = await workDir();
    const docker = path.join(session.home, 'docker-order');
    await mkdir(docker);
    await writeFile(path.join(docker, 'config.json'), JSON.stringify({ auths: { [basic.host]: { auth: b64(`${USER}:${PASSWORD}`) } } }));
    const env = { ...session.env, DOCKER_CONFIG: docker };
    const keychain = new KeychainStore({ env });
    const push = (tag: string, ...flags: string[]) => cli(cwd, ['push', `${basic.host}/order/rocket:${tag}`, 'rocket.txt', ...flags], undefined, env);

    // Docker's config alone: used.
    expect((await push('docker')).code).toBe(0);
    // A wrong login in the keychain comes first, so it is the one tried.
    await keychain.put(basic.host, { username: USER, password: 'not-it' });
    const refused = await push('keychain');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/check the user name and password|refused|authentication required/i);
    // Flags come before both.
    expect((await push('flags', '-u', USER, '-p', PASSWORD)).code).toBe(0);
    // Logout removes it from every place it lives: the keychain and Docker's config.
    const logout = await cli(cwd, ['logout', basic.host], undefined, env);
    expect(logout.stdout).toBe(
      `Removing login credentials for ${basic.host} from the OS keychain\nRemoving login credentials for ${basic.host} from ${path.join(docker, 'config.json')}\n`,
    );
    expect(await keychain.get(basic.host)).toBeUndefined();
    expect((await push('none')).code).toBe(1);
  });

  it('keeps one login for docker.io, index.docker.io and registry-1.docker.io', async () => {
    const keychain = new KeychainStore({ env: session.env });
    await keychain.put('index.docker.io', { username: 'hub-user', password: 'hub-secret' });
    expect(await keychain.get('docker.io')).toEqual({ username: 'hub-user', password: 'hub-secret' });
    expect(await keychain.get('registry-1.docker.io')).toEqual({ username: 'hub-user', password: 'hub-secret' });
    await keychain.put('registry-1.docker.io', { username: 'hub-user2', password: 'hub-secret2' });
    expect(await keychain.list()).toEqual([{ registry: 'docker.io', username: 'hub-user2', location: 'keychain' }]);
    const logout = await cli(await workDir(), ['logout', 'https://index.docker.io/v1/']);
    expect(logout.stdout).toBe('Removing login credentials for docker.io from the OS keychain\n');
    expect(await keychain.list()).toEqual([]);
  });
});

describe('the login API the app uses', () => {
  it('adds, lists, tests and removes logins, and never returns a secret', async () => {
    const docker = path.join(session.home, 'docker-api');
    await mkdir(docker);
    await writeFile(path.join(docker, 'config.json'), JSON.stringify({ auths: { 'https://hub.example': { auth: b64('dockeruser:docker-secret') } } }));
    const service = LoginService.fromEnv({ env: { ...session.env, DOCKER_CONFIG: docker } });
    expect(await service.keychainStatus()).toEqual({ available: true });

    await expect(service.login(basic.host, { username: USER, password: 'nope' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const saved = await service.login(basic.host, { username: USER, password: PASSWORD });
    expect(saved).toEqual({ registry: basic.host, username: USER, location: 'keychain' });

    const list = await service.list();
    expect(list).toEqual([
      { registry: basic.host, username: USER, location: 'keychain' },
      { registry: 'hub.example', username: 'dockeruser', location: 'docker-config', detail: path.join(docker, 'config.json') },
    ]);
    expect(JSON.stringify(list)).not.toMatch(new RegExp(`${PASSWORD}|docker-secret|${b64('dockeruser:docker-secret')}`));

    expect(await service.test(basic.host)).toEqual({ registry: basic.host, username: USER, location: 'keychain' });
    await expect(service.test(basic.host, { credential: { username: USER, password: 'nope' } })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(service.test(token.host)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // The provider the engine's auth asks.
    expect(await service.provider()(basic.host)).toEqual({ username: USER, password: PASSWORD });

    expect(await service.logout(basic.host)).toEqual([{ registry: basic.host, location: 'keychain' }]);
    expect(await service.logout(basic.host)).toEqual([]);
    expect(await service.provider()(basic.host)).toBeUndefined();
  });
});

/**
 * The session `npm test` (scripts/test.sh, run by .ci/run) starts for the whole run:
 * dbus-run-session with gnome-keyring unlocked, in a throwaway HOME. The CLI with the
 * run's own environment uses it by default. Outside that script this would touch the
 * developer's own keychain, so it runs only there.
 */
const underTestScript = path.basename(process.env.HOME ?? '').startsWith('oras-test-home.');
describe.runIf(underTestScript)('the Secret Service npm test starts', () => {
  it('is unlocked, and oras login / push / logout use it with no setup', async () => {
    const env = process.env;
    const cwd = await workDir();
    expect(await new KeychainStore({ env }).status()).toEqual({ available: true });
    const login = await oras.run(['login', '-u', USER, '--password-stdin', basic.host], { cwd, env, input: PASSWORD });
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect((await oras.run(['push', `${basic.host}/session/rocket:v1`, 'rocket.txt'], { cwd, env })).code).toBe(0);
    expect((await oras.run(['logout', basic.host], { cwd, env })).stdout).toContain('from the OS keychain');
    expect(await findOnDisk([process.env.HOME!, cwd], secretForms(USER, PASSWORD))).toEqual([]);
  });
});
