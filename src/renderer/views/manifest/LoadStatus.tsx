import { ErrorBox, Loading } from '../../components/kit';
import type { Loaded } from './use-load';

/**
 * LoadStatus is what a `useLoad` result shows before it is ready: a Loading line with
 * `label`, or the error with Retry (which loads again). Nothing once the value is there.
 */
export function LoadStatus<T>({ loaded, label }: { loaded: Loaded<T> & { reload(): void }; label: string }) {
  if (loaded.status === 'loading') return <Loading label={label} />;
  if (loaded.status === 'error') return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  return null;
}
