import { useCallback, useEffect, useRef, useState } from 'react';
import type { TagDetail } from '../../../shared/browse';
import type { SerializedError } from '../../../shared/error-codes';
import { toServiceError } from '../../services/oras';
import { useAppStore } from '../../store/react';
import { DetailsQueue } from './details-queue';

/** TAGS_PAGE is how many tags one `browse.tags` call asks for. */
export const TAGS_PAGE = 1000;

export interface TagListState {
  tags: string[];
  details: ReadonlyMap<string, TagDetail>;
  /** true once the last page is in. */
  complete: boolean;
  loadingPage: boolean;
  error?: SerializedError;
  /** Set while "read everything" runs (sort by newest): tags whose details are in, of all. */
  readingAll?: { read: number; total: number };
}

export interface TagList extends TagListState {
  /** loadMore fetches the next page when there is one and none is on its way. */
  loadMore(): void;
  /** wantDetails asks for details of tags on screen (background, batched, 2 at a time). */
  wantDetails(tags: readonly string[]): void;
  /** readAll loads every page and every tag's details; says how it ended. */
  readAll(): Promise<'done' | 'cancelled' | 'failed'>;
  cancelReadAll(): void;
  /** retry clears the error and goes on where loading stopped. */
  retry(): void;
  /** refresh forgets what the page knows of the repository and starts again. */
  refresh(): void;
}

/**
 * useTagList loads a repository's tags page by page as the list asks, and their
 * details in the background. A generation counter ties every answer to the view that
 * asked: when the repository changes (or on refresh) the old queue is cancelled and
 * late answers are dropped.
 */
export function useTagList(registry: string, repository: string): TagList {
  const listTags = useAppStore((s) => s.listTags);
  const tagDetails = useAppStore((s) => s.tagDetails);
  const cachedTagDetails = useAppStore((s) => s.cachedTagDetails);
  const forgetRepository = useAppStore((s) => s.forgetRepository);

  const [state, setState] = useState<TagListState>(() => fresh(new Map()));
  /** What the callbacks read without waiting for a render. */
  const live = useRef({ generation: 0, tags: [] as string[], next: undefined as string | undefined, complete: false, failed: false, readAllRun: 0 });
  const pageInFlight = useRef<Promise<void> | undefined>(undefined);
  const queue = useRef<DetailsQueue | undefined>(undefined);

  const start = useCallback(() => {
    const gen = ++live.current.generation;
    queue.current?.cancel();
    live.current = { ...live.current, tags: [], next: undefined, complete: false, failed: false, readAllRun: live.current.readAllRun + 1 };
    pageInFlight.current = undefined;
    const known = cachedTagDetails(registry, repository);
    setState(fresh(known));
    const q = new DetailsQueue({
      fetch: (tags) => tagDetails({ registry, repository, tags }),
      onDetails: (answered) => {
        if (gen !== live.current.generation) return;
        setState((s) => {
          const details = new Map(s.details);
          for (const d of answered) details.set(d.tag, d);
          const readingAll = s.readingAll && { ...s.readingAll, read: Math.min(details.size, s.readingAll.total) };
          return { ...s, details, ...(readingAll ? { readingAll } : {}) };
        });
      },
      onError: (error, tags) => {
        if (gen !== live.current.generation) return;
        const { code, message } = toServiceError(error);
        setState((s) => {
          const details = new Map(s.details);
          for (const tag of tags) details.set(tag, { tag, error: { code, message } });
          return { ...s, details };
        });
      },
    });
    q.known(known.keys());
    queue.current = q;
  }, [registry, repository, cachedTagDetails, tagDetails]);

  const fetchPage = useCallback((): Promise<void> => {
    if (pageInFlight.current) return pageInFlight.current;
    const gen = live.current.generation;
    const last = live.current.next;
    setState((s) => ({ ...s, loadingPage: true, error: undefined }));
    const run = listTags({ registry, repository, pageSize: TAGS_PAGE, ...(last ? { last } : {}) })
      .then(
        (page) => {
          if (gen !== live.current.generation) return;
          live.current.tags = [...live.current.tags, ...page.tags];
          live.current.next = page.next;
          live.current.complete = !page.next;
          const tags = live.current.tags;
          setState((s) => ({ ...s, tags, complete: !page.next, loadingPage: false }));
        },
        (error: unknown) => {
          if (gen !== live.current.generation) return;
          live.current.failed = true;
          const { code, message } = toServiceError(error);
          setState((s) => {
            const { readingAll: _, ...rest } = s;
            return { ...rest, loadingPage: false, error: { code, message } };
          });
          throw error;
        },
      )
      .finally(() => {
        if (gen === live.current.generation) pageInFlight.current = undefined;
      });
    pageInFlight.current = run;
    return run;
  }, [registry, repository, listTags]);

  useEffect(() => {
    start();
    void fetchPage().catch(() => {});
    return () => {
      live.current.generation++;
      queue.current?.cancel();
    };
  }, [start, fetchPage]);

  const loadMore = useCallback(() => {
    const l = live.current;
    if (!l.complete && !l.failed && !pageInFlight.current) void fetchPage().catch(() => {});
  }, [fetchPage]);

  const wantDetails = useCallback((tags: readonly string[]) => queue.current?.want(tags), []);

  const readAll = useCallback(async (): Promise<'done' | 'cancelled' | 'failed'> => {
    const gen = live.current.generation;
    const run = ++live.current.readAllRun;
    const current = () => gen === live.current.generation && run === live.current.readAllRun;
    setState((s) => ({ ...s, readingAll: { read: s.details.size, total: s.tags.length } }));
    try {
      if (pageInFlight.current) await pageInFlight.current;
      while (current() && !live.current.complete) await fetchPage();
      if (!current()) return 'cancelled';
      const all = live.current.tags;
      setState((s) => ({ ...s, readingAll: { read: Math.min(s.details.size, all.length), total: all.length } }));
      queue.current?.want(all, { first: false });
      await queue.current?.whenIdle();
      if (!current()) return 'cancelled';
      setState((s) => {
        const { readingAll: _, ...rest } = s;
        return rest;
      });
      return 'done';
    } catch {
      return current() ? 'failed' : 'cancelled';
    }
  }, [fetchPage]);

  const cancelReadAll = useCallback(() => {
    live.current.readAllRun++;
    queue.current?.dropQueued();
    setState((s) => {
      const { readingAll: _, ...rest } = s;
      return rest;
    });
  }, []);

  const retry = useCallback(() => {
    live.current.failed = false;
    void fetchPage().catch(() => {});
  }, [fetchPage]);

  const refresh = useCallback(() => {
    forgetRepository(registry, repository);
    start();
    void fetchPage().catch(() => {});
  }, [registry, repository, forgetRepository, start, fetchPage]);

  return { ...state, loadMore, wantDetails, readAll, cancelReadAll, retry, refresh };
}

function fresh(known: ReadonlyMap<string, TagDetail>): TagListState {
  return { tags: [], details: known, complete: false, loadingPage: true };
}
