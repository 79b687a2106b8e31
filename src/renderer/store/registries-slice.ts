import type { AddRegistryRequest, RegistryEntry } from '../../shared/contract';
import { toServiceError } from '../services/oras';
import {
  LOCAL_ID,
  type ActionError,
  type AppState,
  type RegistriesData,
  type RegistriesSlice,
  type RegistryAction,
  type SliceCreator,
} from './types';

export const initialRegistriesData = (): RegistriesData => ({
  entries: [],
  loading: false,
  pending: {},
  errors: {},
  testedOk: undefined,
  selectedId: LOCAL_ID,
});

/** hostOf is the registry a request is about, as the user typed it (trimmed). */
const hostOf = (request: AddRegistryRequest): string => request.registry.trim();

/** upsert puts an entry in place of the one with its id, or at the end. */
export function upsert(entries: RegistryEntry[], entry: RegistryEntry): RegistryEntry[] {
  const at = entries.findIndex((e) => e.id === entry.id);
  if (at < 0) return [...entries, entry];
  return entries.map((e, i) => (i === at ? entry : e));
}

const without = <K extends string, V>(record: Partial<Record<K, V>>, ...keys: K[]): Partial<Record<K, V>> => {
  const copy = { ...record };
  for (const key of keys) delete copy[key];
  return copy;
};

/**
 * createRegistriesSlice: the sidebar's registries and one progress flag and one error
 * per action. Actions never throw: a failure lands in `errors[action]`, where the
 * component that started it shows it.
 */
export const createRegistriesSlice: SliceCreator<RegistriesSlice> = ({ services }) => (set, get) => {
  /** run wraps an action: marks it pending, clears its old error, stores a new one. */
  async function run<T>(action: RegistryAction, registry: string, work: () => Promise<T>): Promise<T | undefined> {
    set((s) => ({ pending: { ...s.pending, [action]: registry }, errors: without(s.errors, action) }));
    try {
      return await work();
    } catch (error) {
      const { code, message } = toServiceError(error);
      const failure: ActionError = registry ? { code, message, registry } : { code, message };
      set((s) => ({ errors: { ...s.errors, [action]: failure } }));
      return undefined;
    } finally {
      set((s) => ({ pending: without(s.pending, action) }));
    }
  }

  const ensureSelection = (s: AppState, entries: RegistryEntry[]): string =>
    entries.some((e) => e.id === s.selectedId) ? s.selectedId : LOCAL_ID;

  return {
    ...initialRegistriesData(),

    async loadRegistries() {
      set({ loading: true });
      try {
        await run('list', '', async () => {
          const entries = await services.registries.list();
          set((s) => ({ entries, selectedId: ensureSelection(s, entries) }));
        });
      } finally {
        set({ loading: false });
      }
    },

    async testRegistry(request) {
      const registry = hostOf(request);
      set({ testedOk: undefined });
      const ok = await run('test', registry, async () => {
        await services.registries.test(request);
        return true;
      });
      if (ok) set({ testedOk: registry });
      return ok === true;
    },

    async addRegistry(request) {
      set({ testedOk: undefined });
      const entry = await run('add', hostOf(request), () => services.registries.add(request));
      if (entry) {
        set((s) => ({ entries: upsert(s.entries, entry), selectedId: entry.id }));
        get().closeDialog();
      }
      return entry;
    },

    async updateRegistry(request) {
      set({ testedOk: undefined });
      const entry = await run('update', hostOf(request), () => services.registries.update(request));
      if (entry) {
        set((s) => ({ entries: upsert(s.entries, entry), selectedId: entry.id }));
        get().closeDialog();
      }
      return entry;
    },

    async logoutRegistry(id) {
      const entry = await run('logout', id, () => services.registries.logout(id));
      if (entry) set((s) => ({ entries: upsert(s.entries.filter((e) => e.id !== id), entry) }));
      return entry !== undefined;
    },

    async removeRegistry(id) {
      const done = await run('remove', id, async () => {
        await services.registries.remove(id);
        return true;
      });
      if (done) {
        set((s) => {
          const entries = s.entries.filter((e) => e.id !== id);
          return { entries, selectedId: ensureSelection(s, entries) };
        });
        get().closeDialog();
      }
      return done === true;
    },

    selectRegistry(id) {
      set({ selectedId: id });
    },

    clearRegistryErrors(...actions) {
      set((s) => ({
        errors: actions.length === 0 ? {} : without(s.errors, ...actions),
        testedOk: undefined,
      }));
    },
  };
};
