import { OrasError, type ErrorCode } from '../errors';
import { nodeReason } from '../node-errors';

/** Side is which end of a copy an operation ran against. */
export type Side = 'source' | 'destination';

// Node system errors that mean the network, not the content, failed.
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

function codeOf(err: unknown): ErrorCode {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'AbortError') return 'ABORTED';
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'NETWORK';
  if (code === 'ENOENT') return 'NOT_FOUND';
  return 'INTERNAL';
}

/**
 * sideError says which side of a copy failed: the message gains "source: " or
 * "destination: " and `side` is set, keeping the code. Errors already sided, and
 * cancellations (the user's doing, not either side's), pass through unchanged.
 */
export function sideError(side: Side, err: unknown): OrasError {
  if (err instanceof OrasError) {
    if (err.side !== undefined || err.code === 'ABORTED') return err;
    return new OrasError(err.code, `${side}: ${err.message}`, { cause: err, side, response: err.response });
  }
  const code = codeOf(err);
  if (code === 'ABORTED') return new OrasError('ABORTED', 'the operation was cancelled', { cause: err });
  return new OrasError(code, `${side}: ${nodeReason(err)}`, { cause: err, side });
}

/** onSide runs `task`, turning what it throws into a sided OrasError. */
export async function onSide<T>(side: Side, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (err) {
    throw sideError(side, err);
  }
}
