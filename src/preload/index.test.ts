import { beforeEach, describe, expect, it, vi } from 'vitest';

const exposeInMainWorld = vi.fn();
vi.mock('electron', () => ({ contextBridge: { exposeInMainWorld } }));
vi.stubGlobal('__ORAS_VERSION__', '1.2.3');

describe('preload', () => {
  beforeEach(() => {
    exposeInMainWorld.mockClear();
    vi.resetModules();
  });

  it('exposes exactly one frozen object, window.oras, with the version and no functions', async () => {
    await import('./index');
    expect(exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, api] = exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>];
    expect(key).toBe('oras');
    expect(api).toEqual({ version: '1.2.3' });
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.values(api).some((v) => typeof v === 'function' || typeof v === 'object')).toBe(
      false,
    );
  });
});
