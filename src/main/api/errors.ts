import type { z } from 'zod';
import type { Result } from '../../shared/contract';
import type { SerializedError } from '../../shared/error-codes';
import { isOrasError } from '../engine/errors';

/** The longest message an answer carries; a message is for a person, not a dump. */
const MAX_MESSAGE = 500;

/** INTERNAL_MESSAGE is all the page learns of a failure that is not an OrasError. */
export const INTERNAL_MESSAGE = 'ORAS Desktop hit an unexpected error; details are in its log';

const clip = (message: string): string =>
  message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;

/**
 * toSerializedError turns anything thrown by a service into what crosses to the page:
 * an OrasError keeps its code and message (the engine writes those for people and
 * never puts a secret in them); anything else becomes INTERNAL with a generic message,
 * as its text may hold paths, stack lines or worse. `log` gets the original.
 */
export function toSerializedError(error: unknown, log: (error: unknown) => void = defaultLog): SerializedError {
  if (isOrasError(error)) return { code: error.code, message: clip(error.message) };
  log(error);
  return { code: 'INTERNAL', message: INTERNAL_MESSAGE };
}

function defaultLog(error: unknown): void {
  console.error('ORAS Desktop: unexpected error in a handler:', error);
}

/**
 * describeIssues writes a schema failure as one line: `registry: the registry is
 * empty; options.plainHttp: expected boolean`. Zod's messages name types, limits and
 * key names, never the values given, so nothing the page sent (a password) is echoed.
 */
export function describeIssues(channel: string, issues: z.ZodError['issues']): string {
  const parts = issues.slice(0, 5).map((issue) => {
    const where = issue.path.map(String).join('.');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  if (issues.length > 5) parts.push(`and ${issues.length - 5} more`);
  return clip(`bad request for ${channel}: ${parts.join('; ')}`);
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: SerializedError): Result<never> => ({ ok: false, error });
