import type { ListRepositoriesRequest, ListTagsRequest, RepositoriesPage, TagDetail, TagDetailsRequest, TagsPage } from '../../shared/browse';
import type { BrowseData, BrowseSlice, KeyValueStorage, SliceCreator } from './types';

/** BOOKMARKS_KEY and RECENTS_KEY are where the repositories view's lists live in localStorage. */
export const BOOKMARKS_KEY = 'oras.bookmarks';
export const RECENTS_KEY = 'oras.recentRepositories';

/** RECENTS_MAX is how many recently opened repositories a registry remembers. */
export const RECENTS_MAX = 10;

/** CACHED_REPOSITORIES is how many repositories' tag pages and details the page keeps (least recently used go). */
export const CACHED_REPOSITORIES = 4;

type PerRegistry = Record<string, string[]>;

/** readLists reads a `registry → names` record from storage; anything malformed reads as empty. */
export function readLists(storage: KeyValueStorage | undefined, key: string): PerRegistry {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(key) ?? '{}');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const out: PerRegistry = {};
    for (const [registry, names] of Object.entries(parsed)) {
      if (Array.isArray(names)) out[registry] = names.filter((n): n is string => typeof n === 'string');
    }
    return out;
  } catch {
    return {};
  }
}

function writeLists(storage: KeyValueStorage | undefined, key: string, lists: PerRegistry): void {
  try {
    storage?.setItem(key, JSON.stringify(lists));
  } catch {
    // Storage full or disabled: the lists last this session.
  }
}

export const initialBrowseData = (storage?: KeyValueStorage): BrowseData => ({
  bookmarks: readLists(storage, BOOKMARKS_KEY),
  recents: readLists(storage, RECENTS_KEY),
});

/** RepositoryCache is what the page keeps of one repository: tag pages by `last`, details by tag. */
interface RepositoryCache {
  pages: Map<string, TagsPage>;
  details: Map<string, TagDetail>;
}

/**
 * createBrowseSlice: the loaders the repositories and tags views call, and the
 * bookmarks and recently opened repositories per registry (kept in localStorage).
 *
 * Unlike the registries actions, the loaders throw (a ServiceError): each view keeps
 * its own loading and error state and a generation counter, so an answer that arrives
 * after the user moved on is dropped there. The cache is small on purpose: tag pages
 * and details of the last few repositories, outside the reactive state (nothing
 * re-renders when it fills); main caches manifests by digest, which never go stale.
 * Details are kept per tag until `forgetRepository` (Refresh) since tags move.
 */
export const createBrowseSlice: SliceCreator<BrowseSlice> = ({ services, storage }) => (set, get) => {
  const cache = new Map<string, RepositoryCache>();
  const cacheOf = (registry: string, repository: string): RepositoryCache => {
    const key = `${registry}/${repository}`;
    let entry = cache.get(key);
    if (entry) {
      cache.delete(key); // re-insert: Map order is the LRU order
    } else {
      entry = { pages: new Map(), details: new Map() };
    }
    cache.set(key, entry);
    while (cache.size > CACHED_REPOSITORIES) cache.delete(cache.keys().next().value!);
    return entry;
  };

  return {
    ...initialBrowseData(storage),

    listRepositories(request: ListRepositoriesRequest): Promise<RepositoriesPage> {
      return services.browse.repositories(request);
    },

    async listTags(request: ListTagsRequest): Promise<TagsPage> {
      const entry = cacheOf(request.registry, request.repository);
      const key = request.last ?? '';
      const cached = entry.pages.get(key);
      if (cached) return cached;
      const page = await services.browse.tags(request);
      entry.pages.set(key, page);
      return page;
    },

    async tagDetails(request: TagDetailsRequest): Promise<TagDetail[]> {
      const entry = cacheOf(request.registry, request.repository);
      const missing = request.tags.filter((tag) => !entry.details.has(tag));
      if (missing.length > 0) {
        const answered = await services.browse.tagDetails({ ...request, tags: missing });
        // A detail with an error is not kept: the next look tries again.
        for (const detail of answered) if (!detail.error) entry.details.set(detail.tag, detail);
        const failed = new Map(answered.filter((d) => d.error).map((d) => [d.tag, d]));
        return request.tags.map((tag) => entry.details.get(tag) ?? failed.get(tag) ?? { tag, error: { code: 'NOT_FOUND', message: `${tag} was not answered` } });
      }
      return request.tags.map((tag) => entry.details.get(tag)!);
    },

    cachedTagDetails(registry, repository) {
      return new Map(cache.get(`${registry}/${repository}`)?.details ?? []);
    },

    forgetRepository(registry, repository) {
      cache.delete(`${registry}/${repository}`);
    },

    toggleBookmark(registry, repository) {
      const current = get().bookmarks[registry] ?? [];
      const next = current.includes(repository) ? current.filter((r) => r !== repository) : [...current, repository].sort();
      const bookmarks = { ...get().bookmarks, [registry]: next };
      if (next.length === 0) delete bookmarks[registry];
      set({ bookmarks });
      writeLists(storage, BOOKMARKS_KEY, bookmarks);
    },

    noteRecent(registry, repository) {
      const current = get().recents[registry] ?? [];
      if (current[0] === repository) return;
      const recents = { ...get().recents, [registry]: [repository, ...current.filter((r) => r !== repository)].slice(0, RECENTS_MAX) };
      set({ recents });
      writeLists(storage, RECENTS_KEY, recents);
    },
  };
};
