import { beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../services/registries';
import { createFakeOras, type FakeOras } from '../testing/fake-oras';
import { createAppStore, type AppStore } from './app-store';
import { LOCAL_ID, type KeyValueStorage } from './types';
import { THEME_KEY } from './ui-slice';

const HOST = '127.0.0.1:5000';
const login = { registry: HOST, username: 'alice', secret: 's3cret', options: { plainHttp: true } };

function memoryStorage(seed: Record<string, string> = {}): KeyValueStorage & { data: Record<string, string> } {
  const data = { ...seed };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe('registries slice', () => {
  let fake: FakeOras;
  let store: AppStore;

  beforeEach(() => {
    fake = createFakeOras();
    fake.accounts.set(HOST, new Map([['alice', 's3cret']]));
    store = createAppStore({}, { services: createServices(() => fake.api), storage: memoryStorage() });
  });

  it('loads the list, flagging loading while it runs', async () => {
    const loading = store.getState().loadRegistries();
    expect(store.getState()).toMatchObject({ loading: true, pending: { list: '' } });
    await loading;
    expect(store.getState()).toMatchObject({ loading: false, pending: {}, errors: {}, selectedId: LOCAL_ID });
    expect(store.getState().entries.map((e) => e.id)).toEqual([LOCAL_ID]);
  });

  it('keeps a failed load as the list error, and clears it on retry', async () => {
    fake.failNext('listRegistries', { code: 'INTERNAL', message: 'settings file is damaged' });
    await store.getState().loadRegistries();
    expect(store.getState().errors.list).toEqual({ code: 'INTERNAL', message: 'settings file is damaged' });
    expect(store.getState().loading).toBe(false);
    await store.getState().loadRegistries();
    expect(store.getState().errors.list).toBeUndefined();
  });

  it('adds a login: lists it, selects it and closes the dialog', async () => {
    await store.getState().loadRegistries();
    store.getState().openDialog({ kind: 'add-registry' });
    const entry = await store.getState().addRegistry(login);
    expect(entry?.id).toBe(HOST);
    const s = store.getState();
    expect(s.entries.map((e) => e.id)).toEqual([LOCAL_ID, HOST]);
    expect(s).toMatchObject({ selectedId: HOST, dialog: null, errors: {}, pending: {} });
  });

  it('a wrong password keeps the dialog open with the error and saves nothing', async () => {
    await store.getState().loadRegistries();
    store.getState().openDialog({ kind: 'add-registry' });
    expect(await store.getState().addRegistry({ ...login, secret: 'wrong' })).toBeUndefined();
    const s = store.getState();
    expect(s.errors.add).toMatchObject({ code: 'UNAUTHORIZED', registry: HOST });
    expect(s.dialog).toEqual({ kind: 'add-registry' });
    expect(s.entries.map((e) => e.id)).toEqual([LOCAL_ID]);
    expect(fake.saved().map((e) => e.id)).toEqual([LOCAL_ID]);
  });

  it('tests a connection without saving, and remembers which registry passed', async () => {
    expect(await store.getState().testRegistry({ ...login, registry: ` ${HOST} ` })).toBe(true);
    expect(store.getState().testedOk).toBe(HOST);
    expect(fake.saved()).toHaveLength(1);
    expect(await store.getState().testRegistry({ ...login, secret: 'nope' })).toBe(false);
    expect(store.getState()).toMatchObject({ testedOk: undefined, errors: { test: { code: 'UNAUTHORIZED' } } });
    store.getState().clearRegistryErrors('test');
    expect(store.getState().errors.test).toBeUndefined();
  });

  it('updates a saved login in place', async () => {
    await store.getState().loadRegistries();
    await store.getState().addRegistry(login);
    fake.accounts.get(HOST)?.set('bob', 'pw');
    store.getState().openDialog({ kind: 'edit-registry', id: HOST });
    await store.getState().updateRegistry({ registry: HOST, username: 'bob', secret: 'pw' });
    expect(store.getState().entries.find((e) => e.id === HOST)?.username).toBe('bob');
    expect(store.getState().entries).toHaveLength(2);
    expect(store.getState().dialog).toBeNull();
  });

  it('logs out, keeping the registry as anonymous; a failure is kept with its registry', async () => {
    await store.getState().loadRegistries();
    await store.getState().addRegistry(login);
    expect(await store.getState().logoutRegistry(HOST)).toBe(true);
    const entry = store.getState().entries.find((e) => e.id === HOST);
    expect(entry).toBeDefined();
    expect(entry?.username).toBeUndefined();

    fake.failNext('logoutRegistry', { code: 'INTERNAL', message: 'keychain is locked' });
    expect(await store.getState().logoutRegistry(HOST)).toBe(false);
    expect(store.getState().errors.logout).toEqual({ code: 'INTERNAL', message: 'keychain is locked', registry: HOST });
  });

  it('removes a registry, selecting the local layout again', async () => {
    await store.getState().loadRegistries();
    await store.getState().addRegistry(login);
    store.getState().openDialog({ kind: 'remove-registry', id: HOST });
    expect(await store.getState().removeRegistry(HOST)).toBe(true);
    expect(store.getState()).toMatchObject({ selectedId: LOCAL_ID, dialog: null });
    expect(store.getState().entries.map((e) => e.id)).toEqual([LOCAL_ID]);
  });

  it('keeps a failed remove in the open confirm dialog', async () => {
    await store.getState().addRegistry(login);
    store.getState().openDialog({ kind: 'remove-registry', id: HOST });
    fake.rejectNext('removeRegistry', new Error('socket hang up'));
    expect(await store.getState().removeRegistry(HOST)).toBe(false);
    expect(store.getState().errors.remove).toMatchObject({ code: 'NETWORK', registry: HOST });
    expect(store.getState().dialog).toEqual({ kind: 'remove-registry', id: HOST });
    expect(store.getState().entries.map((e) => e.id)).toContain(HOST);
    // Opening the dialog again starts without the old error.
    store.getState().closeDialog();
    store.getState().openDialog({ kind: 'remove-registry', id: HOST });
    expect(store.getState().errors.remove).toBeUndefined();
  });

  it('keeps errors of different actions apart', async () => {
    fake.failNext('listRegistries', { code: 'INTERNAL', message: 'list broke' });
    await store.getState().loadRegistries();
    await store.getState().addRegistry({ ...login, secret: 'bad' });
    expect(Object.keys(store.getState().errors).sort()).toEqual(['add', 'list']);
    store.getState().openDialog({ kind: 'add-registry' });
    expect(Object.keys(store.getState().errors)).toEqual(['list']);
  });

  it('a reload drops a selection that no longer exists', async () => {
    await store.getState().addRegistry(login);
    expect(store.getState().selectedId).toBe(HOST);
    await fake.api.removeRegistry({ registry: HOST });
    await store.getState().loadRegistries();
    expect(store.getState().selectedId).toBe(LOCAL_ID);
  });
});

describe('ui slice', () => {
  const services = createServices(() => createFakeOras().api);

  it('starts from the saved theme, or system', () => {
    expect(createAppStore({}, { services, storage: memoryStorage({ [THEME_KEY]: 'dark' }) }).getState().theme).toBe('dark');
    expect(createAppStore({}, { services, storage: memoryStorage({ [THEME_KEY]: 'purple' }) }).getState().theme).toBe('system');
    expect(createAppStore({}, { services, storage: undefined }).getState().theme).toBe('system');
  });

  it('persists the theme and ignores unknown ones', () => {
    const storage = memoryStorage();
    const store = createAppStore({}, { services, storage });
    store.getState().setTheme('light');
    expect(store.getState().theme).toBe('light');
    expect(storage.data[THEME_KEY]).toBe('light');
    store.getState().setTheme('neon' as never);
    expect(store.getState().theme).toBe('light');
  });

  it('survives storage that throws', () => {
    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const store = createAppStore({}, { services, storage: broken });
    expect(store.getState().theme).toBe('system');
    store.getState().setTheme('dark');
    expect(store.getState().theme).toBe('dark');
  });

  it('loads what main says about itself, and shrugs off a failure', async () => {
    const fake = createFakeOras();
    const store = createAppStore({}, { services: createServices(() => fake.api), storage: undefined });
    fake.failNext('appInfo', { code: 'INTERNAL', message: 'no' });
    await store.getState().loadAppInfo();
    expect(store.getState().appInfo).toBeNull();
    await store.getState().loadAppInfo();
    expect(store.getState().appInfo).toMatchObject({ mode: 'browser', version: '0.0.0-fake' });
  });

  it('opens and closes one dialog at a time', () => {
    const store = createAppStore({}, { services, storage: undefined });
    store.getState().openDialog({ kind: 'add-registry' });
    store.getState().openDialog({ kind: 'remove-registry', id: 'x' });
    expect(store.getState().dialog).toEqual({ kind: 'remove-registry', id: 'x' });
    store.getState().closeDialog();
    expect(store.getState().dialog).toBeNull();
  });
});

describe('createAppStore', () => {
  it('takes initial data and reset() returns to it', async () => {
    const fake = createFakeOras();
    const store = createAppStore(
      { theme: 'dark', selectedId: 'r.example' },
      { services: createServices(() => fake.api), storage: memoryStorage() },
    );
    expect(store.getState()).toMatchObject({ theme: 'dark', selectedId: 'r.example', entries: [] });
    await store.getState().loadRegistries();
    store.getState().setTheme('light');
    store.getState().openDialog({ kind: 'add-registry' });
    store.getState().reset();
    expect(store.getState()).toMatchObject({
      theme: 'dark',
      selectedId: 'r.example',
      entries: [],
      dialog: null,
      errors: {},
      pending: {},
      loading: false,
    });
    expect(typeof store.getState().loadRegistries).toBe('function');
  });

  it('gives each store its own state', async () => {
    const fake = createFakeOras();
    const deps = { services: createServices(() => fake.api), storage: undefined };
    const a = createAppStore({}, deps);
    const b = createAppStore({}, deps);
    await a.getState().loadRegistries();
    expect(a.getState().entries).toHaveLength(1);
    expect(b.getState().entries).toHaveLength(0);
  });
});
