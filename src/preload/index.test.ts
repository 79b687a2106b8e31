import { beforeEach, describe, expect, it, vi } from 'vitest';
import { eventNames, ipcChannel, methods } from '../shared/contract';

const exposeInMainWorld = vi.fn();
const invoke = vi.fn(async (channel: string, request: unknown) => ({ ok: true, value: { channel, request } }));
const on = vi.fn();
const removeListener = vi.fn();
const getPathForFile = vi.fn((file: { name: string; path?: string }) => file.path ?? '');
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld },
  ipcRenderer: { invoke, on, removeListener, send: vi.fn(), sendSync: vi.fn() },
  webUtils: { getPathForFile },
}));
vi.stubGlobal('__ORAS_VERSION__', '1.2.3');

async function exposed(): Promise<Record<string, unknown>> {
  await import('./index');
  expect(exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [key, api] = exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>];
  expect(key).toBe('oras');
  return api;
}

describe('preload', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    vi.resetModules();
  });

  it('exposes exactly one frozen object, window.oras: the contract methods, version and on', async () => {
    const api = await exposed();
    expect(Object.keys(api).sort()).toEqual([...Object.keys(methods), 'on', 'version'].sort());
    expect(api['version']).toBe('1.2.3');
    expect(Object.isFrozen(api)).toBe(true);
    for (const key of Object.keys(api)) {
      if (key !== 'version') expect(typeof api[key], key).toBe('function');
    }
    // Nothing of Electron leaks: no object values at all.
    expect(Object.values(api).some((v) => typeof v === 'object' && v !== null)).toBe(false);
  });

  it('sends each method to its own prefixed channel and returns the answer as is', async () => {
    const api = await exposed();
    for (const [method, channel] of Object.entries(methods)) {
      if (method === 'stageFiles') continue;
      const answer = await (api[method] as (r: unknown) => Promise<unknown>)({ registry: 'r.io' });
      expect(answer).toEqual({ ok: true, value: { channel: ipcChannel(channel), request: { registry: 'r.io' } } });
    }
  });

  it('answers INTERNAL instead of throwing when main does not answer', async () => {
    const api = await exposed();
    invoke.mockRejectedValueOnce(new Error("Error invoking remote method 'oras:app.info': No handler registered"));
    expect(await (api['appInfo'] as () => Promise<unknown>)()).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('stages dropped files by their paths, and refuses files the page made itself', async () => {
    const api = await exposed();
    const stage = api['stageFiles'] as (files: unknown[]) => Promise<unknown>;
    const dropped = [{ name: 'a.txt', path: '/home/me/a.txt' }, { name: 'dir', path: '/home/me/dir' }];
    expect(await stage(dropped)).toEqual({
      ok: true,
      value: { channel: 'oras:files.stage', request: { paths: ['/home/me/a.txt', '/home/me/dir'] } },
    });
    invoke.mockClear();
    const made = await stage([{ name: 'made-up.txt' }]);
    expect(made).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('subscribes to known events only, hands the listener the payload alone, and unsubscribes', async () => {
    const api = await exposed();
    const subscribe = api['on'] as (event: string, listener: (payload: unknown) => void) => () => void;
    const listener = vi.fn();
    const off = subscribe('job.progress', listener);
    expect(on).toHaveBeenCalledWith('oras:job.progress', expect.any(Function));
    const wrapped = on.mock.calls[0]![1] as (event: unknown, payload: unknown) => void;
    wrapped({ sender: 'ipcRenderer' }, { jobId: 'j', bytes: 1, total: 2 });
    expect(listener).toHaveBeenCalledWith({ jobId: 'j', bytes: 1, total: 2 });
    expect(listener.mock.calls[0]).toHaveLength(1);
    off();
    expect(removeListener).toHaveBeenCalledWith('oras:job.progress', wrapped);
    expect(() => subscribe('registries.add', listener)).toThrow(/unknown event/);
    expect(() => subscribe('job.state', 'not a function' as never)).toThrow(/function/);
    expect(eventNames.length).toBeGreaterThan(0);
  });
});
