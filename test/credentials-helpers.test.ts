import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialHelper, DockerConfigStore, KeychainStore, LoginService } from '../src/main/credentials';
import { runCli } from '../src/cli/testing/test-io';
import { startPassStore, startSecretService, type PassStore, type SecretServiceSession } from './support/keyring';
import { startRegistry, type Registry } from './support/registry';
import { findOnDisk, secretForms } from './support/secret-search';
import { useTempDirs } from './support/tmp';

/**
 * Docker's credential helpers, for real: Debian's docker-credential-secretservice (on a
 * private gnome-keyring) and docker-credential-pass (on a pass store with a GPG key made
 * here), named by `credHelpers` and by `credsStore` in a hand-written config.json. A
 * login `docker login` left in a helper is found by every command.
 */

const USER = 'helper-user';
const PASSWORD = `Helper-${randomBytes(9).toString('hex')}`;

const tempDir = useTempDirs('oras-cred-helpers-');
let session: SecretServiceSession;
let pass: PassStore;
let registry: Registry;
let token: Registry;

beforeAll(async () => {
  [session, pass, registry, token] = await Promise.all([
    startSecretService(),
    startPassStore(),
    startRegistry({ auth: 'htpasswd', users: { [USER]: PASSWORD } }),
    startRegistry({ auth: 'token', users: { [USER]: PASSWORD } }),
  ]);
});
afterAll(async () => {
  await Promise.all([session?.stop(), pass?.stop(), registry?.stop(), token?.stop()]);
});

/** setup writes a Docker config.json and returns the environment that uses it (and both helpers' stores). */
async function setup(config: object): Promise<{ cwd: string; env: NodeJS.ProcessEnv; configFile: string }> {
  const cwd = await tempDir();
  await writeFile(path.join(cwd, 'rocket.txt'), '🚀');
  const docker = path.join(cwd, 'docker');
  await mkdir(docker);
  const configFile = path.join(docker, 'config.json');
  await writeFile(configFile, JSON.stringify(config));
  return { cwd, env: { ...session.env, ...pass.env, DOCKER_CONFIG: docker }, configFile };
}

/** helperStore runs `docker-credential-<name> store` as `docker login` does. */
async function helperStore(name: string, env: NodeJS.ProcessEnv, serverUrl: string, username: string, secret: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile(`docker-credential-${name}`, ['store'], { env }, (err) => (err ? reject(err) : resolve()));
    child.stdin!.end(JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret }));
  });
}

const cli = (cwd: string, env: NodeJS.ProcessEnv, argv: string[]) => runCli(argv, { cwd, env });

for (const helper of ['secretservice', 'pass'] as const) {
  describe(`docker-credential-${helper}`, () => {
    it('named in credHelpers: a docker login is used by push, and logout erases it', async () => {
      const { cwd, env } = await setup({ credHelpers: { [registry.host]: helper } });
      await helperStore(helper, env, registry.host, USER, PASSWORD);

      const push = await cli(cwd, env, ['push', `${registry.host}/helpers/${helper}:v1`, 'rocket.txt']);
      expect(push.stderr).toBe('');
      expect(push.code).toBe(0);
      expect(await LoginService.fromEnv({ env }).list()).toEqual([{ registry: registry.host, username: USER, location: 'docker-helper', detail: helper }]);

      const logout = await cli(cwd, env, ['logout', registry.host]);
      expect(logout.stdout).toBe(`Removing login credentials for ${registry.host} from docker-credential-${helper}\n`);
      expect(await new CredentialHelper(helper, { env }).get(registry.host)).toBeUndefined();
      expect((await cli(cwd, env, ['push', `${registry.host}/helpers/${helper}:v2`, 'rocket.txt'])).code).toBe(1);
    });

    it('named in credsStore: stores, finds under other spellings, lists and erases through the protocol', async () => {
      const { cwd, env, configFile } = await setup({ credsStore: helper, auths: { [registry.host]: {} } });
      const store = new DockerConfigStore({ env });
      expect(store.path).toBe(configFile);
      await store.put(registry.host, { username: USER, password: PASSWORD });
      expect(await new CredentialHelper(helper, { env }).list()).toMatchObject({ [registry.host]: USER });
      expect(await store.get(registry.host)).toEqual({ username: USER, password: PASSWORD });
      expect((await cli(cwd, env, ['push', `${registry.host}/helpers/${helper}:store`, 'rocket.txt'])).code).toBe(0);
      // The secret went to the helper, not to config.json or anywhere else in the folder.
      expect(await findOnDisk([cwd], secretForms(USER, PASSWORD))).toEqual([]);
      expect(await store.delete(registry.host)).toBe(true);
      expect(await store.get(registry.host)).toBeUndefined();

      // A login stored under a URL spelling (as some tools write it) is still this registry's.
      await helperStore(helper, env, `https://${registry.host}`, USER, PASSWORD);
      expect(await store.get(registry.host)).toEqual({ username: USER, password: PASSWORD });
      expect(await store.list()).toEqual([{ registry: registry.host, username: USER, location: 'docker-helper', detail: helper }]);
      expect(await store.delete(registry.host)).toBe(true);
      expect(await store.list()).toEqual([]);
    });

    it('keeps an identity token as Docker does (<token>) and uses it in the token flow', async () => {
      const { cwd, env } = await setup({ credHelpers: { [token.host]: helper } });
      const refresh = token.tokenServer!.issueRefreshToken(USER);
      await new DockerConfigStore({ env }).put(token.host, { identityToken: refresh });
      expect(await new CredentialHelper(helper, { env }).list()).toMatchObject({ [token.host]: '<token>' });
      const push = await cli(cwd, env, ['push', `${token.host}/helpers/${helper}:token`, 'rocket.txt']);
      expect(push.stderr).toBe('');
      expect(push.code).toBe(0);
      expect((await cli(cwd, env, ['logout', token.host])).code).toBe(0);
    });
  });
}

describe('a helper that is missing or failing', () => {
  it('is skipped with a warning when reading, so public content still works', async () => {
    const { cwd, env } = await setup({ credsStore: 'oras-test-missing' });
    const plain = await startRegistry();
    try {
      // No challenge, no lookup: nothing to warn about.
      const anon = await cli(cwd, env, ['push', `${plain.host}/public/rocket:v1`, 'rocket.txt']);
      expect(anon.stderr).toBe('');
      expect(anon.code).toBe(0);
    } finally {
      await plain.stop();
    }
    const push = await cli(cwd, env, ['push', `${registry.host}/helpers/missing:v1`, 'rocket.txt']);
    expect(push.code).toBe(1);
    expect(push.stderr).toContain('Warning: skipped Docker\'s credential helper looking for a login to');
    expect(push.stderr).toContain('docker-credential-oras-test-missing is not installed');
    expect(push.stderr).toMatch(/authentication required/);
  });

  it('refuses helper names that are paths', async () => {
    expect(() => new CredentialHelper('../../bin/sh')).toThrow(/not a credential helper name/);
  });

  it('pass without a store says so, without secrets', async () => {
    const { env } = await setup({ credsStore: 'pass' });
    const bare = { ...env, PASSWORD_STORE_DIR: path.join(await tempDir(), 'none') };
    await expect(new DockerConfigStore({ env: bare }).put(registry.host, { username: USER, password: PASSWORD })).rejects.toThrow(
      /docker-credential-pass store failed/,
    );
    await expect(new DockerConfigStore({ env: bare }).put(registry.host, { username: USER, password: PASSWORD })).rejects.not.toThrow(PASSWORD);
  });
});

describe('the keychain and a helper on one Secret Service', () => {
  it('keep their logins apart', async () => {
    const { env } = await setup({ credsStore: 'secretservice' });
    await new DockerConfigStore({ env }).put('apart.example', { username: 'docker', password: 'd' });
    await new KeychainStore({ env }).put('apart.example', { username: 'oras', password: 'o' });
    const service = LoginService.fromEnv({ env });
    expect(await service.provider()('apart.example')).toEqual({ username: 'oras', password: 'o' });
    expect((await service.list()).map((l) => [l.location, l.username])).toEqual([
      ['keychain', 'oras'],
      ['docker-helper', 'docker'],
    ]);
    expect((await service.logout('apart.example')).map((l) => l.location)).toEqual(['keychain', 'docker-helper']);
    expect(await service.list()).toEqual([]);
  });
});
