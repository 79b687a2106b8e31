import { describe, expect, it } from 'vitest';
import type { KeyValueStorage } from '../store/types';
import { historyStep } from './history-keys';
import { DEFAULT_ROUTE, LAST_ROUTE_KEY, lastRoute, rememberRoute, resolveRoute } from './route-memory';
import { titleOf } from './titles';

function memoryStorage(): KeyValueStorage & { data: Record<string, string> } {
  const data: Record<string, string> = {};
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe('route memory', () => {
  it('sends home to the local layout on a first start', () => {
    expect(resolveRoute('', memoryStorage())).toEqual({ route: DEFAULT_ROUTE, redirect: '#/r/local' });
    expect(resolveRoute('#/nonsense', undefined).route).toEqual(DEFAULT_ROUTE);
  });

  it('sends home to the last view shown, across a restart', () => {
    const storage = memoryStorage();
    rememberRoute(storage, { name: 'tags', registry: '127.0.0.1:5000', repository: 'team/app' });
    rememberRoute(storage, { name: 'home' });
    expect(storage.data[LAST_ROUTE_KEY]).toBe('#/r/127.0.0.1:5000/team/app');
    expect(resolveRoute('#/', storage)).toEqual({
      route: { name: 'tags', registry: '127.0.0.1:5000', repository: 'team/app' },
      redirect: '#/r/127.0.0.1:5000/team/app',
    });
  });

  it('shows a linked view as it is, without redirect', () => {
    const storage = memoryStorage();
    rememberRoute(storage, { name: 'repositories', registry: 'x.io' });
    expect(resolveRoute('#/r/local/a:v1', storage)).toEqual({ route: { name: 'manifest', registry: 'local', repository: 'a', tag: 'v1' } });
  });

  it('survives broken storage', () => {
    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(() => rememberRoute(broken, DEFAULT_ROUTE)).not.toThrow();
    expect(lastRoute(broken)).toEqual(DEFAULT_ROUTE);
    const junk = memoryStorage();
    junk.data[LAST_ROUTE_KEY] = 'garbage';
    expect(lastRoute(junk)).toEqual(DEFAULT_ROUTE);
  });
});

describe('historyStep', () => {
  it('reads Alt+arrows and the mouse side buttons', () => {
    expect(historyStep({ type: 'keydown', key: 'ArrowLeft', altKey: true })).toBe(-1);
    expect(historyStep({ type: 'keydown', key: 'ArrowRight', altKey: true })).toBe(1);
    expect(historyStep({ type: 'mouseup', button: 3 })).toBe(-1);
    expect(historyStep({ type: 'mouseup', button: 4 })).toBe(1);
  });

  it('ignores plain arrows, other modifiers, other buttons and text fields', () => {
    expect(historyStep({ type: 'keydown', key: 'ArrowLeft' })).toBeUndefined();
    expect(historyStep({ type: 'keydown', key: 'ArrowLeft', altKey: true, shiftKey: true })).toBeUndefined();
    expect(historyStep({ type: 'mouseup', button: 0 })).toBeUndefined();
    expect(historyStep({ type: 'keydown', key: 'ArrowLeft', altKey: true, target: { tagName: 'INPUT' } })).toBeUndefined();
  });
});

describe('titleOf', () => {
  it('says where you are, most specific first', () => {
    expect(titleOf({ name: 'repositories', registry: 'local' })).toBe('Local OCI layout — ORAS Desktop');
    expect(titleOf({ name: 'tags', registry: 'h:5000', repository: 'team/app' })).toBe('team/app — h:5000 — ORAS Desktop');
    expect(titleOf({ name: 'manifest', registry: 'h', repository: 'a', tag: 'v1' })).toBe('a:v1 — h — ORAS Desktop');
    expect(titleOf({ name: 'blob', registry: 'h', repository: 'a', digest: `sha256:${'f'.repeat(64)}` })).toBe(`Blob sha256:${'f'.repeat(12)} — a — ORAS Desktop`);
  });
});
