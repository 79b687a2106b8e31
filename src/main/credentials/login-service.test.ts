import { describe, expect, it } from 'vitest';
import { keychainError, KeychainError } from './keychain-error';
import { LoginService } from './login-service';
import { MemoryCredentialStore, MemoryKeychain } from './testing/memory-stores';
import type { CredentialNote, SavedLogin } from './types';
import type { Credential } from '../engine/transport/credential';

/** MemoryDockerConfig: a Docker config store in memory that reports removals as the real one does. */
class MemoryDockerConfig extends MemoryCredentialStore {
  constructor(entries = {}) {
    super('docker-config', entries);
  }
  readonly path = '/cfg/config.json';
  async remove(registry: string): Promise<SavedLogin[]> {
    return (await this.delete(registry)) ? [{ registry, location: 'docker-config', detail: this.path }] : [];
  }
  async store(registry: string, credential: Credential): Promise<{ helper?: string }> {
    await this.put(registry, credential);
    return {};
  }
}

function setup(keychainEntries = {}, dockerEntries = {}) {
  const notes: CredentialNote[] = [];
  const keychain = new MemoryKeychain(keychainEntries);
  const dockerConfig = new MemoryDockerConfig(dockerEntries);
  const service = new LoginService({ keychain, dockerConfig, onNote: (n) => notes.push(n) });
  return { service, keychain, dockerConfig, notes };
}

const login = { username: 'u', password: 'p' };

describe('LoginService.logout', () => {
  it('removes from the keychain and Docker’s config, and says from where', async () => {
    const { service } = setup({ 'r.example': login }, { 'r.example': login });
    expect(await service.logout('https://R.example/v1/')).toEqual([
      { registry: 'r.example', location: 'keychain' },
      { registry: 'r.example', location: 'docker-config', detail: '/cfg/config.json' },
    ]);
    expect(await service.logout('r.example')).toEqual([]);
  });

  it('goes past a keychain that is not there, with a debug note', async () => {
    const { service, keychain, notes } = setup({}, { 'r.example': login });
    keychain.fail = keychainError('no-secret-service');
    expect(await service.logout('r.example')).toEqual([{ registry: 'r.example', location: 'docker-config', detail: '/cfg/config.json' }]);
    expect(notes.map((n) => n.level)).toEqual(['debug']);
  });

  it('reports a locked keychain: as the error when nothing else was removed, else as a warning', async () => {
    const { service, keychain, notes } = setup({}, { 'r.example': login });
    keychain.fail = keychainError('locked');
    expect(await service.logout('r.example')).toHaveLength(1);
    expect(notes.map((n) => [n.level, n.location])).toEqual([['warning', 'keychain']]);
    await expect(service.logout('r.example')).rejects.toMatchObject({ problem: 'locked' });
  });
});

describe('LoginService.login', () => {
  it('asks the registry before the keychain: the registry\'s answer is the error even when the keychain cannot save', async () => {
    const { service, keychain } = setup();
    keychain.fail = keychainError('no-dbus', 'DBUS_SESSION_BUS_ADDRESS is not set');
    // 127.0.0.1:9 is a NETWORK error: it is asked first, so that is what the user hears.
    await expect(service.login('127.0.0.1:9', login)).rejects.toMatchObject({ code: 'NETWORK' });
    expect(keychain.logins.size).toBe(0);
  });

  it('saves nothing when the registry cannot be reached', async () => {
    const { service, keychain } = setup();
    await expect(service.login('127.0.0.1:9', login)).rejects.toMatchObject({ code: 'NETWORK' });
    expect(keychain.calls.filter((c) => c.startsWith('put'))).toEqual([]);
  });

  it('rejects what is not a registry', async () => {
    const { service } = setup();
    await expect(service.login('not a host', login)).rejects.toMatchObject({ code: 'INVALID_REFERENCE' });
  });
});

describe('LoginService.list', () => {
  it('lists in reading order and leaves out a keychain it cannot read', async () => {
    const { service, keychain, notes } = setup({ 'k.example': login }, { 'd.example': login });
    expect((await service.list()).map((l) => [l.registry, l.location])).toEqual([
      ['k.example', 'keychain'],
      ['d.example', 'docker-config'],
    ]);
    keychain.fail = keychainError('timeout', 'within 5 s');
    expect((await service.list()).map((l) => l.location)).toEqual(['docker-config']);
    expect(notes).toHaveLength(1);
    expect(await service.keychainStatus()).toMatchObject({ available: false, problem: 'timeout' });
  });
});

describe('LoginService.test', () => {
  it('says when there is no saved login', async () => {
    const { service } = setup();
    await expect(service.test('none.example')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no saved login for none.example' });
  });
});
