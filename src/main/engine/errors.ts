import type { ErrorCode, SerializedError } from '../../shared/error-codes';

export type { ErrorCode } from '../../shared/error-codes';

/** RegistryErrorDetail is one entry of the distribution spec's `errors` array. */
export interface RegistryErrorDetail {
  code: string;
  message?: string;
  detail?: unknown;
}

/** RegistryResponseInfo keeps what a failed registry request said, with no secret in it. */
export interface RegistryResponseInfo {
  method: string;
  /** url with query string and userinfo removed (signed URLs carry tokens there). */
  url: string;
  status: number;
  errors: RegistryErrorDetail[];
}

export interface OrasErrorOptions {
  cause?: unknown;
  response?: RegistryResponseInfo;
  /** Which side of a copy failed, when it matters to the user. */
  side?: 'source' | 'destination';
}

/**
 * OrasError is the one error class of the engine. `code` says what kind of failure it
 * is; `message` says what went wrong and, where there is one, what to do about it.
 */
export class OrasError extends Error {
  override readonly name = 'OrasError';
  readonly code: ErrorCode;
  readonly response?: RegistryResponseInfo;
  readonly side?: 'source' | 'destination';

  constructor(code: ErrorCode, message: string, options: OrasErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.response = options.response;
    this.side = options.side;
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message };
  }
}

/** isOrasError tells an OrasError, optionally of one code, from any other throwable. */
export function isOrasError(err: unknown, code?: ErrorCode): err is OrasError {
  return err instanceof OrasError && (code === undefined || err.code === code);
}

/** abortError turns an aborted signal into the engine's error. */
export function abortError(signal?: AbortSignal): OrasError {
  const reason: unknown = signal?.reason;
  if (reason instanceof OrasError) return reason;
  return new OrasError('ABORTED', 'the operation was cancelled', { cause: reason });
}

/** throwIfAborted is AbortSignal.throwIfAborted with the engine's error. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal);
}
