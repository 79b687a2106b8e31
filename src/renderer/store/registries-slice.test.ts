import { beforeEach, describe, expect, it } from 'vitest';
import type { OrasApi } from '../../shared/contract';
import { createServices } from '../services/registries';
import { createFakeOras, type FakeOras } from '../testing/fake-oras';
import { createAppStore, type AppStore } from './app-store';
import { LOCAL_ID } from './types';

/**
 * The registries slice's dialog checks when the user does not wait: a test or save
 * whose answer comes after the dialog was closed or the test cancelled, and errors of
 * one check that must not outlive the next. Answers are held back by gates, so each
 * test decides when main "answers".
 */

const HOST = '127.0.0.1:5000';
const OTHER = 'silent.example:5000';
const login = { registry: HOST, username: 'alice', secret: 's3cret' };

/** Gate holds calls of one method until `open()`. */
interface Gate {
  open(): void;
  opened: Promise<void>;
}

function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

let fake: FakeOras;
let store: AppStore;
/** Gates of the next calls of a method, first in first out; none: answer at once. */
let gates: Partial<Record<keyof OrasApi, Gate[]>>;

/** hold makes the next call of `method` wait for the returned gate. */
function hold(method: keyof OrasApi): Gate {
  const g = gate();
  (gates[method] ??= []).push(g);
  return g;
}

/** settle lets every answer already released reach the store. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(async () => {
  fake = createFakeOras();
  fake.accounts.set(HOST, new Map([['alice', 's3cret']]));
  gates = {};
  const held = <M extends keyof OrasApi>(method: M) =>
    (async (request: unknown) => {
      await gates[method]?.shift()?.opened;
      return (fake.api[method] as (r: unknown) => Promise<unknown>)(request);
    }) as OrasApi[M];
  const api: OrasApi = {
    ...fake.api,
    testRegistry: held('testRegistry'),
    addRegistry: held('addRegistry'),
    updateRegistry: held('updateRegistry'),
  };
  store = createAppStore({}, { services: createServices(() => api), storage: undefined });
  await store.getState().loadRegistries();
});

describe('closing the dialog while a check runs', () => {
  it('frees the reopened dialog at once and ignores the old answer', async () => {
    store.getState().openDialog({ kind: 'add-registry' });
    const answer = hold('testRegistry');
    const testing = store.getState().testRegistry({ registry: OTHER });
    expect(store.getState().pending.test).toBe(OTHER);

    store.getState().closeDialog();
    store.getState().openDialog({ kind: 'add-registry' });
    const fresh = () => {
      const { pending, errors, testedOk } = store.getState();
      return { pending, errors, testedOk };
    };
    expect(fresh()).toEqual({ pending: {}, errors: {}, testedOk: undefined });

    // Two minutes later, main says the old host could not be reached.
    answer.open();
    expect(await testing).toBe(false);
    await settle();
    expect(fresh()).toEqual({ pending: {}, errors: {}, testedOk: undefined });
  });

  it('a late answer does not end a newer test, and a late success is not shown', async () => {
    store.getState().openDialog({ kind: 'add-registry' });
    const first = hold('testRegistry');
    const old = store.getState().testRegistry(login);
    store.getState().closeDialog();
    store.getState().openDialog({ kind: 'add-registry' });
    const second = hold('testRegistry');
    const current = store.getState().testRegistry({ registry: OTHER });

    first.open();
    expect(await old).toBe(false);
    // The newer test is still running, and the old success says nothing.
    expect(store.getState()).toMatchObject({ pending: { test: OTHER }, testedOk: undefined });

    second.open();
    expect(await current).toBe(false);
    expect(store.getState().pending).toEqual({});
    expect(store.getState().errors.test).toMatchObject({ code: 'NETWORK', registry: OTHER });
  });

  it('a save that succeeds after the dialog closed is listed, but selects and opens nothing', async () => {
    store.getState().openDialog({ kind: 'add-registry' });
    const answer = hold('addRegistry');
    const saving = store.getState().addRegistry(login);
    store.getState().closeDialog();
    answer.open();
    expect(await saving).toBeUndefined();
    const s = store.getState();
    expect(s.entries.map((e) => e.id)).toEqual([LOCAL_ID, HOST]); // main saved it: the list says so
    expect(s).toMatchObject({ selectedId: LOCAL_ID, dialog: null });
    expect([s.pending, s.errors]).toEqual([{}, {}]);
  });
});

describe('cancelling a running test', () => {
  it('stops waiting at once, keeps the dialog open, and lets a new test run', async () => {
    store.getState().openDialog({ kind: 'add-registry' });
    const answer = hold('testRegistry');
    const testing = store.getState().testRegistry({ registry: OTHER });
    store.getState().cancelRegistryCheck();
    expect(store.getState().dialog).toEqual({ kind: 'add-registry' });
    expect([store.getState().pending, store.getState().errors]).toEqual([{}, {}]);

    expect(await store.getState().testRegistry(login)).toBe(true);
    expect(store.getState().testedOk).toBe(HOST);
    answer.open();
    expect(await testing).toBe(false);
    // The cancelled test's failure neither shows nor wipes the newer success.
    expect(store.getState().testedOk).toBe(HOST);
    expect([store.getState().pending, store.getState().errors]).toEqual([{}, {}]);
  });
});

describe('one error place for the dialog', () => {
  it('a test after a failed save shows only what the test said', async () => {
    store.getState().openDialog({ kind: 'add-registry' });
    expect(await store.getState().addRegistry({ ...login, secret: 'wrong' })).toBeUndefined();
    expect(store.getState().errors.add).toMatchObject({ code: 'UNAUTHORIZED' });

    expect(await store.getState().testRegistry(login)).toBe(true);
    expect(store.getState().errors).toEqual({});
    expect(store.getState().testedOk).toBe(HOST);

    // And the other way round: a save after a failed test.
    expect(await store.getState().testRegistry({ registry: OTHER })).toBe(false);
    expect(store.getState().errors.test).toBeDefined();
    await store.getState().addRegistry({ ...login, secret: 'wrong' });
    expect(Object.keys(store.getState().errors)).toEqual(['add']);
  });
});

describe('log out', () => {
  it('keeps the row where it was', async () => {
    const third = 'third.example';
    fake.accounts.set(third, new Map([['carol', 'pw']]));
    await store.getState().addRegistry(login);
    await store.getState().addRegistry({ registry: third, username: 'carol', secret: 'pw' });
    expect(store.getState().entries.map((e) => e.id)).toEqual([LOCAL_ID, HOST, third]);
    expect(await store.getState().logoutRegistry(HOST)).toBe(true);
    expect(store.getState().entries.map((e) => e.id)).toEqual([LOCAL_ID, HOST, third]);
    expect(store.getState().entries[1]?.username).toBeUndefined();
  });
});
