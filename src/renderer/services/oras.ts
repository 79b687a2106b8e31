import type { Result } from '../../shared/contract';
import type { ErrorCode, SerializedError } from '../../shared/error-codes';
import type { OrasApi } from '../../shared/contract';

/**
 * ServiceError is what a service throws when `window.oras` answers `{ ok: false }` or
 * cannot be reached: the contract's code and a message fit to show a person.
 */
export class ServiceError extends Error {
  readonly code: ErrorCode;

  constructor(error: SerializedError) {
    super(error.message);
    this.name = 'ServiceError';
    this.code = error.code;
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message };
  }
}

/** ApiSource hands services the API at call time: the preload or shim may install it late. */
export type ApiSource = () => OrasApi | undefined;

/** windowApi reads `window.oras` when there is a window (never in unit tests). */
export const windowApi: ApiSource = () =>
  (globalThis as { window?: { oras?: OrasApi } }).window?.oras;

/** NOT_CONNECTED is the error when the page has no `window.oras` at all. */
export const NOT_CONNECTED: SerializedError = {
  code: 'INTERNAL',
  message: 'This page is not connected to ORAS Desktop. Open it from the app, or from the address `npm run web` prints.',
};

/**
 * call runs one `window.oras` method and unwraps its `Result`: the value, or a thrown
 * ServiceError. A rejected promise (a broken transport) becomes a `NETWORK` error.
 */
export async function call<T>(source: ApiSource, run: (api: OrasApi) => Promise<Result<T>>): Promise<T> {
  const api = source();
  if (!api) throw new ServiceError(NOT_CONNECTED);
  let result: Result<T>;
  try {
    result = await run(api);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ServiceError({ code: 'NETWORK', message: `Could not reach ORAS Desktop: ${detail}` });
  }
  if (!result || typeof result !== 'object' || !('ok' in result)) {
    throw new ServiceError({ code: 'INTERNAL', message: 'ORAS Desktop sent an answer this page does not understand.' });
  }
  if (!result.ok) throw new ServiceError(result.error);
  return result.value;
}

/** toServiceError turns anything thrown into a ServiceError, for the store to keep. */
export function toServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ServiceError({ code: 'INTERNAL', message: message || 'Something went wrong.' });
}
