import type { KeyValueStorage } from '../store/types';
import { href, parseRoute, type Route } from './routes';

/** LAST_ROUTE_KEY is where the last view is kept, so a reload or a restart lands there. */
export const LAST_ROUTE_KEY = 'oras.lastRoute';

/** DEFAULT_ROUTE is where a first start lands: the local OCI layout's repositories. */
export const DEFAULT_ROUTE: Route = { name: 'repositories', registry: 'local' };

/** rememberRoute keeps a view (never `home`, which only redirects). */
export function rememberRoute(storage: KeyValueStorage | undefined, route: Route): void {
  if (route.name === 'home') return;
  try {
    storage?.setItem(LAST_ROUTE_KEY, href(route));
  } catch {
    // Storage full or disabled: a restart lands on the default view.
  }
}

/** lastRoute is the view kept by rememberRoute, else DEFAULT_ROUTE. */
export function lastRoute(storage: KeyValueStorage | undefined): Route {
  try {
    const saved = storage?.getItem(LAST_ROUTE_KEY);
    const route = saved ? parseRoute(saved) : undefined;
    return route && route.name !== 'home' ? route : DEFAULT_ROUTE;
  } catch {
    return DEFAULT_ROUTE;
  }
}

/**
 * resolveRoute reads the page's hash into the view to show: `home` (an empty or
 * unreadable hash) becomes the last view, so the app opens where it was left.
 * `redirect` is set when the address should be replaced to say so.
 */
export function resolveRoute(hash: string, storage: KeyValueStorage | undefined): { route: Route; redirect?: string } {
  const route = parseRoute(hash);
  if (route.name !== 'home') return { route };
  const last = lastRoute(storage);
  return { route: last, redirect: href(last) };
}
