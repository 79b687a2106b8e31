import type { AddRegistryRequest, OrasApi, RegistryEntry, RepositoriesPage, Result, TagDetail } from '../../shared/contract';
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
  /** content: what each registry id holds, for the browse methods (see FakeRegistryContent). */
  content: Map<string, FakeRegistryContent>;
  /** putTags adds a repository (if new) and points tags at manifests described by `detail`. */
  putTags(registry: string, repository: string, tags: Record<string, Omit<TagDetail, 'tag'>>): void;
}

/**
 * FakeRegistryContent is one registry as the browse methods see it: repositories with
 * tags and each tag's details; `catalog: 'unavailable'` plays Docker Hub (no `_catalog`).
 */
export interface FakeRegistryContent {
  catalog: 'listed' | 'unavailable';
  repositories: Map<string, Map<string, Omit<TagDetail, 'tag'>>>;
}

/** page cuts a sorted list after `last`, as `Link` paging does; `next` is the page's last name. */
function page(names: string[], last: string | undefined, size = 1000): { items: string[]; next?: string } {
  const sorted = [...names].sort();
  const from = last === undefined ? 0 : sorted.findIndex((n) => n > last);
  const items = from < 0 ? [] : sorted.slice(from, from + size);
  const more = from >= 0 && from + size < sorted.length;
  return more ? { items, next: items[items.length - 1]! } : { items };
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
  const content = new Map<string, FakeRegistryContent>();
  const putTags: FakeOras['putTags'] = (registry, repository, tags) => {
    let holder = content.get(registry);
    if (!holder) content.set(registry, (holder = { catalog: 'listed', repositories: new Map() }));
    let repo = holder.repositories.get(repository);
    if (!repo) holder.repositories.set(repository, (repo = new Map()));
    for (const [tag, detail] of Object.entries(tags)) repo.set(tag, detail);
  };
  const repoOf = (request: { registry: string; repository: string } | undefined) => {
    const repo = request && content.get(request.registry)?.repositories.get(request.repository);
    return repo ?? fail('NOT_FOUND', `${request?.registry}/${request?.repository}: the repository does not exist`);
  };

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
    listRepositories: (request) =>
      answer('listRepositories', request, (): Result<RepositoriesPage> => {
        if (!request) return fail('INVALID_ARGUMENT', 'no request');
        const holder = content.get(request.registry);
        if (!holder && !entries.has(request.registry)) return fail('NOT_FOUND', `${request.registry} is not saved`);
        if (holder?.catalog === 'unavailable') {
          return { ok: true, value: { repositories: [], catalog: 'unavailable', message: `${request.registry} does not list its repositories.` } };
        }
        const { items, next } = page([...(holder?.repositories.keys() ?? [])], request.last, request.pageSize);
        return { ok: true, value: { repositories: items, catalog: 'listed', ...(next ? { next } : {}) } };
      }),
    listTags: (request) =>
      answer('listTags', request, () => {
        const repo = repoOf(request);
        if (!(repo instanceof Map)) return repo;
        const { items, next } = page([...repo.keys()], request!.last, request!.pageSize);
        return { ok: true, value: { tags: items, ...(next ? { next } : {}) } };
      }),
    tagDetails: (request) =>
      answer('tagDetails', request, () => {
        const repo = repoOf(request);
        if (!(repo instanceof Map)) return repo;
        const value = request!.tags.map((tag): TagDetail => {
          const detail = repo.get(tag);
          return detail ? { tag, ...detail } : { tag, error: { code: 'NOT_FOUND', message: `${tag}: no such tag` } };
        });
        return { ok: true, value };
      }),
    getManifest: (request) => answer('getManifest', request, () => fail('UNSUPPORTED', 'the fake holds no manifests')),
    listReferrers: (request) => answer('listReferrers', request, () => fail('UNSUPPORTED', 'the fake holds no referrers')),
    previewBlob: (request) => answer('previewBlob', request, () => fail('UNSUPPORTED', 'the fake holds no blobs')),
    addTags: (request) =>
      answer('addTags', request, () => {
        const repo = repoOf(request);
        if (!(repo instanceof Map)) return repo;
        const source = [...repo.values()].find((d) => d.digest === request!.digest);
        if (!source) return fail('NOT_FOUND', `${request!.digest}: no such manifest`);
        for (const tag of request!.tags) repo.set(tag, source);
        return { ok: true, value: { tagged: request!.tags } };
      }),
    deleteManifest: (request) =>
      answer('deleteManifest', request, () => {
        const repo = repoOf(request);
        if (!(repo instanceof Map)) return repo;
        const digest = request!.reference.includes(':') ? request!.reference : repo.get(request!.reference)?.digest;
        if (!digest) return fail('NOT_FOUND', `${request!.reference}: no such manifest`);
        for (const [tag, detail] of repo) if (detail.digest === digest) repo.delete(tag);
        return { ok: true, value: { deleted: digest } };
      }),
    downloadBlob: (request) => answer('downloadBlob', request, () => ({ ok: true, value: { cancelled: true } })),
    downloadPull: (request) => answer('downloadPull', request, () => ({ ok: true, value: { cancelled: true } })),
    stageFiles: (files) => answer('stageFiles', files, () => fail('UNSUPPORTED', 'the fake stages no files')),
    pickFolder: () => answer('pickFolder', undefined, () => fail('UNSUPPORTED', 'browser mode has no folder dialog')),
    // The push composer's channels: the fake does not push (e2e tests use the real main).
    getDraft: (request) => answer('getDraft', request, () => fail('UNSUPPORTED', 'the fake keeps no drafts')),
    saveDraft: (request) => answer('saveDraft', request, () => fail('UNSUPPORTED', 'the fake keeps no drafts')),
    discardDraft: (request) => answer('discardDraft', request, () => fail('UNSUPPORTED', 'the fake keeps no drafts')),
    suggestMediaTypes: (request) => answer('suggestMediaTypes', request, () => fail('UNSUPPORTED', 'the fake suggests no media types')),
    validateDraft: (request) => answer('validateDraft', request, () => fail('UNSUPPORTED', 'the fake does not push')),
    previewPush: (request) => answer('previewPush', request, () => fail('UNSUPPORTED', 'the fake does not push')),
    runPush: (request) => answer('runPush', request, () => fail('UNSUPPORTED', 'the fake does not push')),
    jobOutcome: (request) => answer('jobOutcome', request, () => fail('UNSUPPORTED', 'the fake runs no jobs')),
    copyArtifact: (request) => answer('copyArtifact', request, () => fail('UNSUPPORTED', 'the fake does not copy')),
    on: () => () => {},
  };

  return {
    api,
    calls,
    accounts,
    saved: () => [...entries.values()],
    failNext: (method, error) => void failures.set(method, error),
    rejectNext: (method, error) => void rejections.set(method, error),
    content,
    putTags,
  };
}
