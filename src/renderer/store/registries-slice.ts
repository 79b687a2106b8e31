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
  checkId: 0,
  selectedId: LOCAL_ID,
});

/**
 * DIALOG_ACTIONS are the checks the Add / Edit dialog starts. They share one error
 * place in the dialog, so starting one forgets what any of them said before (else a
 * new test would show under a stale "Login refused" from Save).
 */
const DIALOG_ACTIONS: readonly RegistryAction[] = ['test', 'add', 'update'];

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
  /**
   * run wraps an action: marks it pending, clears its old error, stores a new one. A
   * dialog check (`check` is its generation) clears the other checks' errors too, and
   * once cancelled leaves the state alone: its pending flag and error belong to a
   * dialog that is gone. The value is returned either way; callers ask `isCurrent`.
   */
  async function run<T>(action: RegistryAction, registry: string, work: () => Promise<T>, check?: number): Promise<T | undefined> {
    const current = () => check === undefined || isCurrent(check);
    const cleared: RegistryAction[] = check === undefined ? [action] : [...DIALOG_ACTIONS];
    set((s) => ({ pending: { ...s.pending, [action]: registry }, errors: without(s.errors, ...cleared) }));
    try {
      return await work();
    } catch (error) {
      const { code, message } = toServiceError(error);
      const failure: ActionError = registry ? { code, message, registry } : { code, message };
      if (current()) set((s) => ({ errors: { ...s.errors, [action]: failure } }));
      return undefined;
    } finally {
      if (current()) set((s) => ({ pending: without(s.pending, action) }));
    }
  }

  /** isCurrent says whether a dialog check of generation `check` is still awaited. */
  const isCurrent = (check: number): boolean => get().checkId === check;

  /**
   * save runs add or update. A save the user stopped waiting for may still have
   * succeeded in main: its entry is listed (main has it), but nothing is selected or
   * closed, since the user has moved on.
   */
  async function save(action: 'add' | 'update', request: AddRegistryRequest): Promise<RegistryEntry | undefined> {
    const check = get().checkId;
    set({ testedOk: undefined });
    const work = action === 'add' ? () => services.registries.add(request) : () => services.registries.update(request);
    const entry = await run(action, hostOf(request), work, check);
    if (!entry) return undefined;
    set((s) => ({ entries: upsert(s.entries, entry) }));
    if (!isCurrent(check)) return undefined;
    set({ selectedId: entry.id });
    get().closeDialog();
    return entry;
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
      const check = get().checkId;
      set({ testedOk: undefined });
      const ok = await run(
        'test',
        registry,
        async () => {
          await services.registries.test(request);
          return true;
        },
        check,
      );
      if (!ok || !isCurrent(check)) return false;
      set({ testedOk: registry });
      return true;
    },

    addRegistry: (request) => save('add', request),

    updateRegistry: (request) => save('update', request),

    async logoutRegistry(id) {
      const entry = await run('logout', id, () => services.registries.logout(id));
      // In place: the row keeps its position, only its subtitle changes.
      if (entry) set((s) => ({ entries: upsert(s.entries, entry) }));
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

    cancelRegistryCheck() {
      set((s) => ({
        checkId: s.checkId + 1,
        pending: without(s.pending, ...DIALOG_ACTIONS),
        errors: without(s.errors, ...DIALOG_ACTIONS),
        testedOk: undefined,
      }));
    },

    clearRegistryErrors(...actions) {
      set((s) => ({
        errors: actions.length === 0 ? {} : without(s.errors, ...actions),
        testedOk: undefined,
      }));
    },
  };
};
