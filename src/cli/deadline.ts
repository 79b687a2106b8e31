import { DEFAULT_DEADLINE_MS } from '../main/engine/transport/retry';
import { UsageError } from './errors';

/**
 * DEADLINE_ENV names how long, in seconds, a registry may leave a request unanswered
 * before a command gives up (tries and waits between them together). ORAS 1.3 has no
 * flag for this, so it is an environment variable rather than a flag of our own.
 * Default DEFAULT_DEADLINE_MS (60 s).
 */
export const DEADLINE_ENV = 'ORAS_REGISTRY_DEADLINE';

/** deadlineOption reads DEADLINE_ENV: `{ deadlineMs }` when it is set, else nothing (the engine's default). */
export function deadlineOption(env: NodeJS.ProcessEnv): { deadlineMs?: number } {
  const raw = env[DEADLINE_ENV];
  if (raw === undefined || raw.trim() === '') return {};
  const seconds = Number(raw.trim());
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !(seconds > 0) || seconds > 24 * 3600) {
    throw new UsageError(`${DEADLINE_ENV} must be a number of seconds above 0, e.g. ${DEFAULT_DEADLINE_MS / 1000}; it is ${JSON.stringify(raw.slice(0, 20))}`);
  }
  return { deadlineMs: Math.round(seconds * 1000) };
}
