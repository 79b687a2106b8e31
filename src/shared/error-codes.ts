/**
 * ErrorCode is the small vocabulary every face of ORAS Desktop shares: the engine
 * raises it, the CLI maps it to an exit status and the renderer to a message.
 */
export const ERROR_CODES = [
  'INVALID_REFERENCE',
  'INVALID_MEDIA_TYPE',
  'INVALID_DIGEST',
  'INVALID_ANNOTATION',
  'INVALID_ARGUMENT',
  'INVALID_MANIFEST',
  'UNSAFE_PATH',
  'ALREADY_EXISTS',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'DENIED',
  'DIGEST_MISMATCH',
  'SIZE_MISMATCH',
  'SIZE_LIMIT',
  'UNSUPPORTED',
  'REGISTRY_ERROR',
  'NETWORK',
  'TLS',
  'ABORTED',
  'INTERNAL',
] as const;

/** ErrorCode is what kind of failure an OrasError is (`err.code`): one of ERROR_CODES. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** SerializedError is what crosses a process boundary: a code and a safe message. */
export interface SerializedError {
  code: ErrorCode;
  message: string;
}
