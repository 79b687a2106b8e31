import type { AddRegistryRequest, OrasApi, RegistryEntry, Result } from '../../shared/contract';
import type { SerializedError } from '../../shared/error-codes';

/**
 * FakeOras is an in-memory `window.oras` for unit tests and screenshots: registries
 * with users and passwords, every call recorded, and failures on demand. It checks
 * logins the way main does (a wrong password is UNAUTHORIZED and saves nothing).
 */
export interface FakeOras {
  api: OrasApi;
  calls: { method: string; request: unknown }[];
  /** The registries it accepts logins for: host → user → password. */
  accounts: Map<string, Map<string, string>>;
  /** Saved entries, local layout included. */
  saved: () => RegistryEntry[];
  /** failNext makes the next call of a method answer this error. */
  failNext(method: keyof OrasApi, error: SerializedError): void;
  /** rejectNext makes the next call of a method reject, as a broken transport would. */
  rejectNext(method: keyof OrasApi, error: Error): void;
}

const LOCAL: RegistryEntry = {
  id: 'local',
  kind: 'local',
  label: 'Local OCI layout',
  path: '/home/user/.local/share/oras-desktop/oci-layout',
  options: {},
};

export function createFakeOras(initial: RegistryEntry[] = []): FakeOras {
  const entries = new Map<string, RegistryEntry>([[LOCAL.id, LOCAL], ...initial.map((e) => [e.id, e] as const)]);
  const accounts = new Map<string, Map<string, string>>();
  const calls: FakeOras['calls'] = [];
  const failures = new Map<string, SerializedError>();
  const rejections = new Map<string, Error>();

  const answer = async <T>(method: string, request: unknown, work: () => Result<T>): Promise<Result<T>> => {
    calls.push({ method, request });
    await Promise.resolve();
    const rejection = rejections.get(method);
    if (rejection) {
      rejections.delete(method);
      throw rejection;
    }
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      return { ok: false, error: failure };
    }
    return work();
  };
  const fail = (code: SerializedError['code'], message: string) => ({ ok: false as const, error: { code, message } });

  const check = (request: AddRegistryRequest | undefined): Result<RegistryEntry> => {
    if (!request) return fail('INVALID_ARGUMENT', 'no request');
    const host = request.registry.trim().toLowerCase();
    if (!host || host.includes('/')) return fail('INVALID_ARGUMENT', 'a registry is host[:port], without spaces or "/"');
    const users = accounts.get(host);
    if (!users) return fail('NETWORK', `cannot reach ${host}: connection refused`);
    if (request.username && users.get(request.username) !== request.secret) {
      return fail('UNAUTHORIZED', `${host}: the user name or password is wrong`);
    }
    return {
      ok: true,
      value: {
        id: host,
        kind: 'remote',
        label: host,
        ...(request.username ? { username: request.username, location: 'keychain' as const } : {}),
        options: request.options ?? {},
      },
    };
  };

  const api: OrasApi = {
    version: '0.0.0-fake',
    appInfo: () => answer('appInfo', undefined, () => ({ ok: true, value: { version: '0.0.0-fake', platform: 'linux', mode: 'browser' } })),
    listRegistries: () => answer('listRegistries', undefined, () => ({ ok: true, value: [...entries.values()] })),
    testRegistry: (request) =>
      answer('testRegistry', request, () => {
        const r = check(request);
        return r.ok ? { ok: true, value: { ok: true } } : r;
      }),
    addRegistry: (request) =>
      answer('addRegistry', request, () => {
        const r = check(request);
        if (r.ok) entries.set(r.value.id, r.value);
        return r;
      }),
    updateRegistry: (request) =>
      answer('updateRegistry', request, () => {
        const r = check(request);
        if (r.ok && !entries.has(r.value.id)) return fail('NOT_FOUND', `${r.value.id} is not saved`);
        if (r.ok) entries.set(r.value.id, r.value);
        return r;
      }),
    logoutRegistry: (request) =>
      answer('logoutRegistry', request, () => {
        const entry = request && entries.get(request.registry);
        if (!entry) return fail('NOT_FOUND', `${request?.registry} is not saved`);
        const { username: _u, location: _l, ...anonymous } = entry;
        entries.set(entry.id, anonymous);
        return { ok: true, value: anonymous };
      }),
    removeRegistry: (request) =>
      answer('removeRegistry', request, () => {
        if (!request || !entries.delete(request.registry)) return fail('NOT_FOUND', `${request?.registry} is not saved`);
        return { ok: true, value: { removed: true } };
      }),
    cancelJob: (request) => answer('cancelJob', request, () => ({ ok: true, value: { cancelled: false } })),
    stageFiles: (files) => answer('stageFiles', files, () => fail('UNSUPPORTED', 'the fake stages no files')),
    on: () => () => {},
  };

  return {
    api,
    calls,
    accounts,
    saved: () => [...entries.values()],
    failNext: (method, error) => void failures.set(method, error),
    rejectNext: (method, error) => void rejections.set(method, error),
  };
}
