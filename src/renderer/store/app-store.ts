import { createStore, type StoreApi } from 'zustand/vanilla';
import { createServices } from '../services/registries';
import { createBrowseSlice } from './browse-slice';
import { createJobsSlice } from './jobs-slice';
import { createManifestSlice } from './manifest-slice';
import { createPushSlice } from './push-slice';
import { createRegistriesSlice } from './registries-slice';
import type { AppData, AppState, KeyValueStorage, StoreDeps } from './types';
import { createUiSlice } from './ui-slice';

export type AppStore = StoreApi<AppState>;

/** browserStorage is `localStorage` when the page has one (never in unit tests). */
function browserStorage(): KeyValueStorage | undefined {
  try {
    return (globalThis as { localStorage?: KeyValueStorage }).localStorage;
  } catch {
    return undefined;
  }
}

/**
 * createAppStore makes the app's one store from its slices (xyflow's pattern: a store
 * per app instance, so tests start clean). `initial` overrides the slices' starting
 * data; `deps` defaults to services over `window.oras` and `localStorage`. `reset()`
 * returns to the data the store started with.
 */
export function createAppStore(initial: Partial<AppData> = {}, deps: Partial<StoreDeps> = {}): AppStore {
  const full: StoreDeps = {
    services: deps.services ?? createServices(),
    storage: 'storage' in deps ? deps.storage : browserStorage(),
  };
  let start: AppData | undefined;
  const store = createStore<AppState>()((...a) => ({
    ...createRegistriesSlice(full)(...a),
    ...createUiSlice(full)(...a),
    ...createBrowseSlice(full)(...a),
    ...createJobsSlice(full)(...a),
    ...createManifestSlice(full)(...a),
    ...createPushSlice(full)(...a),
    ...initial,
    reset() {
      if (start) a[0](structuredClone(start));
    },
  }));
  start = dataOf(store.getState());
  return store;
}

/** dataOf picks the data (every value that is not an action) of a state, as a copy. */
function dataOf(state: AppState): AppData {
  const data = Object.fromEntries(Object.entries(state).filter(([, value]) => typeof value !== 'function'));
  return structuredClone(data) as AppData;
}
