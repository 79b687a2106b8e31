import type { z } from 'zod';
import type { Result } from '../../shared/contract';
import type { SerializedError } from '../../shared/error-codes';
import { clipMessage } from '../services/serialized-error';

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
  return clipMessage(`bad request for ${channel}: ${parts.join('; ')}`);
}

/** ok and fail build the envelope every handler answers with (`Result`). */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: SerializedError): Result<never> => ({ ok: false, error });
