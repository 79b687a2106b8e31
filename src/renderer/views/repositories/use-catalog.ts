import { useCallback, useEffect, useRef, useState } from 'react';
import type { SerializedError } from '../../../shared/error-codes';
import { toServiceError } from '../../services/oras';
import { useAppStore } from '../../store/react';

/** CATALOG_PAGE is how many repository names one `browse.repositories` call asks for. */
export const CATALOG_PAGE = 1000;

export interface Catalog {
  repositories: string[];
  catalog?: 'listed' | 'unavailable';
  message?: string;
  /** true while there are more pages to fetch. */
  more: boolean;
  loading: boolean;
  error?: SerializedError;
  loadMore(): void;
  retry(): void;
}

/**
 * useCatalog reads a registry's catalog page by page (`last`); the first page on
 * open, the next on "Load more". A generation counter drops answers for a registry
 * the view has left.
 */
export function useCatalog(registry: string): Catalog {
  const listRepositories = useAppStore((s) => s.listRepositories);
  const [state, setState] = useState<Omit<Catalog, 'loadMore' | 'retry'>>({ repositories: [], more: false, loading: true });
  const generation = useRef(0);
  const next = useRef<string | undefined>(undefined);

  const fetchPage = useCallback(
    (gen: number) => {
      setState((s) => {
        const { error: _, ...rest } = s;
        return { ...rest, loading: true };
      });
      const last = next.current;
      listRepositories({ registry, pageSize: CATALOG_PAGE, ...(last ? { last } : {}) }).then(
        (page) => {
          if (gen !== generation.current) return;
          next.current = page.next;
          setState((s) => ({
            repositories: [...s.repositories, ...page.repositories],
            catalog: page.catalog,
            ...(page.message ? { message: page.message } : {}),
            more: page.next !== undefined,
            loading: false,
          }));
        },
        (error: unknown) => {
          if (gen !== generation.current) return;
          const { code, message } = toServiceError(error);
          setState((s) => ({ ...s, loading: false, error: { code, message } }));
        },
      );
    },
    [registry, listRepositories],
  );

  useEffect(() => {
    const gen = ++generation.current;
    next.current = undefined;
    setState({ repositories: [], more: false, loading: true });
    fetchPage(gen);
    return () => {
      generation.current++;
    };
  }, [fetchPage]);

  const loadMore = useCallback(() => {
    if (next.current !== undefined) fetchPage(generation.current);
  }, [fetchPage]);

  const retry = useCallback(() => fetchPage(generation.current), [fetchPage]);

  return { ...state, loadMore, retry };
}
