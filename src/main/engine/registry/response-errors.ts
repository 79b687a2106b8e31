import { advice } from '../advice';
import { cut } from '../echo';
import { OrasError, type ErrorCode, type RegistryErrorDetail } from '../errors';
import { parseChallenge } from '../transport/challenge';
import { header, readCapped, redactUrl, type HttpRequest, type HttpResponse } from '../transport/http';

const ERROR_BODY_LIMIT = 64 * 1024;

/** statusCode maps an HTTP status to the engine's error vocabulary. */
export function statusCode(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 416) return 'INVALID_ARGUMENT';
  return 'REGISTRY_ERROR';
}

async function readErrors(response: HttpResponse): Promise<RegistryErrorDetail[]> {
  try {
    const body = await readCapped(response.body, ERROR_BODY_LIMIT, () => new Error('too large'));
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors
      .filter((e): e is { code: string; message?: unknown } => typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string')
      .map((e) => ({ code: e.code, message: typeof e.message === 'string' ? e.message.slice(0, 500) : undefined }));
  } catch {
    response.body.destroy();
    return [];
  }
}

/**
 * Refusal is what the caller knows about a 401 or 403 that the response does not say:
 * who asked, for which repository, and what to do when no login was accepted.
 */
export interface Refusal {
  /** The user name that was sent; undefined when the request was anonymous. */
  user?: string;
  /** Whether a login (password or token) was sent at all. */
  loggedIn: boolean;
  /** `registry/repository`, as it is named in a reference. */
  repository?: string;
  /** The advice a 401 with no known user carries (log in, or check the password). */
  loginHint?: string;
}

/** accessPhrase names what a request does to a repository, for "may not …": the token scope's action and its preposition. */
function accessPhrase(method: HttpRequest['method']): string {
  if (method === 'DELETE') return 'delete from';
  if (method === 'GET' || method === 'HEAD') return 'pull from';
  return 'push to';
}

/**
 * isDenial tells a refusal of a known user (the login worked, the permission is
 * missing) from a failed login: a 403, or a 401 whose Bearer challenge says
 * `error="insufficient_scope"` (RFC 6750 §3.1; distribution's token auth answers so
 * when the token service granted fewer actions than the request needs).
 */
export function isDenial(response: HttpResponse): boolean {
  if (response.status === 403) return true;
  if (response.status !== 401) return false;
  return parseChallenge(header(response, 'www-authenticate'))?.params.error === 'insufficient_scope';
}

/** denialMessage: "denied: alice may not push to localhost:5000/a". */
function denialMessage(request: HttpRequest, refusal: Refusal, registryText: string): string {
  const catalog = request.url.pathname === '/v2/_catalog';
  const phrase = catalog ? 'list the repositories of' : accessPhrase(request.method);
  const who = refusal.user !== undefined ? cut(refusal.user) : refusal.loggedIn ? 'this login' : 'an anonymous user';
  const where = refusal.repository && !catalog ? cut(refusal.repository) : request.url.host;
  const fix = refusal.loggedIn
    ? 'ask the registry\'s owner for that permission, or log in as a user who has it'
    : advice('loginFirst', request.url.host);
  return `denied: ${who} may not ${phrase} ${where}${registryText}; ${fix}`;
}

/**
 * responseError reads a failed response's `errors` body (distribution spec "Error
 * Codes") and makes an OrasError that keeps method, redacted URL and status. `what`
 * names the thing asked for ("manifest localhost:5000/a:v1"). A 401 or 403 with
 * `refusal` says who was refused what: "denied: alice may not push to …" when the
 * login worked but lacks the permission, the login hint when the login failed.
 */
export async function responseError(request: HttpRequest, response: HttpResponse, what: string, refusal?: Refusal): Promise<OrasError> {
  const errors = request.method === 'HEAD' ? [] : await readErrors(response);
  if (request.method === 'HEAD') response.body.resume();
  const info = { method: request.method, url: redactUrl(request.url), status: response.status, errors };
  const detail = errors.map((e) => (e.message ? `${e.code}: ${cut(e.message)}` : cut(e.code))).join('; ');
  if (refusal && isDenial(response)) {
    // The registry's own words add nothing to a 401 insufficient_scope ("authentication
    // required", which is what misled before); a 403's may say why.
    const registryText = response.status === 403 && detail ? ` (${detail})` : '';
    return new OrasError('DENIED', denialMessage(request, refusal, registryText), { response: info });
  }
  const code = statusCode(response.status);
  const loginHint = refusal?.loginHint;
  const summary =
    code === 'NOT_FOUND'
      ? `${what} not found`
      : code === 'UNAUTHORIZED'
        ? `${what}: authentication required${loginHint ? `: ${loginHint}` : ''}`
        : code === 'DENIED'
          ? `${what}: access denied: the login has no permission for this`
          : `${what}: the registry answered ${response.status}`;
  // A TLS server spoken to in plain HTTP answers a bare 400 (Go: "Client sent an HTTP
  // request to an HTTPS server"); loopback registries default to plain HTTP, so say so.
  const tlsHint =
    response.status === 400 && !detail && request.url.protocol === 'http:'
      ? `: if ${request.url.host} speaks HTTPS, ${advice('httpsNotPlain')}`
      : '';
  return new OrasError(code, detail ? `${summary} (${detail})` : `${summary}${tlsHint}`, { response: info });
}
