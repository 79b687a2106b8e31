import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeychainStore, LoginService } from '../src/main/credentials';
import { runCli } from '../src/cli/testing/test-io';
import { startSecretService, type SecretServiceSession } from './support/keyring';
import { startRegistry, type Registry } from './support/registry';
import { findOnDisk, secretForms } from './support/secret-search';
import { useTempDirs } from './support/tmp';

/**
 * The two Docker-style files: the one the user names with `-c FILE` (the only way a
 * secret is written to a file), and Docker's own config.json written by hand.
 */

const USER = 'file-user';
const PASSWORD = `File-${randomBytes(9).toString('hex')}`;
const b64 = (text: string): string => Buffer.from(text).toString('base64');

const tempDir = useTempDirs('oras-cred-file-');
let session: SecretServiceSession;
let basic: Registry;
let token: Registry;

beforeAll(async () => {
  [session, basic, token] = await Promise.all([
    startSecretService(),
    startRegistry({ auth: 'htpasswd', users: { [USER]: PASSWORD } }),
    startRegistry({ auth: 'token', users: { [USER]: PASSWORD } }),
  ]);
});
afterAll(async () => {
  await Promise.all([session?.stop(), basic?.stop(), token?.stop()]);
});

async function workDir(): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'rocket.txt'), '🚀');
  return dir;
}

describe('-c FILE', () => {
  it('round trip: login writes the file (0600), push reads it, logout empties it; the keychain is untouched', async () => {
    const cwd = await workDir();
    const env = session.env;
    const cli = (argv: string[], stdin?: string) => runCli(argv, { cwd, env, stdin });

    const login = await cli(['login', '-u', USER, '-p', PASSWORD, basic.host, '-c', 'rocket-creds.json']);
    expect(login.code).toBe(0);
    expect(login.stdout).toBe('Login Succeeded\n');
    const file = path.join(cwd, 'rocket-creds.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ auths: { [basic.host]: { auth: b64(`${USER}:${PASSWORD}`) } } });
    // The user asked for a file: the secret is there, and only there.
    expect(await findOnDisk([cwd, session.home], secretForms(USER, PASSWORD))).toEqual([`${file}: ${b64(`${USER}:${PASSWORD}`)}`]);
    expect(await new KeychainStore({ env }).list()).toEqual([]);
    expect(await LoginService.fromEnv({ env, cwd }).list({ file: 'rocket-creds.json' })).toEqual([
      { registry: basic.host, username: USER, location: 'file', detail: file },
    ]);

    expect((await cli(['push', `${basic.host}/file/rocket:v1`, 'rocket.txt'])).code).toBe(1);
    const push = await cli(['push', `${basic.host}/file/rocket:v1`, 'rocket.txt', '-c', 'rocket-creds.json']);
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);

    const logout = await cli(['logout', basic.host, '-c', 'rocket-creds.json']);
    expect(logout.stdout).toBe(`Removing login credentials for ${basic.host} from ${file}\n`);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ auths: {} });
    expect(await readdir(cwd)).toEqual(['rocket-creds.json', 'rocket.txt']);
  });

  it('a refused login writes no file', async () => {
    const cwd = await workDir();
    const login = await runCli(['login', '-u', USER, '--password-stdin', token.host, '-c', 'creds.json'], { cwd, env: session.env, stdin: 'wrong' });
    expect(login.code).toBe(1);
    expect(await readdir(cwd)).toEqual(['rocket.txt']);
  });
});

describe("Docker's config.json written by hand", () => {
  it('auths with base64 auth, a URL key, and an identitytoken are used with no flags and no keychain', async () => {
    const cwd = await workDir();
    const docker = path.join(cwd, 'docker');
    await mkdir(docker);
    const refresh = token.tokenServer!.issueRefreshToken(USER);
    await writeFile(
      path.join(docker, 'config.json'),
      JSON.stringify(
        {
          auths: {
            [`http://${basic.host}/v2/`]: { auth: b64(`${USER}:${PASSWORD}`) },
            [token.host]: { auth: b64('<token>:'), identitytoken: refresh },
          },
          psFormat: 'table {{.ID}}',
        },
        null,
        2,
      ),
    );
    // No D-Bus here: the keychain is skipped without a word (it is simply not there).
    const env = { PATH: process.env.PATH, HOME: cwd, DOCKER_CONFIG: docker };
    for (const host of [basic.host, token.host]) {
      const push = await runCli(['push', `${host}/handwritten/rocket:v1`, 'rocket.txt'], { cwd, env });
      expect(push.stderr).toBe('');
      expect(push.code).toBe(0);
    }
    // With --debug it says what it skipped.
    const debug = await runCli(['push', `${basic.host}/handwritten/rocket:v2`, 'rocket.txt', '--debug'], { cwd, env });
    expect(debug.code).toBe(0);
    expect(debug.stderr).toMatch(/^Debug: skipped the OS keychain looking for a login to .*no D-Bus session bus/m);

    expect(await LoginService.fromEnv({ env }).list()).toEqual(
      [
        { registry: basic.host, username: USER, location: 'docker-config', detail: path.join(docker, 'config.json') },
        { registry: token.host, location: 'docker-config', detail: path.join(docker, 'config.json'), identityToken: true },
      ].sort((a, b) => a.registry.localeCompare(b.registry)),
    );
    // ~/.docker/config.json when DOCKER_CONFIG is not set.
    const home = await tempDir();
    await mkdir(path.join(home, '.docker'));
    await writeFile(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [basic.host]: { auth: b64(`${USER}:${PASSWORD}`) } } }));
    expect((await runCli(['push', `${basic.host}/handwritten/rocket:v3`, 'rocket.txt'], { cwd, env: { PATH: process.env.PATH, HOME: home } })).code).toBe(0);
  });

  it('a broken config.json is an error that names the file and shows none of it', async () => {
    const cwd = await workDir();
    await writeFile(path.join(cwd, 'config.json'), `{"auths": {"${basic.host}": {"auth": "${b64(`${USER}:${PASSWORD}`)}"}}`);
    const push = await runCli(['push', `${basic.host}/broken/rocket:v1`, 'rocket.txt'], { cwd, env: { PATH: process.env.PATH, HOME: cwd, DOCKER_CONFIG: cwd } });
    expect(push.code).toBe(1);
    expect(push.stderr).toContain(`credentials file ${path.join(cwd, 'config.json')} is not valid JSON`);
    expect(push.stderr).not.toContain(b64(`${USER}:${PASSWORD}`));
  });
});
