import type { ErrorCode } from '../../shared/error-codes';

/** ErrorText is an error as the page shows it: a short title, main's message, maybe a hint. */
export interface ErrorText {
  title: string;
  detail: string;
  hint?: string;
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  UNAUTHORIZED: 'Login refused',
  DENIED: 'Access denied',
  NETWORK: 'Could not connect',
  TLS: 'Secure connection failed',
  NOT_FOUND: 'Not found',
  INVALID_ARGUMENT: 'Check what you entered',
  INVALID_REFERENCE: 'Check what you entered',
  ALREADY_EXISTS: 'Already there',
  ABORTED: 'Cancelled',
  REGISTRY_ERROR: 'The registry answered with an error',
  UNSUPPORTED: 'Not supported',
};

const HINTS: Partial<Record<ErrorCode, string>> = {
  UNAUTHORIZED: 'Check the user name and the password or token.',
  NETWORK: 'Check the host and port, and whether the registry speaks HTTPS or plain HTTP.',
  TLS: "If the registry's certificate comes from a private CA, give that CA's certificate file, or allow insecure connections.",
};

/** errorText says what went wrong, in words for the person at the screen. */
export function errorText(error: { code: ErrorCode; message: string }): ErrorText {
  const hint = HINTS[error.code];
  return {
    title: TITLES[error.code] ?? 'Something went wrong',
    detail: sentence(error.message),
    ...(hint ? { hint } : {}),
  };
}

/**
 * sentence starts a message with a capital and ends it with a full stop. A message
 * that starts with a host or file name (`localhost:5000 did not answer…`,
 * `settings.json is damaged`) keeps it as written.
 */
export function sentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  const startsWithHost = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d+)?(?=[\s:,]|$)/.test(text) && /^[^\s:,]*[.:]/.test(text);
  const capital = startsWithHost ? text : text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
