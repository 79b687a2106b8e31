import { describe, expect, it } from 'vitest';
import { OrasError } from '../engine/errors';
import { HelperError } from './credential-helper';
import { keychainError } from './keychain-error';
import { createResolver } from './resolver';
import { MemoryCredentialStore, MemoryKeychain } from './testing/memory-stores';
import type { CredentialNote } from './types';

const cred = (username: string) => ({ username, password: `${username}-pw` });

describe('createResolver', () => {
  it('reads flags, then the -c file, then the keychain, then Docker’s config, then nothing', async () => {
    const file = new MemoryCredentialStore('file', { 'b.example': cred('file') });
    const keychain = new MemoryKeychain({ 'b.example': cred('kc'), 'c.example': cred('kc') });
    const dockerConfig = new MemoryCredentialStore('docker-config', { 'c.example': cred('docker'), 'd.example': cred('docker') });
    const resolve = createResolver({ flag: cred('flag'), flagRegistries: ['A.example'], file, keychain, dockerConfig });
    expect(await resolve('a.example')).toEqual(cred('flag'));
    expect(await resolve('b.example')).toEqual(cred('file'));
    expect(await resolve('c.example')).toEqual(cred('kc'));
    expect(await resolve('d.example')).toEqual(cred('docker'));
    expect(await resolve('e.example')).toBeUndefined();
    // The flag credential goes only to the registries the command line names.
    expect(keychain.calls).not.toContain('get a.example');
    expect(keychain.calls).toContain('get e.example');
  });

  it('folds Docker Hub’s names into one', async () => {
    const keychain = new MemoryKeychain({ 'index.docker.io': cred('hub') });
    const resolve = createResolver({ keychain });
    for (const name of ['docker.io', 'registry-1.docker.io', 'INDEX.docker.io']) expect(await resolve(name)).toEqual(cred('hub'));
  });

  it('skips a keychain that is not there quietly, and one that fails with a warning', async () => {
    const notes: CredentialNote[] = [];
    const keychain = new MemoryKeychain();
    const dockerConfig = new MemoryCredentialStore('docker-config', { 'r.example': cred('docker') });
    const resolve = createResolver({ keychain, dockerConfig, onNote: (n) => notes.push(n) });
    keychain.fail = keychainError('no-dbus', 'DBUS_SESSION_BUS_ADDRESS is not set');
    expect(await resolve('r.example')).toEqual(cred('docker'));
    keychain.fail = keychainError('locked');
    expect(await resolve('r.example')).toEqual(cred('docker'));
    expect(notes.map((n) => [n.level, n.location])).toEqual([
      ['debug', 'keychain'],
      ['warning', 'keychain'],
    ]);
    expect(notes[1]!.message).toMatch(/^skipped the OS keychain looking for a login to r\.example: the OS keychain is locked/);
  });

  it('skips a failing helper with a warning, but stops at a broken file the user must fix', async () => {
    const notes: CredentialNote[] = [];
    const dockerConfig = new MemoryCredentialStore('docker-config');
    const resolve = createResolver({ dockerConfig, onNote: (n) => notes.push(n) });
    dockerConfig.fail = new HelperError('desktop', 'missing', 'docker-credential-desktop is not installed (not found on PATH)');
    expect(await resolve('r.example')).toBeUndefined();
    expect(notes).toEqual([
      {
        level: 'warning',
        registry: 'r.example',
        location: 'docker-helper',
        message: "skipped Docker's credential helper looking for a login to r.example: docker-credential-desktop is not installed (not found on PATH)",
      },
    ]);
    dockerConfig.fail = new OrasError('INVALID_ARGUMENT', 'credentials file config.json is not valid JSON; fix or remove it');
    await expect(resolve('r.example')).rejects.toThrow(/not valid JSON/);
    const file = new MemoryCredentialStore('file');
    file.fail = new OrasError('INVALID_ARGUMENT', 'credentials file creds.json is not valid JSON; fix or remove it');
    await expect(createResolver({ file })('r.example')).rejects.toThrow(/creds.json is not valid JSON/);
  });
});
