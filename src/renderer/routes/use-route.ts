import { useEffect, useState } from 'react';
import type { KeyValueStorage } from '../store/types';
import { historyStep } from './history-keys';
import { rememberRoute, resolveRoute } from './route-memory';
import { href, sameRoute, type Route } from './routes';

/** listeners are the mounted useRoute hooks, told at once when `navigate` changes the hash. */
const listeners = new Set<() => void>();

/** pageStorage is `localStorage` when the page has one. */
function pageStorage(): KeyValueStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * useRoute is the current view, read from `location.hash` and kept in step with it
 * (`hashchange`): the route is the view's whole state, so back, forward, reload and a
 * pasted link agree. An empty hash is replaced by the last view (or the local layout);
 * every view shown is remembered for the next start.
 */
export function useRoute(storage: KeyValueStorage | undefined = pageStorage()): Route {
  const read = () => {
    const { route, redirect } = resolveRoute(location.hash, storage);
    if (redirect) history.replaceState(null, '', redirect);
    return route;
  };
  const [route, setRoute] = useState<Route>(read);
  useEffect(() => {
    const onChange = () => {
      const next = read();
      setRoute((current) => (sameRoute(current, next) ? current : next));
    };
    window.addEventListener('hashchange', onChange);
    listeners.add(onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
      listeners.delete(onChange);
    };
    // read closes over storage only, which is fixed for the page's life
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => rememberRoute(storage, route), [route, storage]);
  return route;
}

/**
 * navigate opens a view: a new history entry, so back returns here. The view changes
 * within the click that asked (not a task later, when `hashchange` fires), so what a
 * click shows is there when the click is done.
 */
export function navigate(route: Route): void {
  const next = href(route);
  if (location.hash === next) return;
  location.hash = next;
  for (const listener of listeners) listener();
}

/**
 * useHistoryKeys makes Alt+←/→ and the mouse's back and forward buttons walk history
 * in Electron, as they do in a browser. In a browser the browser already acts on them,
 * so the app only listens where `electron` is true (or the mouse buttons are not
 * handled by the page).
 */
export function useHistoryKeys(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onEvent = (event: KeyboardEvent | MouseEvent) => {
      const step = historyStep({
        type: event.type,
        key: 'key' in event ? event.key : undefined,
        altKey: event.altKey,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        shiftKey: event.shiftKey,
        button: 'button' in event ? event.button : undefined,
        target: event.target,
      });
      if (!step) return;
      event.preventDefault();
      history.go(step);
    };
    window.addEventListener('keydown', onEvent);
    window.addEventListener('mouseup', onEvent);
    return () => {
      window.removeEventListener('keydown', onEvent);
      window.removeEventListener('mouseup', onEvent);
    };
  }, [enabled]);
}
