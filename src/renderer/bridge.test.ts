import { describe, expect, it, vi } from 'vitest';
import type { OrasApi } from '../shared/contract';
import { installBrowserBridge, wantsBrowserBridge, type PageLike } from './bridge';
import { createFakeOras } from './testing/fake-oras';

function page(href: string, oras?: OrasApi): PageLike & { replaced: string[] } {
  const url = new URL(href);
  const replaced: string[] = [];
  return {
    ...(oras ? { oras } : {}),
    location: { protocol: url.protocol, origin: url.origin, search: url.search, pathname: url.pathname, hash: url.hash },
    history: { replaceState: (_d, _u, to) => void replaced.push(to) },
    replaced,
  };
}

describe('browser bridge', () => {
  it('is wanted only over http(s) and only without window.oras', () => {
    expect(wantsBrowserBridge(page('http://127.0.0.1:8080/'))).toBe(true);
    expect(wantsBrowserBridge(page('app://oras/index.html'))).toBe(false);
    expect(wantsBrowserBridge(page('file:///x/index.html'))).toBe(false);
    expect(wantsBrowserBridge(page('http://127.0.0.1:8080/', createFakeOras().api))).toBe(false);
  });

  it('connects with the cookie alone and installs a read-only window.oras', async () => {
    const api = createFakeOras().api;
    const connect = vi.fn(async () => api);
    const p = page('http://127.0.0.1:8080/');
    expect(await installBrowserBridge(p, connect)).toBeUndefined();
    expect(connect).toHaveBeenCalledWith({ baseUrl: 'http://127.0.0.1:8080' });
    expect(p.oras).toBe(api);
    expect(() => {
      (p as { oras?: unknown }).oras = undefined;
    }).toThrow();
    expect(p.replaced).toEqual([]);
  });

  it('passes a token from the address on and drops it from the address bar', async () => {
    const connect = vi.fn(async () => createFakeOras().api);
    const p = page('http://127.0.0.1:8080/?token=abc&x=1#top');
    await installBrowserBridge(p, connect);
    expect(connect).toHaveBeenCalledWith({ baseUrl: 'http://127.0.0.1:8080', token: 'abc' });
    expect(p.replaced).toEqual(['/?x=1#top']);
  });

  it('says why it could not connect, and installs nothing', async () => {
    const p = page('http://127.0.0.1:8080/');
    const problem = await installBrowserBridge(p, async () => {
      throw new Error('this browser-mode server needs its token');
    });
    expect(problem).toBe('this browser-mode server needs its token');
    expect(p.oras).toBeUndefined();
  });

  it('leaves an installed window.oras alone', async () => {
    const api = createFakeOras().api;
    const connect = vi.fn();
    const p = page('http://127.0.0.1:8080/', api);
    expect(await installBrowserBridge(p, connect)).toBeUndefined();
    expect(connect).not.toHaveBeenCalled();
    expect(p.oras).toBe(api);
  });
});
