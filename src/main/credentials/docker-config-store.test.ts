import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DockerConfigStore, helperFor } from './docker-config-store';
import { makeFakeHelper, seedFakeHelper } from './testing/fake-helper';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

let fake: Awaited<ReturnType<typeof makeFakeHelper>>;
let configFile: string;
const dirs: string[] = [];
beforeEach(async () => {
  fake = await makeFakeHelper();
  dirs.push(fake.dir);
  configFile = path.join(fake.dir, 'config.json');
});
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const store = () => new DockerConfigStore({ env: fake.env, path: configFile });
const writeConfig = (config: object) => writeFile(configFile, JSON.stringify(config));

describe('helperFor', () => {
  it('picks the credHelpers entry (however its key is written), else credsStore', () => {
    const config = { credsStore: 'desktop', credHelpers: { 'https://Reg.Example/v2/': 'ecr-login', '': 'x', 'other.example': '' } };
    expect(helperFor(config, 'reg.example')).toEqual({ name: 'ecr-login', key: 'https://Reg.Example/v2/' });
    expect(helperFor(config, 'other.example')).toEqual({ name: 'desktop' });
    expect(helperFor({}, 'reg.example')).toBeUndefined();
  });
});

describe('DockerConfigStore', () => {
  it('defaults to $DOCKER_CONFIG/config.json', () => {
    expect(new DockerConfigStore({ env: { DOCKER_CONFIG: '/cfg' } }).path).toBe(path.join('/cfg', 'config.json'));
  });

  it('reads a helper first and falls back to auths; Docker Hub under Docker’s own key', async () => {
    await writeConfig({
      credsStore: 'fake',
      auths: { 'plain.example': { auth: b64('file:pw') }, 'helped.example': {} },
    });
    await seedFakeHelper(fake.storeFile, {
      'helped.example': { Username: 'h', Secret: 'hs' },
      'https://index.docker.io/v1/': { Username: 'hub', Secret: 'hubs' },
    });
    expect(await store().get('helped.example')).toEqual({ username: 'h', password: 'hs' });
    expect(await store().get('plain.example')).toEqual({ username: 'file', password: 'pw' });
    expect(await store().get('registry-1.docker.io')).toEqual({ username: 'hub', password: 'hubs' });
    expect(await store().get('none.example')).toBeUndefined();
  });

  it('writes to the helper when there is one, to auths otherwise', async () => {
    await writeConfig({ credHelpers: { 'helped.example': 'fake' } });
    await store().put('helped.example', { username: 'u', password: 'secret-1' });
    await store().put('plain.example', { username: 'u', password: 'secret-2' });
    const config = JSON.parse(await readFile(configFile, 'utf8'));
    expect(config).toEqual({ credHelpers: { 'helped.example': 'fake' }, auths: { 'plain.example': { auth: b64('u:secret-2') } } });
    expect(JSON.parse(await readFile(fake.storeFile, 'utf8'))).toEqual({ 'helped.example': { Username: 'u', Secret: 'secret-1' } });
  });

  it('lists auths and helpers without secrets; placeholders are not logins', async () => {
    await writeConfig({
      credsStore: 'fake',
      credHelpers: { 'own.example': 'fake' },
      auths: { 'file.example': { auth: b64('f:pw') }, 'placeholder.example': {}, 'tok.example': { identitytoken: 'r' } },
    });
    await seedFakeHelper(fake.storeFile, {
      'https://store.example': { Username: 'su', Secret: 's' },
      'own.example': { Username: '<token>', Secret: 't' },
    });
    expect(await store().list()).toEqual([
      { registry: 'file.example', username: 'f', location: 'docker-config', detail: configFile },
      { registry: 'own.example', location: 'docker-helper', detail: 'fake', identityToken: true },
      { registry: 'store.example', username: 'su', location: 'docker-helper', detail: 'fake' },
      { registry: 'tok.example', location: 'docker-config', detail: configFile, identityToken: true },
    ]);
  });

  it('removes a login under every spelling and says from where', async () => {
    await writeConfig({ credsStore: 'fake', auths: { 'reg.example': {} } });
    await seedFakeHelper(fake.storeFile, {
      'reg.example': { Username: 'a', Secret: '1' },
      'https://reg.example': { Username: 'a', Secret: '2' },
      'keep.example': { Username: 'k', Secret: '3' },
    });
    expect(await store().remove('reg.example')).toEqual([{ registry: 'reg.example', username: 'a', location: 'docker-helper', detail: 'fake' }]);
    expect(Object.keys(JSON.parse(await readFile(fake.storeFile, 'utf8')))).toEqual(['keep.example']);
    expect(JSON.parse(await readFile(configFile, 'utf8')).auths).toEqual({});
    expect(await store().remove('reg.example')).toEqual([]);

    await writeConfig({ auths: { 'http://file.example/': { auth: b64('f:pw') } } });
    expect(await store().remove('file.example')).toEqual([{ registry: 'file.example', username: 'f', location: 'docker-config', detail: configFile }]);
    expect(await store().delete('file.example')).toBe(false);
  });

  it('a missing config file is an empty one', async () => {
    expect(await store().get('x.example')).toBeUndefined();
    expect(await store().list()).toEqual([]);
    expect(await store().delete('x.example')).toBe(false);
  });
});
