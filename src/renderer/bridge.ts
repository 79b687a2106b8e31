import type { OrasApi } from '../shared/contract';
import { connectBrowserApi, type BrowserBridgeOptions } from '../shared/browser-bridge';
import { WEB_TOKEN_QUERY } from '../shared/web-protocol';

/** PageLike is the part of `window` the bridge reads and writes (a fake in unit tests). */
export interface PageLike {
  oras?: OrasApi;
  location: { protocol: string; origin: string; search: string; pathname: string; hash: string };
  history?: { replaceState(data: unknown, unused: string, url: string): void };
}

/**
 * wantsBrowserBridge says whether the page should reach main over browser mode's
 * loopback server: only when nothing installed `window.oras` (the preload does, in
 * Electron) and the page came over http(s) (Electron serves it from `app://`).
 */
export function wantsBrowserBridge(page: PageLike): boolean {
  return page.oras === undefined && /^https?:$/.test(page.location.protocol);
}

/**
 * installBrowserBridge connects `window.oras` in browser mode. The server turns the
 * printed `?token=…` into an HttpOnly cookie (which the page cannot see), so the probe
 * itself tells whether the token or cookie is there. A token still in the address is
 * passed on as a header and dropped from the address bar and history.
 *
 * Returns undefined when `window.oras` is there (or not wanted), else why it is not.
 */
export async function installBrowserBridge(
  page: PageLike,
  connect: (options: BrowserBridgeOptions) => Promise<OrasApi> = connectBrowserApi,
): Promise<string | undefined> {
  if (!wantsBrowserBridge(page)) return undefined;
  const { location, history } = page;
  const params = new URLSearchParams(location.search);
  const token = params.get(WEB_TOKEN_QUERY) ?? undefined;
  if (token !== undefined) {
    params.delete(WEB_TOKEN_QUERY);
    const query = params.toString();
    history?.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  }
  try {
    const oras = await connect({ baseUrl: location.origin, ...(token ? { token } : {}) });
    Object.defineProperty(page, 'oras', { value: oras, enumerable: true, configurable: false, writable: false });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
