import type { SerializedError } from '../../shared/error-codes';
import { isOrasError } from '../engine/errors';
import { forThePage } from './page-advice';

/**
 * What of a failure crosses to the page, whether as a handler's answer (`api/`) or in
 * a job's state (`jobs.ts`, the push and browse services). It lives here, below `api/`,
 * so services never import the layer that calls them.
 */

/** MAX_MESSAGE: the longest message an answer carries; a message is for a person, not a dump. */
const MAX_MESSAGE = 500;

/** INTERNAL_MESSAGE is all the page learns of a failure that is not an OrasError. */
export const INTERNAL_MESSAGE = 'ORAS Desktop hit an unexpected error; details are in its log';

/** clipMessage cuts a message to MAX_MESSAGE characters, ending in "…" when cut. */
export const clipMessage = (message: string): string =>
  message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;

/**
 * toSerializedError turns anything thrown by a service into what crosses to the page:
 * an OrasError keeps its code and message (the engine writes those for people and
 * never puts a secret in them), with its CLI advice in the app's words
 * (page-advice.ts); anything else becomes INTERNAL with a generic message, as its text
 * may hold paths, stack lines or worse. `log` gets the original.
 */
export function toSerializedError(error: unknown, log: (error: unknown) => void = defaultLog): SerializedError {
  if (isOrasError(error)) return { code: error.code, message: clipMessage(forThePage(error.message)) };
  log(error);
  return { code: 'INTERNAL', message: INTERNAL_MESSAGE };
}

function defaultLog(error: unknown): void {
  console.error('ORAS Desktop: unexpected error in a handler:', error);
}
