import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultDockerConfigPath,
  findAuthEntry,
  readCredential,
  readDockerConfig,
  registryKey,
  removeCredential,
  storeCredential,
} from './docker-config-file';
import { credentialProvider } from './resolver';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

let dir: string;
const dirs: string[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oras-docker-config-'));
  dirs.push(dir);
});
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('Docker config keys', () => {
  it('fold schemes, paths, case and Docker Hub aliases', () => {
    expect(registryKey('localhost:5000')).toBe('localhost:5000');
    expect(registryKey('http://localhost:5000')).toBe('localhost:5000');
    expect(registryKey('https://Registry.Example.com/v2/')).toBe('registry.example.com');
    expect(registryKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(registryKey('registry-1.docker.io')).toBe('docker.io');
  });

  it('finds entries however they are written, an exact key first', () => {
    const config = { auths: { 'https://localhost:5000': { auth: b64('a:1') }, 'localhost:5000': { auth: b64('b:2') } } };
    expect(findAuthEntry(config, 'localhost:5000')?.key).toBe('localhost:5000');
    expect(findAuthEntry({ auths: { 'https://index.docker.io/v1/': { auth: b64('u:p') } } }, 'docker.io')?.key).toBe('https://index.docker.io/v1/');
    expect(findAuthEntry(config, 'other:1')).toBeUndefined();
  });

  it('defaults to $DOCKER_CONFIG/config.json, else ~/.docker/config.json', () => {
    expect(defaultDockerConfigPath({ DOCKER_CONFIG: '/x' })).toBe(path.join('/x', 'config.json'));
    expect(defaultDockerConfigPath({ HOME: '/home/me' })).toBe(path.join('/home/me', '.docker', 'config.json'));
  });
});

describe('reading credentials', () => {
  it('decodes auth (passwords may hold colons) and identity tokens', async () => {
    const file = path.join(dir, 'config.json');
    await writeFile(
      file,
      JSON.stringify({
        auths: {
          'localhost:5000': { auth: b64('user:pa:ss') },
          'https://token.example': { auth: b64('<token>:'), identitytoken: 'refresh' },
          'empty.example': {},
        },
        credsStore: 'desktop',
      }),
    );
    expect(await readCredential(file, 'localhost:5000')).toEqual({ username: 'user', password: 'pa:ss' });
    expect(await readCredential(file, 'token.example')).toEqual({ username: '<token>', identityToken: 'refresh' });
    expect(await readCredential(file, 'empty.example')).toBeUndefined();
    expect(await readCredential(path.join(dir, 'missing.json'), 'localhost:5000')).toBeUndefined();
  });

  it('names the file, never its content, when it is broken', async () => {
    const file = path.join(dir, 'config.json');
    await writeFile(file, '{"auths": {"x": {"auth": "c2VjcmV0"}}, oops');
    await expect(readDockerConfig(file)).rejects.toThrow(/config.json is not valid JSON/);
    await expect(readDockerConfig(file)).rejects.not.toThrow(/c2VjcmV0|secret/);
    await writeFile(file, '{"auths": []}');
    await expect(readDockerConfig(file)).rejects.toThrow(/"auths" that is not an object/);
  });

  it('the default provider: flags, then -c file, then $DOCKER_CONFIG (no keychain in these environments)', async () => {
    const dockerDir = path.join(dir, 'docker');
    await mkdir(dockerDir);
    await writeFile(
      path.join(dockerDir, 'config.json'),
      JSON.stringify({ auths: { 'a.example': { auth: b64('docker:1') }, 'b.example': { auth: b64('docker:2') } } }),
    );
    const creds = path.join(dir, 'creds.json');
    await writeFile(creds, JSON.stringify({ auths: { 'b.example': { auth: b64('file:2') }, 'c.example': { auth: b64('file:3') } } }));
    const provider = credentialProvider({
      env: { DOCKER_CONFIG: dockerDir },
      flag: { username: 'flag', password: 'f' },
      flagRegistries: ['c.example'],
      registryConfig: creds,
    });
    expect(await provider('a.example')).toEqual({ username: 'docker', password: '1' });
    expect(await provider('b.example')).toEqual({ username: 'file', password: '2' });
    expect(await provider('c.example')).toEqual({ username: 'flag', password: 'f' });
    expect(await provider('d.example')).toBeUndefined();
    // ~/.docker/config.json through HOME when DOCKER_CONFIG is not set.
    const home = path.join(dir, 'home');
    await mkdir(path.join(home, '.docker'), { recursive: true });
    await writeFile(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: b64('hub:x') } } }));
    expect(await credentialProvider({ env: { HOME: home } })('docker.io')).toEqual({ username: 'hub', password: 'x' });
  });
});

describe('writing credentials', () => {
  it('creates the file with mode 0600, keeping other entries and keys', async () => {
    const file = path.join(dir, 'sub', 'rocket-creds.json');
    await storeCredential(file, 'localhost:5000', { username: 'username', password: 'password' });
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ auths: { 'localhost:5000': { auth: b64('username:password') } } });

    await writeFile(file, JSON.stringify({ auths: { 'other:1': { auth: b64('o:o') }, 'http://localhost:5000': { auth: b64('old:old') } }, credsStore: 'x' }));
    await storeCredential(file, 'localhost:5000', { username: 'new', password: 'pw' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      auths: { 'other:1': { auth: b64('o:o') }, 'localhost:5000': { auth: b64('new:pw') } },
      credsStore: 'x',
    });
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    // No temp file is left beside it.
    expect(await readdir(path.dirname(file))).toEqual(['rocket-creds.json']);
  });

  it("writes Docker Hub under Docker's own key, and identity tokens", async () => {
    const file = path.join(dir, 'c.json');
    await storeCredential(file, 'docker.io', { username: 'u', identityToken: 'tok' });
    expect(JSON.parse(await readFile(file, 'utf8')).auths).toEqual({ 'https://index.docker.io/v1/': { auth: b64('u:'), identitytoken: 'tok' } });
    expect(await readCredential(file, 'index.docker.io')).toEqual({ username: 'u', identityToken: 'tok' });
  });

  it('does not overwrite a file it cannot read as JSON', async () => {
    const file = path.join(dir, 'c.json');
    await writeFile(file, 'not json');
    await expect(storeCredential(file, 'localhost:5000', { username: 'u', password: 'p' })).rejects.toThrow(/not valid JSON/);
    expect(await readFile(file, 'utf8')).toBe('not json');
  });

  it('removes every entry of a registry and reports when there was none', async () => {
    const file = path.join(dir, 'c.json');
    await writeFile(file, JSON.stringify({ auths: { 'localhost:5000': { auth: b64('a:b') }, 'https://localhost:5000/': { auth: b64('c:d') }, keep: { auth: b64('e:f') } } }));
    expect(await removeCredential(file, 'localhost:5000')).toBe(true);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ auths: { keep: { auth: b64('e:f') } } });
    expect(await removeCredential(file, 'localhost:5000')).toBe(false);
  });
});
