import { beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../services/registries';
import { createFakeOras, type FakeOras } from '../testing/fake-oras';
import { createAppStore, type AppStore } from './app-store';
import { BOOKMARKS_KEY, CACHED_REPOSITORIES, RECENTS_KEY, RECENTS_MAX, readLists } from './browse-slice';
import type { KeyValueStorage } from './types';

function memoryStorage(seed: Record<string, string> = {}): KeyValueStorage & { data: Record<string, string> } {
  const data = { ...seed };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe('browse slice', () => {
  let fake: FakeOras;
  let storage: ReturnType<typeof memoryStorage>;
  let store: AppStore;

  beforeEach(() => {
    fake = createFakeOras();
    fake.putTags('local', 'team/app', { v1: { digest: 'sha256:1' }, latest: { digest: 'sha256:1' }, v2: { digest: 'sha256:2' } });
    storage = memoryStorage();
    store = createAppStore({}, { services: createServices(() => fake.api), storage });
  });

  it('answers a tags page once, then from memory', async () => {
    const request = { registry: 'local', repository: 'team/app', pageSize: 2 };
    const first = await store.getState().listTags(request);
    expect(first).toEqual({ tags: ['latest', 'v1'], next: 'v1' });
    expect(await store.getState().listTags(request)).toBe(first);
    expect(await store.getState().listTags({ ...request, last: 'v1' })).toEqual({ tags: ['v2'] });
    expect(fake.calls.filter((c) => c.method === 'listTags')).toHaveLength(2);
  });

  it('asks only for the details it lacks, and forgets them on refresh', async () => {
    const ref = { registry: 'local', repository: 'team/app' };
    await store.getState().tagDetails({ ...ref, tags: ['v1'] });
    const both = await store.getState().tagDetails({ ...ref, tags: ['v1', 'v2'] });
    expect(both.map((d) => d.digest)).toEqual(['sha256:1', 'sha256:2']);
    const asked = fake.calls.filter((c) => c.method === 'tagDetails').map((c) => (c.request as { tags: string[] }).tags);
    expect(asked).toEqual([['v1'], ['v2']]);
    expect([...store.getState().cachedTagDetails('local', 'team/app').keys()]).toEqual(['v1', 'v2']);
    store.getState().forgetRepository('local', 'team/app');
    expect(store.getState().cachedTagDetails('local', 'team/app').size).toBe(0);
  });

  it('does not keep a detail that failed', async () => {
    const ref = { registry: 'local', repository: 'team/app' };
    const [missing] = await store.getState().tagDetails({ ...ref, tags: ['gone'] });
    expect(missing?.error?.code).toBe('NOT_FOUND');
    expect(store.getState().cachedTagDetails('local', 'team/app').has('gone')).toBe(false);
  });

  it('keeps only the last few repositories', async () => {
    for (let i = 0; i <= CACHED_REPOSITORIES; i++) {
      fake.putTags('local', `r${i}`, { t: { digest: `sha256:${i}` } });
      await store.getState().tagDetails({ registry: 'local', repository: `r${i}`, tags: ['t'] });
    }
    expect(store.getState().cachedTagDetails('local', 'r0').size).toBe(0);
    expect(store.getState().cachedTagDetails('local', `r${CACHED_REPOSITORIES}`).size).toBe(1);
  });

  it('throws the service error for a view to show', async () => {
    fake.failNext('listRepositories', { code: 'UNAUTHORIZED', message: 'log in first' });
    await expect(store.getState().listRepositories({ registry: 'local' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('toggles bookmarks per registry and keeps them', () => {
    store.getState().toggleBookmark('local', 'b');
    store.getState().toggleBookmark('local', 'a');
    store.getState().toggleBookmark('h:5000', 'x');
    expect(store.getState().bookmarks).toEqual({ local: ['a', 'b'], 'h:5000': ['x'] });
    store.getState().toggleBookmark('h:5000', 'x');
    expect(readLists(storage, BOOKMARKS_KEY)).toEqual({ local: ['a', 'b'] });
    const again = createAppStore({}, { services: createServices(() => fake.api), storage });
    expect(again.getState().bookmarks).toEqual({ local: ['a', 'b'] });
  });

  it('keeps recently opened repositories newest first, at most RECENTS_MAX', () => {
    for (let i = 0; i < RECENTS_MAX + 2; i++) store.getState().noteRecent('local', `r${i}`);
    store.getState().noteRecent('local', 'r5');
    const recents = store.getState().recents['local']!;
    expect(recents).toHaveLength(RECENTS_MAX);
    expect(recents.slice(0, 2)).toEqual(['r5', `r${RECENTS_MAX + 1}`]);
    expect(readLists(storage, RECENTS_KEY)['local']).toEqual(recents);
  });

  it('reads damaged storage as empty lists', () => {
    expect(readLists(memoryStorage({ k: 'not json' }), 'k')).toEqual({});
    expect(readLists(memoryStorage({ k: '[1]' }), 'k')).toEqual({});
    expect(readLists(memoryStorage({ k: '{"a":["x",2],"b":3}' }), 'k')).toEqual({ a: ['x'] });
  });
});
