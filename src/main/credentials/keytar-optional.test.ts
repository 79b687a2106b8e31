import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CredentialNote } from './types';

/**
 * keytar is an optional dependency: `npm ci` on a machine without a C toolchain or
 * libsecret's headers leaves it out. Here its module cannot be found at all (as after
 * such an install); the keychain says so, and `-c FILE` and Docker's credential helpers
 * still give logins.
 */
vi.mock('./keytar-child', async (importOriginal) => {
  const original = await importOriginal<typeof import('./keytar-child')>();
  return {
    ...original,
    keytarModulePath: () => {
      throw new original.KeytarFailure('unavailable', "keytar is not installed: Cannot find module 'keytar'");
    },
    runKeytar: () => {
      throw new Error('keytar must not be run when it is not installed');
    },
  };
});

const { KeychainStore } = await import('./keychain-store');
const { credentialProvider } = await import('./resolver');
const { LoginService } = await import('./login-service');
const { makeFakeHelper, seedFakeHelper } = await import('./testing/fake-helper');

let fake: Awaited<ReturnType<typeof makeFakeHelper>>;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oras-no-keytar-'));
  fake = await makeFakeHelper('fake');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(fake.dir, { recursive: true, force: true });
});

const MESSAGE =
  "the OS keychain is not available: keytar could not be loaded (keytar is not installed: Cannot find module 'keytar'); use -c FILE or a Docker credential helper";

describe('without keytar', () => {
  it('the keychain says it is not available, before asking D-Bus or anything else', async () => {
    const keychain = new KeychainStore({ platform: 'linux', env: { HOME: dir } });
    await expect(keychain.get('x.example')).rejects.toMatchObject({ problem: 'no-keytar', code: 'UNSUPPORTED', message: expect.stringContaining(MESSAGE) });
    await expect(keychain.put('x.example', { username: 'u', password: 'p' })).rejects.toMatchObject({ problem: 'no-keytar' });
    expect(await keychain.status()).toEqual({ available: false, problem: 'no-keytar', message: expect.stringContaining(MESSAGE) });
  });

  it('-c FILE and a Docker credential helper still give logins; the keychain is skipped with a debug note', async () => {
    const file = path.join(dir, 'creds.json');
    await writeFile(file, JSON.stringify({ auths: { 'file.example': { auth: Buffer.from('fu:fp').toString('base64') } } }));
    const dockerDir = path.join(dir, 'docker');
    await rm(dockerDir, { recursive: true, force: true });
    await mkdir(dockerDir);
    await writeFile(path.join(dockerDir, 'config.json'), JSON.stringify({ credsStore: 'fake' }));
    await seedFakeHelper(fake.storeFile, { 'helped.example': { Username: 'hu', Secret: 'hp' } });
    const notes: CredentialNote[] = [];
    const provider = credentialProvider({
      env: { ...fake.env, HOME: dir, DOCKER_CONFIG: dockerDir },
      registryConfig: file,
      keychain: { platform: 'linux' },
      onNote: (note) => notes.push(note),
    });
    expect(await provider('file.example')).toEqual({ username: 'fu', password: 'fp' });
    expect(await provider('helped.example')).toEqual({ username: 'hu', password: 'hp' });
    expect(notes.filter((n) => n.location === 'keychain').map((n) => n.level)).toEqual(['debug']);
    expect(notes.find((n) => n.location === 'keychain')?.message).toContain(MESSAGE);
  });

  it('logins saved to -c FILE are listed and removed; the keychain is left out of the list', async () => {
    const file = path.join(dir, 'saved.json');
    await writeFile(file, JSON.stringify({ auths: { 'saved.example': { auth: Buffer.from('su:sp').toString('base64') } } }));
    const service = LoginService.fromEnv({ env: { HOME: dir, DOCKER_CONFIG: path.join(dir, 'no-docker') }, keychain: { platform: 'linux' } });
    expect((await service.list({ file })).map((l) => [l.registry, l.location])).toEqual([['saved.example', 'file']]);
    expect((await service.logout('saved.example', { file })).map((l) => l.location)).toEqual(['file']);
  });
});
