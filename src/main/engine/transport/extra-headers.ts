import { OrasError } from '../errors';
import { quoted } from '../echo';
import type { Send } from './http';

/**
 * ExtraHeaders are headers the user asked to send with every request to a registry
 * (ORAS's `-H/--header`), by name (parseExtraHeaders gives lower-case names, several
 * values of one name joined with ", " as RFC 9110 §5.3 allows).
 */
export type ExtraHeaders = Readonly<Record<string, string>>;

// RFC 9110 §5.1: a field name is a token.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// RFC 9110 §5.5: no CR, LF or NUL in a field value (they would split the request).
const BAD_VALUE = /[\r\n\0]/;

/**
 * parseExtraHeaders reads `name:value` lines as ORAS's `--header` does (split at the
 * first colon, a name required), trimming the value as Go's writer does, and checks
 * each name and value before any request so a bad one is a clear error, not undici's.
 */
export function parseExtraHeaders(lines: readonly string[]): ExtraHeaders {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    if (colon < 0 || name === '') throw new OrasError('INVALID_ARGUMENT', `invalid header ${quoted(line)}: write it as name:value`);
    if (!TOKEN.test(name)) throw new OrasError('INVALID_ARGUMENT', `invalid header name ${quoted(name)}: letters, digits and !#$%&'*+.^_\`|~- only`);
    const value = line.slice(colon + 1).trim();
    if (BAD_VALUE.test(value)) throw new OrasError('INVALID_ARGUMENT', `invalid value for header ${quoted(name)}: no line breaks or NUL`);
    const key = name.toLowerCase();
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  }
  return headers;
}

/**
 * extraHeadersLayer adds `headers` to every request sent to `origin`, the registry's
 * own, and to no other: a token service or a storage redirect elsewhere never sees
 * them, as they may carry a secret (ORAS scopes them to the registry's origin the same
 * way, option/remote.go's registryCredentialTransport). A header the request already
 * carries (Authorization, Accept, Range, Content-Type…) keeps the engine's value: the
 * protocol needs it; the user's `User-Agent` replaces ours.
 */
export function extraHeadersLayer(next: Send, origin: string, headers: ExtraHeaders | undefined): Send {
  if (!headers || Object.keys(headers).length === 0) return next;
  return (request) => {
    if (request.url.origin !== origin) return next(request);
    const own = new Set(Object.keys(request.headers ?? {}).map((name) => name.toLowerCase()));
    const added: Record<string, string> = {};
    // Names compared in lower case: a library caller may spell them as it likes.
    for (const [name, value] of Object.entries(headers)) if (!own.has(name.toLowerCase())) added[name.toLowerCase()] = value;
    return next({ ...request, headers: { ...added, ...request.headers } });
  };
}
