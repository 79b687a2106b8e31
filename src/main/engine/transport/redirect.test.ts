import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OrasError } from '../errors';
import type { HttpRequest, HttpResponse, Send } from './http';
import { redirectLayer } from './redirect';

const REGISTRY = 'https://registry.example.com';
const BLOB = new URL(`${REGISTRY}/v2/a/blobs/sha256:abc`);

function response(status: number, url: URL, headers: Record<string, string> = {}, body = ''): HttpResponse {
  return { status, headers, body: Readable.from([Buffer.from(body)]), url };
}

/** routes answers each URL (href) with a redirect to the given Location, or 200. */
function routes(table: Record<string, { status?: number; location?: string }>): Send & { calls: HttpRequest[] } {
  const calls: HttpRequest[] = [];
  const send = async (request: HttpRequest) => {
    calls.push(request);
    const route = table[request.url.href];
    if (!route) return response(200, request.url, {}, 'content');
    return response(route.status ?? 302, request.url, route.location === undefined ? {} : { location: route.location });
  };
  return Object.assign(send, { calls });
}

async function refusal(promise: Promise<unknown>): Promise<OrasError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OrasError);
  return err as OrasError;
}

const SECRET_HEADERS = { authorization: 'Bearer secret-token', cookie: 'session=secret', accept: 'application/octet-stream' };

describe('redirectLayer', () => {
  it.each([301, 302, 303, 307, 308])('follows %i for GET', async (status) => {
    const next = routes({ [BLOB.href]: { status, location: '/v2/a/blobs/moved' } });
    const res = await redirectLayer(next)({ method: 'GET', url: BLOB });
    expect(res.status).toBe(200);
    expect(res.url.href).toBe(`${REGISTRY}/v2/a/blobs/moved`);
    expect(next.calls.map((c) => c.url.href)).toEqual([BLOB.href, `${REGISTRY}/v2/a/blobs/moved`]);
  });

  it('follows a redirect for HEAD, keeping the method', async () => {
    const next = routes({ [BLOB.href]: { status: 307, location: 'https://cdn.example.net/blob' } });
    await redirectLayer(next)({ method: 'HEAD', url: BLOB });
    expect(next.calls.map((c) => c.method)).toEqual(['HEAD', 'HEAD']);
  });

  it('keeps Authorization and Cookie on a same-origin redirect', async () => {
    const next = routes({ [BLOB.href]: { status: 302, location: `${REGISTRY}/other` } });
    await redirectLayer(next)({ method: 'GET', url: BLOB, headers: SECRET_HEADERS, scopes: ['repository:a:pull'] });
    expect(next.calls[1]!.headers).toEqual(SECRET_HEADERS);
    expect(next.calls[1]!.scopes).toEqual(['repository:a:pull']);
  });

  it('drops Authorization and Cookie, in any case, on a cross-origin redirect and keeps the rest', async () => {
    const next = routes({ [BLOB.href]: { status: 307, location: 'https://storage.example.net/blob?X-Amz-Signature=sig' } });
    await redirectLayer(next)({
      method: 'GET',
      url: BLOB,
      headers: { Authorization: 'Basic dXNlcjpwYXNz', COOKIE: 'a=b', accept: '*/*', range: 'bytes=0-9' },
    });
    expect(next.calls[1]!.url.href).toBe('https://storage.example.net/blob?X-Amz-Signature=sig');
    expect(next.calls[1]!.headers).toEqual({ accept: '*/*', range: 'bytes=0-9' });
    // The caller's headers object was not changed.
    expect(next.calls[0]!.headers).toHaveProperty('Authorization');
  });

  it('treats another port or scheme of the same host as another origin', async () => {
    const next = routes({
      [BLOB.href]: { location: 'https://registry.example.com:8443/blob' },
    });
    await redirectLayer(next)({ method: 'GET', url: BLOB, headers: SECRET_HEADERS });
    expect(next.calls[1]!.headers).toEqual({ accept: 'application/octet-stream' });

    const plain = new URL('http://localhost:5000/v2/a/blobs/x');
    const up = routes({ [plain.href]: { location: 'https://localhost:5000/v2/a/blobs/x' } });
    await redirectLayer(up)({ method: 'GET', url: plain, headers: SECRET_HEADERS });
    expect(up.calls[1]!.headers).not.toHaveProperty('authorization');
  });

  it('does not bring Authorization back after leaving the origin and returning', async () => {
    const next = routes({
      [BLOB.href]: { location: 'https://cdn.example.net/hop' },
      'https://cdn.example.net/hop': { location: `${REGISTRY}/v2/a/blobs/final` },
    });
    await redirectLayer(next)({ method: 'GET', url: BLOB, headers: SECRET_HEADERS });
    expect(next.calls).toHaveLength(3);
    expect(next.calls[2]!.headers).not.toHaveProperty('authorization');
  });

  it('refuses a redirect from https to plain http', async () => {
    const next = routes({ [BLOB.href]: { location: 'http://storage.example.net/blob?sig=secret' } });
    const err = await refusal(redirectLayer(next)({ method: 'GET', url: BLOB, headers: SECRET_HEADERS }));
    expect(err.code).toBe('REGISTRY_ERROR');
    expect(err.message).toMatch(/https to plain http/);
    expect(err.message).not.toContain('secret');
    expect(next.calls).toHaveLength(1);
  });

  it('allows a redirect from http to https', async () => {
    const plain = new URL('http://127.0.0.1:5000/v2/a/blobs/x');
    const next = routes({ [plain.href]: { location: 'https://storage.example.net/blob' } });
    expect((await redirectLayer(next)({ method: 'GET', url: plain })).status).toBe(200);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/blob', 'data:text/plain,hi', 'javascript:alert(1)'])('refuses a redirect to %s', async (location) => {
    const next = routes({ [BLOB.href]: { location } });
    const err = await refusal(redirectLayer(next)({ method: 'GET', url: BLOB }));
    expect(err.code).toBe('REGISTRY_ERROR');
    expect(next.calls).toHaveLength(1);
  });

  it('stops a redirect loop after max hops', async () => {
    const next = routes({
      [BLOB.href]: { location: `${REGISTRY}/b` },
      [`${REGISTRY}/b`]: { location: BLOB.href },
    });
    const err = await refusal(redirectLayer(next, 5)({ method: 'GET', url: BLOB }));
    expect(err.code).toBe('REGISTRY_ERROR');
    expect(err.message).toMatch(/more than 5 redirects/);
    expect(next.calls).toHaveLength(6);
  });

  it('follows exactly max redirects', async () => {
    const table: Record<string, { location: string }> = {};
    for (let i = 0; i < 3; i++) table[`${REGISTRY}/${i}`] = { location: `${REGISTRY}/${i + 1}` };
    const next = routes(table);
    const res = await redirectLayer(next, 3)({ method: 'GET', url: new URL(`${REGISTRY}/0`) });
    expect(res.url.href).toBe(`${REGISTRY}/3`);
  });

  it('defaults to 10 redirects', async () => {
    const next = routes({ [BLOB.href]: { location: BLOB.href } });
    await expect(redirectLayer(next)({ method: 'GET', url: BLOB })).rejects.toThrow(/more than 10 redirects/);
    expect(next.calls).toHaveLength(11);
  });

  it('fails on a redirect without Location, without leaking the query', async () => {
    const url = new URL(`${REGISTRY}/v2/a/blobs/x?token=secret`);
    const next = routes({ [url.href]: { status: 302 } });
    const err = await refusal(redirectLayer(next)({ method: 'GET', url }));
    expect(err.code).toBe('REGISTRY_ERROR');
    expect(err.message).toMatch(/without a Location/);
    expect(err.message).not.toContain('secret');
  });

  it.each(['PUT', 'POST', 'PATCH', 'DELETE'] as const)('returns a redirect of %s as is', async (method) => {
    const next = routes({ [BLOB.href]: { status: 307, location: 'https://elsewhere.example.net/' } });
    const res = await redirectLayer(next)({ method, url: BLOB, body: Buffer.from('x') });
    expect(res.status).toBe(307);
    expect(next.calls).toHaveLength(1);
  });

  it('resolves a relative Location against the current URL', async () => {
    const next = routes({ [BLOB.href]: { location: '../other/blob' } });
    const res = await redirectLayer(next)({ method: 'GET', url: BLOB });
    expect(res.url.href).toBe(`${REGISTRY}/v2/a/other/blob`);
  });
});
