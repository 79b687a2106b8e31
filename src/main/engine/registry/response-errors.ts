import { OrasError, type ErrorCode, type RegistryErrorDetail } from '../errors';
import { readCapped, redactUrl, type HttpRequest, type HttpResponse } from '../transport/http';

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
 * responseError reads a failed response's `errors` body (distribution spec "Error
 * Codes") and makes an OrasError that keeps method, redacted URL and status. `what`
 * names the thing asked for ("manifest localhost:5000/a:v1"); `hint` is added for 401.
 */
export async function responseError(request: HttpRequest, response: HttpResponse, what: string, loginHint?: string): Promise<OrasError> {
  const errors = request.method === 'HEAD' ? [] : await readErrors(response);
  if (request.method === 'HEAD') response.body.resume();
  const code = statusCode(response.status);
  const detail = errors.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join('; ');
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
      ? `: if ${request.url.host} speaks HTTPS, pass --ca-file with its CA (or --insecure) so HTTPS is used`
      : '';
  return new OrasError(code, detail ? `${summary} (${detail})` : `${summary}${tlsHint}`, {
    response: { method: request.method, url: redactUrl(request.url), status: response.status, errors },
  });
}
