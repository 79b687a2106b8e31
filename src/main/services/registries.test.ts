import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addRegistrySchema, type AddRegistryRequest } from '../../shared/contract';
import type { SavedLogin } from '../credentials/types';
import type { Credential } from '../engine/transport/credential';
import { OrasError } from '../engine/errors';
import type { LoginBackend } from './login-backend';
import { RegistriesService, LOCAL_ID, type Reachability } from './registries';
import { SettingsStore } from './settings';

/** FakeLogins: a keychain in memory that accepts one password per registry. */
class FakeLogins implements LoginBackend {
  readonly saved = new Map<string, SavedLogin & { credential: Credential }>();
  constructor(readonly accepted: Record<string, string>) {}
  async list(): Promise<SavedLogin[]> {
    return [...this.saved.values()].map(({ credential: _c, ...login }) => login);
  }
  test = vi.fn(async (registry: string, credential: Credential | undefined) => {
    const c = credential ?? this.saved.get(registry)?.credential;
    if (!c) throw new OrasError('NOT_FOUND', `no saved login for ${registry}`);
    if (this.accepted[registry] !== c.password) throw new OrasError('UNAUTHORIZED', `login to ${registry} failed`);
  });
  login = vi.fn(async (registry: string, credential: Credential) => {
    await this.test(registry, credential);
    const login: SavedLogin = { registry, username: credential.username, location: 'keychain' };
    this.saved.set(registry, { ...login, credential });
    return login;
  });
  logout = vi.fn(async (registry: string) => this.saved.delete(registry));
  provider = () => async (registry: string) => this.saved.get(registry)?.credential;
}

let dir: string;
let logins: FakeLogins;
let reachable: ReturnType<typeof vi.fn<Reachability>>;
let service: RegistriesService;
const input = (request: AddRegistryRequest) => addRegistrySchema.parse(request);

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oras-registries-'));
  logins = new FakeLogins({ 'r.io': 'right', 'localhost:5000': 'pw' });
  reachable = vi.fn<Reachability>(async () => {});
  service = new RegistriesService({
    localLayoutPath: path.join(dir, 'oci-layout'),
    settings: new SettingsStore(dir),
    logins,
    reachable,
  });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('RegistriesService', () => {
  it('always lists the local store first, creating its folder (a plain folder of layouts, one per repository)', async () => {
    const list = await service.list();
    expect(list).toEqual([{ id: LOCAL_ID, kind: 'local', label: 'Local OCI layout', path: path.join(dir, 'oci-layout'), options: {} }]);
    expect((await stat(path.join(dir, 'oci-layout'))).isDirectory()).toBe(true);
    await expect(stat(path.join(dir, 'oci-layout', 'oci-layout'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('adds a registry after its login passed, saving options in settings.json and the secret only with the logins', async () => {
    const entry = await service.add(input({ registry: 'R.io', username: 'me', secret: 'right', options: { insecure: true } }));
    expect(entry).toEqual({ id: 'r.io', kind: 'remote', label: 'r.io', username: 'me', location: 'keychain', options: { insecure: true } });
    const settings = await readFile(path.join(dir, 'settings.json'), 'utf8');
    expect(JSON.parse(settings)).toEqual({ version: 1, registries: [{ registry: 'r.io', options: { insecure: true } }] });
    expect(settings).not.toContain('right');
    expect((await service.list()).map((e) => e.id)).toEqual([LOCAL_ID, 'r.io']);
  });

  it('saves nothing when the login is refused', async () => {
    await expect(service.add(input({ registry: 'r.io', username: 'me', secret: 'wrong' }))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(logins.saved.size).toBe(0);
    await expect(stat(path.join(dir, 'settings.json'))).rejects.toThrow();
    expect((await service.list()).map((e) => e.id)).toEqual([LOCAL_ID]);
  });

  it('adds an anonymous registry once it answers, and refuses adding it twice', async () => {
    await service.add(input({ registry: 'public.example:8443' }));
    expect(reachable).toHaveBeenCalledWith('public.example:8443', {}, expect.any(AbortSignal));
    await expect(service.add(input({ registry: 'public.example:8443' }))).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    reachable.mockRejectedValueOnce(new OrasError('NETWORK', 'cannot reach down.example'));
    await expect(service.add(input({ registry: 'down.example' }))).rejects.toMatchObject({ code: 'NETWORK' });
    expect((await service.list()).map((e) => e.id)).toEqual([LOCAL_ID, 'public.example:8443']);
  });

  it('tests without saving: the given login, else the saved one, else that the registry answers', async () => {
    await service.test(input({ registry: 'r.io', username: 'me', secret: 'right' }));
    expect(logins.saved.size).toBe(0);
    await expect(service.test(input({ registry: 'r.io', username: 'me', secret: 'nope' }))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await service.test(input({ registry: 'other.example' }));
    expect(reachable).toHaveBeenCalledWith('other.example', {}, expect.any(AbortSignal));
    await service.add(input({ registry: 'r.io', username: 'me', secret: 'right' }));
    logins.test.mockClear();
    await service.test(input({ registry: 'r.io' }));
    expect(logins.test).toHaveBeenCalledWith('r.io', undefined, { signal: expect.any(AbortSignal) });
    await expect(stat(path.join(dir, 'settings.json'))).resolves.toBeDefined();
  });

  it('lists registries that only have a login (docker login) after the saved ones', async () => {
    logins.saved.set('ghcr.io', { registry: 'ghcr.io', username: 'cat', location: 'docker-config', credential: {} });
    await service.add(input({ registry: 'public.example' }));
    const list = await service.list();
    expect(list.map((e) => [e.id, e.location])).toEqual([[LOCAL_ID, undefined], ['public.example', undefined], ['ghcr.io', 'docker-config']]);
  });

  it('updates options and login of a listed registry only', async () => {
    await expect(service.update(input({ registry: 'r.io' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await service.add(input({ registry: 'r.io', username: 'me', secret: 'right' }));
    const updated = await service.update(input({ registry: 'r.io', options: { plainHttp: true } }));
    expect(updated).toMatchObject({ username: 'me', options: { plainHttp: true } });
    await expect(service.update(input({ registry: 'r.io', username: 'me', secret: 'bad' }))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(logins.saved.get('r.io')?.credential.password).toBe('right');
  });

  it('logs out keeping the registry listed as anonymous, and removes it with its login', async () => {
    await service.add(input({ registry: 'r.io', username: 'me', secret: 'right' }));
    const anonymous = await service.logout('r.io');
    expect(anonymous).toEqual({ id: 'r.io', kind: 'remote', label: 'r.io', options: {} });
    expect(logins.saved.size).toBe(0);
    // A registry known only by its login stays listed after logout.
    logins.saved.set('ghcr.io', { registry: 'ghcr.io', username: 'cat', location: 'docker-config', credential: {} });
    expect(await service.logout('ghcr.io')).toMatchObject({ id: 'ghcr.io' });
    await service.remove('r.io');
    expect((await service.list()).map((e) => e.id)).toEqual([LOCAL_ID, 'ghcr.io']);
    await expect(service.remove('r.io')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.logout('never.example')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses the local entry and malformed hosts with clear errors', async () => {
    await expect(service.remove(LOCAL_ID)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(service.add(input({ registry: 'bad_host!' }))).rejects.toMatchObject({ code: 'INVALID_REFERENCE' });
    await expect(service.add(input({ registry: 'r.io:99999' }))).rejects.toMatchObject({ code: 'INVALID_REFERENCE' });
  });

  it('refuses a settings.json it did not write instead of overwriting it', async () => {
    await writeFile(path.join(dir, 'settings.json'), '{"registries": "oops"}');
    await expect(service.list()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('settings.json') });
    await expect(service.add(input({ registry: 'x.example' }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await readFile(path.join(dir, 'settings.json'), 'utf8')).toBe('{"registries": "oops"}');
  });

  it('gives test, add and update a deadline, and says what to check when it passes', async () => {
    const quick = new RegistriesService({
      localLayoutPath: path.join(dir, 'oci-layout'),
      settings: new SettingsStore(dir),
      logins,
      checkDeadlineMs: 50,
      // A host that never answers: only the signal ends the wait.
      reachable: (_registry, _options, signal) =>
        new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new OrasError('ABORTED', 'the operation was cancelled')))),
    });
    const expected = { code: 'NETWORK', message: 'silent.example did not answer within 50 ms: check the host and port' };
    await expect(quick.test(input({ registry: 'silent.example' }))).rejects.toMatchObject(expected);
    await expect(quick.add(input({ registry: 'silent.example' }))).rejects.toMatchObject(expected);
    expect((await quick.list()).map((e) => e.id)).toEqual([LOCAL_ID]);
    // A failure before the deadline stays what it was.
    logins.test.mockRejectedValueOnce(new OrasError('UNAUTHORIZED', 'login to r.io failed'));
    await expect(quick.test(input({ registry: 'r.io', username: 'me', secret: 'x' }))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
