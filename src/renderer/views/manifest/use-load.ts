import { useCallback, useEffect, useRef, useState } from 'react';
import type { SerializedError } from '../../../shared/error-codes';
import { toServiceError } from '../../services/oras';

export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'error'; error: SerializedError }
  | { status: 'ready'; value: T };

/**
 * useLoad runs a store loader when its keys change and keeps its state: loading, the
 * error, or the value. An answer that arrives after the keys changed (the user moved
 * on) is dropped; `reload` runs it again with the same keys.
 */
export function useLoad<T>(load: () => Promise<T>, keys: readonly unknown[]): Loaded<T> & { reload(): void } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setState({ status: 'loading' });
    load().then(
      (value) => mine === generation.current && setState({ status: 'ready', value }),
      (error: unknown) => mine === generation.current && setState({ status: 'error', error: toServiceError(error).toJSON() }),
    );
    return () => {
      generation.current++;
    };
    // The keys say when to load again; `load` is a new closure every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...keys, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}
