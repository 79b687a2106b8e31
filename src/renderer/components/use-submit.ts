import { useCallback, useRef, useState } from 'react';
import type { SerializedError } from '../../shared/error-codes';
import { toServiceError } from '../services/oras';

export interface Submit {
  /** True while the work runs: the dialog shows it and ignores a second submit. */
  busy: boolean;
  /** The last run's failure, as the kit's ErrorBox shows it; cleared when a run starts. */
  error: SerializedError | undefined;
  /** Runs `work` unless a run is under way; a throw becomes `error`, never a rejection. */
  run(work: () => Promise<void>): Promise<void>;
}

/**
 * useSubmit is the busy/error state every dialog's submit keeps: one run at a time
 * (checked through a ref, so a double click in the same tick cannot start two), the
 * error cleared when a run starts and kept when it fails, so the dialog stays open with
 * the registry's refusal in it.
 */
export function useSubmit(): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SerializedError>();
  const running = useRef(false);
  const run = useCallback(async (work: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      setError(toServiceError(caught).toJSON());
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
