import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OrasError } from '../errors';
import { AuthSession, mergeScopes, scopeKey } from './auth';
import type { Credential } from './credential';
import type { HttpRequest, HttpResponse, Send } from './http';

const ORIGIN = 'https://registry.example.com';
const REALM = 'https://auth.example.com/token';
const PASSWORD = 'p@ss-w0rd-SECRET';
const PULL_A = 'repository:a:pull';
const MANIFEST_A = new URL(`${ORIGIN}/v2/a/manifests/latest`);

function response(status: number, url: URL, headers: Record<string, string> = {}, body: string | Buffer = ''): HttpResponse {
  return { status, headers, body: Readable.from([Buffer.from(body)]), url };
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

type Recorder = Send & { calls: HttpRequest[] };

function recorder(handle: (request: HttpRequest, index: number) => HttpResponse | Promise<HttpResponse>): Recorder {
  const calls: HttpRequest[] = [];
  const send = async (request: HttpRequest) => {
    calls.push(request);
    return handle(request, calls.length - 1);
  };
  return Object.assign(send, { calls });
}

/** registry answers 401 with `challenge` unless the request carries an accepted Authorization. */
function registry(challenge: string, accepts: (authorization: string) => boolean): Recorder {
  return recorder((request) => {
    const authorization = request.headers?.authorization;
    if (authorization !== undefined && accepts(authorization)) return response(200, request.url, {}, 'ok');
    return response(401, request.url, { 'www-authenticate': challenge }, '{"errors":[{"code":"UNAUTHORIZED"}]}');
  });
}

/** tokenService issues `token-<n>` with the given lifetime, recording every request. */
function tokenService(expiresIn?: number): Recorder {
  return recorder((request, index) =>
    response(200, request.url, { 'content-type': 'application/json' }, JSON.stringify({ token: `token-${index + 1}`, ...(expiresIn === undefined ? {} : { expires_in: expiresIn }) })),
  );
}

function session(credential: Credential | undefined, tokenSend: Send = tokenService(), registryName = 'registry.example.com', origin = ORIGIN): AuthSession {
  return new AuthSession({ registry: registryName, origin, credentials: async () => credential, tokenSend });
}

const BEARER = `Bearer realm="${REALM}",service="registry.example.com",scope="${PULL_A}"`;

async function text(res: HttpResponse): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString();
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('mergeScopes', () => {
  it('unions actions per resource and sorts everything', () => {
    expect(mergeScopes(['repository:b:push', 'repository:a:push', 'repository:a:pull', 'repository:b:pull,push'])).toEqual([
      'repository:a:pull,push',
      'repository:b:pull,push',
    ]);
  });

  it('drops duplicate and empty actions and keeps wildcards', () => {
    expect(mergeScopes(['repository:a:pull,,pull', 'registry:catalog:*'])).toEqual(['registry:catalog:*', 'repository:a:pull']);
  });

  it('keeps resources whose name holds a colon apart by the last colon', () => {
    expect(mergeScopes(['repository:host:5000/a:pull', 'repository:host:5000/a:push'])).toEqual(['repository:host:5000/a:pull,push']);
  });

  it('ignores scopes without a resource', () => {
    expect(mergeScopes(['pull', ':pull', ''])).toEqual([]);
  });
});

describe('scopeKey', () => {
  it('is the same for the same set of scopes in any order or split', () => {
    expect(scopeKey(['repository:a:push', 'repository:a:pull', 'repository:b:pull'])).toBe(scopeKey(['repository:b:pull', 'repository:a:pull,push']));
    expect(scopeKey(['repository:a:pull,push'])).toBe('repository:a:pull,push');
    expect(scopeKey([])).toBe('');
  });

  it('differs for different scopes', () => {
    expect(scopeKey(['repository:a:pull'])).not.toBe(scopeKey(['repository:a:pull,push']));
    expect(scopeKey(['repository:a:pull'])).not.toBe(scopeKey(['repository:b:pull']));
  });
});

describe('AuthSession with Basic', () => {
  const good = basic('alice', PASSWORD);

  it('answers the challenge with the credential, then pre-authorises later requests', async () => {
    const next = registry('Basic realm="Registry Realm"', (a) => a === good);
    const send = session({ username: 'alice', password: PASSWORD }).layer(next);

    const first = await send({ method: 'GET', url: MANIFEST_A });
    expect(first.status).toBe(200);
    expect(next.calls.map((c) => c.headers?.authorization)).toEqual([undefined, good]);

    const second = await send({ method: 'HEAD', url: new URL(`${ORIGIN}/v2/b/blobs/sha256:x`) });
    expect(second.status).toBe(200);
    expect(next.calls).toHaveLength(3);
    expect(next.calls[2]!.headers?.authorization).toBe(good);
  });

  it('keeps the caller headers when adding Authorization', async () => {
    const next = registry('Basic realm="r"', (a) => a === good);
    await session({ username: 'alice', password: PASSWORD }).layer(next)({ method: 'GET', url: MANIFEST_A, headers: { accept: 'application/json' } });
    expect(next.calls[1]!.headers).toEqual({ accept: 'application/json', authorization: good });
  });

  it('returns the 401 as is when there is no credential', async () => {
    const next = registry('Basic realm="r"', () => true);
    const res = await session(undefined).layer(next)({ method: 'GET', url: MANIFEST_A });
    expect(res.status).toBe(401);
    expect(next.calls).toHaveLength(1);
    expect(await text(res)).toContain('UNAUTHORIZED');
  });

  it('returns the second 401 when the password is wrong, without looping', async () => {
    const next = registry('Basic realm="r"', () => false);
    const send = session({ username: 'alice', password: 'wrong' }).layer(next);
    expect((await send({ method: 'GET', url: MANIFEST_A })).status).toBe(401);
    expect(next.calls).toHaveLength(2);
    // Pre-authorised with the same (wrong) answer: the 401 is not answered again.
    expect((await send({ method: 'GET', url: MANIFEST_A })).status).toBe(401);
    expect(next.calls).toHaveLength(3);
  });

  it('returns a 401 without a challenge, or with an unknown scheme, as is', async () => {
    const cases: Array<Record<string, string>> = [{}, { 'www-authenticate': 'Negotiate' }, { 'www-authenticate': '!!!' }];
    for (const headers of cases) {
      const next = recorder((request) => response(401, request.url, headers));
      const res = await session({ username: 'alice', password: PASSWORD }).layer(next)({ method: 'GET', url: MANIFEST_A });
      expect(res.status).toBe(401);
      expect(next.calls).toHaveLength(1);
    }
  });

  it('asks the credential provider once per session, by registry name', async () => {
    const provider = vi.fn(async () => ({ username: 'alice', password: PASSWORD }));
    const next = registry('Basic realm="r"', (a) => a === good);
    const auth = new AuthSession({ registry: 'localhost:5000', origin: ORIGIN, credentials: provider, tokenSend: tokenService() });
    const send = auth.layer(next);
    await send({ method: 'GET', url: MANIFEST_A });
    await send({ method: 'GET', url: MANIFEST_A });
    expect(provider).toHaveBeenCalledTimes(1);
    expect(provider).toHaveBeenCalledWith('localhost:5000');
    expect(await auth.hasCredential()).toBe(true);
  });
});

describe('AuthSession with Bearer', () => {
  it('fetches a token from the realm with service and every scope, then retries with it', async () => {
    const tokens = tokenService(300);
    const next = registry(BEARER, (a) => a === 'Bearer token-1');
    const send = session(undefined, tokens).layer(next);

    const res = await send({ method: 'GET', url: MANIFEST_A, scopes: ['repository:b:pull'] });
    expect(res.status).toBe(200);
    expect(tokens.calls).toHaveLength(1);
    const token = tokens.calls[0]!;
    expect(token.method).toBe('GET');
    expect(token.url.origin + token.url.pathname).toBe(REALM);
    expect(token.url.searchParams.get('service')).toBe('registry.example.com');
    expect(token.url.searchParams.getAll('scope')).toEqual([PULL_A, 'repository:b:pull']);
    // Anonymous: no Authorization on the token request.
    expect(token.headers?.authorization).toBeUndefined();
    expect(next.calls.map((c) => c.headers?.authorization)).toEqual([undefined, 'Bearer token-1']);
  });

  it('splits a challenge scope holding several scopes and merges them with the request scopes', async () => {
    const tokens = tokenService(300);
    const challenge = `Bearer realm="${REALM}",service="svc",scope="repository:a:pull repository:b:pull"`;
    const next = registry(challenge, (a) => a === 'Bearer token-1');
    await session(undefined, tokens).layer(next)({ method: 'POST', url: new URL(`${ORIGIN}/v2/a/blobs/uploads/`), scopes: ['repository:a:push'] });
    expect(tokens.calls[0]!.url.searchParams.getAll('scope')).toEqual(['repository:a:pull,push', 'repository:b:pull']);
  });

  it('sends Basic auth to the token service when there is a user name and password', async () => {
    const tokens = tokenService(300);
    const next = registry(BEARER, (a) => a === 'Bearer token-1');
    await session({ username: 'alice', password: PASSWORD }, tokens).layer(next)({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    expect(tokens.calls[0]!.headers?.authorization).toBe(basic('alice', PASSWORD));
    // The password itself never goes to the registry.
    for (const call of next.calls) expect(call.headers?.authorization ?? '').not.toContain('Basic');
  });

  it('exchanges an identity token with a POSTed refresh_token form', async () => {
    const tokens = recorder((request) => response(200, request.url, {}, JSON.stringify({ access_token: 'from-refresh', expires_in: 300 })));
    const next = registry(BEARER, (a) => a === 'Bearer from-refresh');
    const res = await session({ username: '<token>', identityToken: 'refresh-me' }, tokens).layer(next)({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    expect(res.status).toBe(200);
    const token = tokens.calls[0]!;
    expect(token.method).toBe('POST');
    expect(token.url.href).toBe(REALM);
    expect(token.headers?.['content-type']).toBe('application/x-www-form-urlencoded');
    expect(token.headers?.authorization).toBeUndefined();
    expect(Buffer.isBuffer(token.body)).toBe(true);
    const form = new URLSearchParams((token.body as Buffer).toString());
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-me',
      client_id: 'oras-desktop',
      service: 'registry.example.com',
      scope: PULL_A,
    });
  });

  it('uses the configured client id and joins several scopes with spaces in the form', async () => {
    const tokens = recorder((request) => response(200, request.url, {}, JSON.stringify({ token: 't', expires_in: 300 })));
    const next = registry(BEARER, (a) => a === 'Bearer t');
    const auth = new AuthSession({ registry: 'r', origin: ORIGIN, credentials: async () => ({ identityToken: 'rt' }), tokenSend: tokens, clientId: 'my-cli' });
    await auth.layer(next)({ method: 'GET', url: MANIFEST_A, scopes: ['repository:b:pull'] });
    const form = new URLSearchParams((tokens.calls[0]!.body as Buffer).toString());
    expect(form.get('client_id')).toBe('my-cli');
    expect(form.get('scope')).toBe(`${PULL_A} repository:b:pull`);
  });

  it('caches a token per set of scopes and pre-authorises with it', async () => {
    const tokens = tokenService(300);
    const next = registry(BEARER, (a) => a.startsWith('Bearer token-'));
    const send = session({ username: 'alice', password: PASSWORD }, tokens).layer(next);

    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    expect(tokens.calls).toHaveLength(1);
    expect(next.calls).toHaveLength(2);

    // Same scopes: no token request, no 401 round trip.
    const again = await send({ method: 'HEAD', url: MANIFEST_A, scopes: [PULL_A] });
    expect(again.status).toBe(200);
    expect(tokens.calls).toHaveLength(1);
    expect(next.calls).toHaveLength(3);
    expect(next.calls[2]!.headers?.authorization).toBe('Bearer token-1');

    // Other scopes: one token request to the realm learned, still no 401.
    await send({ method: 'GET', url: new URL(`${ORIGIN}/v2/b/manifests/latest`), scopes: ['repository:b:pull'] });
    expect(tokens.calls).toHaveLength(2);
    expect(tokens.calls[1]!.url.searchParams.getAll('scope')).toEqual(['repository:b:pull']);
    expect(tokens.calls[1]!.url.searchParams.get('service')).toBe('registry.example.com');
    expect(next.calls).toHaveLength(4);
    expect(next.calls[3]!.headers?.authorization).toBe('Bearer token-2');

    // Back to the first scopes, written differently: still cached.
    await send({ method: 'GET', url: MANIFEST_A, scopes: ['repository:a:pull,pull'] });
    expect(tokens.calls).toHaveLength(2);
    expect(next.calls[4]!.headers?.authorization).toBe('Bearer token-1');
  });

  it('renews a token once it is about to expire', async () => {
    let now = Date.parse('2024-01-01T00:00:00Z');
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const tokens = tokenService(30);
    const next = registry(BEARER, (a) => a.startsWith('Bearer token-'));
    const send = session(undefined, tokens).layer(next);

    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    now += 15_000;
    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    expect(tokens.calls).toHaveLength(1);
    // 30 s lifetime, renewed 10 s early.
    now += 6_000;
    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    expect(tokens.calls).toHaveLength(2);
    expect(next.calls.at(-1)!.headers?.authorization).toBe('Bearer token-2');
  });

  it('reuses a short-lived token within its lifetime', async () => {
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const tokens = tokenService(6);
    const send = session(undefined, tokens).layer(registry(BEARER, (a) => a.startsWith('Bearer ')));
    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    now += 1_000;
    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    expect(tokens.calls).toHaveLength(1);
    now += 5_000;
    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    expect(tokens.calls).toHaveLength(2);
  });

  it('assumes a 60 s lifetime when the token service names none', async () => {
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const tokens = tokenService();
    const send = session(undefined, tokens).layer(registry(BEARER, (a) => a.startsWith('Bearer ')));
    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    now += 45_000;
    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    expect(tokens.calls).toHaveLength(1);
    now += 10_000;
    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    expect(tokens.calls).toHaveLength(2);
  });

  it('fetches a new token when the registry rejects a cached one before it expires', async () => {
    const tokens = tokenService(300);
    let valid = 'Bearer token-1';
    const next = registry(BEARER, (a) => a === valid);
    const send = session({ username: 'alice', password: PASSWORD }, tokens).layer(next);
    expect((await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] })).status).toBe(200);
    // The registry stops accepting token-1 (revoked, signing key rotated, clocks apart).
    valid = 'Bearer token-2';
    const res = await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    expect(res.status).toBe(200);
    expect(tokens.calls).toHaveLength(2);
    expect(next.calls.slice(2).map((c) => c.headers?.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    // The new token replaced the stale one in the cache.
    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    expect(tokens.calls).toHaveLength(2);
    expect(next.calls.at(-1)!.headers?.authorization).toBe('Bearer token-2');
  });

  it('answers a second challenge for more scopes (insufficient_scope) once, then gives up', async () => {
    const tokens = tokenService(300);
    const next = registry(`Bearer realm="${REALM}",service="svc",scope="repository:a:pull,push",error="insufficient_scope"`, () => false);
    const res = await session(undefined, tokens).layer(next)({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    expect(res.status).toBe(401);
    expect(next.calls).toHaveLength(2);
    expect(tokens.calls).toHaveLength(1);
  });

  it('throws UNAUTHORIZED (401) or DENIED (403) without the password when the token service refuses the credential', async () => {
    for (const status of [401, 403]) {
      const tokens = recorder((request) => response(status, request.url, {}, `{"details":"bad password ${PASSWORD}"}`));
      const next = registry(BEARER, () => true);
      const err = await session({ username: 'alice', password: PASSWORD }, tokens)
        .layer(next)({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OrasError);
      if (status === 401) {
        expect((err as OrasError).code).toBe('UNAUTHORIZED');
        expect((err as OrasError).message).toMatch(/refused the credentials/);
      } else {
        expect((err as OrasError).code).toBe('DENIED');
        expect((err as OrasError).message).toMatch(/^denied: the token service of registry\.example\.com refuses alice repository:a:pull: /);
      }
      expect((err as OrasError).message).not.toContain(PASSWORD);
      expect(JSON.stringify(err)).not.toContain(PASSWORD);
      expect(String((err as Error).stack)).not.toContain(PASSWORD);
      expect(next.calls).toHaveLength(1);
    }
  });

  it('throws UNAUTHORIZED suggesting a login when an anonymous token is refused', async () => {
    const tokens = recorder((request) => response(401, request.url));
    const err = await session(undefined, tokens)
      .layer(registry(BEARER, () => true))({ method: 'GET', url: MANIFEST_A })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((err as Error).message).toMatch(/oras login registry\.example\.com/);
  });

  it.each([
    ['a server error', 500, 'oops', /answered 500/],
    ['a body that is not JSON', 200, '<html>', /not JSON/],
    ['no token', 200, '{"expires_in":60}', /no token/],
    ['an empty token', 200, '{"token":""}', /no token/],
    ['a huge body', 200, Buffer.alloc(2 * 1024 * 1024, 0x20), /larger than 1 MiB/],
  ] as const)('throws REGISTRY_ERROR when the token service sends %s', async (_what, status, body, message) => {
    const tokens = recorder((request) => response(status, new URL(`${REALM}?secret=1`), {}, body));
    const err = await session(undefined, tokens)
      .layer(registry(BEARER, () => true))({ method: 'GET', url: MANIFEST_A })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'REGISTRY_ERROR' });
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('secret');
  });

  it('accepts access_token in place of token', async () => {
    const tokens = recorder((request) => response(200, request.url, {}, '{"access_token":"at","token":"ignored"}'));
    const res = await session(undefined, tokens).layer(registry(BEARER, (a) => a === 'Bearer at'))({ method: 'GET', url: MANIFEST_A });
    expect(res.status).toBe(200);
  });

  it('uses an access token credential as is, with no token request', async () => {
    const tokens = tokenService();
    const next = registry(BEARER, (a) => a === 'Bearer registry-token');
    const auth = session({ accessToken: 'registry-token' }, tokens);
    const send = auth.layer(next);
    expect((await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] })).status).toBe(200);
    expect((await send({ method: 'GET', url: MANIFEST_A, scopes: ['repository:z:push'] })).status).toBe(200);
    expect(tokens.calls).toHaveLength(0);
    expect(next.calls.map((c) => c.headers?.authorization)).toEqual([undefined, 'Bearer registry-token', 'Bearer registry-token']);
    expect(await auth.hasCredential()).toBe(true);
  });

  it('refuses a plain-http realm for an https registry before sending the password', async () => {
    const tokens = tokenService();
    const next = registry('Bearer realm="http://auth.example.com/token",service="svc"', () => true);
    const err = await session({ username: 'alice', password: PASSWORD }, tokens)
      .layer(next)({ method: 'GET', url: MANIFEST_A })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'REGISTRY_ERROR' });
    expect(tokens.calls).toHaveLength(0);
  });

  it('refuses a realm on a private address of another host', async () => {
    const tokens = tokenService();
    const next = registry('Bearer realm="https://169.254.169.254/latest",service="svc"', () => true);
    await expect(session({ username: 'alice', password: PASSWORD }, tokens).layer(next)({ method: 'GET', url: MANIFEST_A })).rejects.toMatchObject({
      code: 'REGISTRY_ERROR',
    });
    expect(tokens.calls).toHaveLength(0);
  });

  it('throws REGISTRY_ERROR for a Bearer challenge without a realm', async () => {
    const next = registry('Bearer service="svc"', () => true);
    await expect(session(undefined).layer(next)({ method: 'GET', url: MANIFEST_A })).rejects.toMatchObject({ code: 'REGISTRY_ERROR' });
  });
});

describe('AuthSession and other origins', () => {
  it('never attaches credentials to a request for another origin', async () => {
    const good = basic('alice', PASSWORD);
    const next = recorder((request) => {
      if (request.url.origin !== ORIGIN) return response(401, request.url, { 'www-authenticate': 'Basic realm="storage"' });
      return request.headers?.authorization === good ? response(200, request.url) : response(401, request.url, { 'www-authenticate': 'Basic realm="r"' });
    });
    const tokens = tokenService();
    const send = session({ username: 'alice', password: PASSWORD }, tokens).layer(next);
    await send({ method: 'GET', url: MANIFEST_A });
    expect(next.calls[1]!.headers?.authorization).toBe(good);

    for (const other of ['https://storage.example.net/blob', 'http://registry.example.com/v2/', 'https://registry.example.com:8443/v2/', 'https://evil.registry.example.com/v2/']) {
      const res = await send({ method: 'GET', url: new URL(other), headers: { accept: '*/*' } });
      // Another origin's 401 is not answered either.
      expect(res.status).toBe(401);
      expect(next.calls.at(-1)!.headers).toEqual({ accept: '*/*' });
    }
    expect(tokens.calls).toHaveLength(0);
  });

  it('sends no bearer token to another origin', async () => {
    const tokens = tokenService(300);
    const next = registry(BEARER, (a) => a.startsWith('Bearer '));
    const send = session(undefined, tokens).layer(next);
    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    await send({ method: 'GET', url: new URL('https://cdn.example.net/blob'), scopes: [PULL_A] });
    expect(next.calls.at(-1)!.headers?.authorization).toBeUndefined();
    expect(tokens.calls).toHaveLength(1);
  });
});

describe('AuthSession and streamed bodies', () => {
  it('does not replay a streamed body after a 401', async () => {
    const tokens = tokenService(300);
    const next = registry(BEARER, (a) => a.startsWith('Bearer '));
    const body = Readable.from([Buffer.from('layer bytes')]);
    const res = await session(undefined, tokens).layer(next)({ method: 'PUT', url: new URL(`${ORIGIN}/v2/a/blobs/uploads/x?digest=sha256:y`), body, scopes: [PULL_A] });
    expect(res.status).toBe(401);
    expect(next.calls).toHaveLength(1);
    expect(tokens.calls).toHaveLength(0);
  });

  it('does replay a Buffer body after a 401', async () => {
    const good = basic('alice', PASSWORD);
    const next = registry('Basic realm="r"', (a) => a === good);
    const body = Buffer.from('{"manifest":true}');
    const res = await session({ username: 'alice', password: PASSWORD }).layer(next)({ method: 'PUT', url: MANIFEST_A, body });
    expect(res.status).toBe(200);
    expect(next.calls.map((c) => c.body)).toEqual([body, body]);
  });

  it('pre-authorises a streamed body once the scheme is known, so it goes once and succeeds', async () => {
    const tokens = tokenService(300);
    const next = registry(BEARER, (a) => a.startsWith('Bearer '));
    const send = session(undefined, tokens).layer(next);
    await send({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] });
    const res = await send({ method: 'PATCH', url: new URL(`${ORIGIN}/v2/a/blobs/uploads/x`), body: Readable.from(['bytes']), scopes: ['repository:a:pull,push'] });
    expect(res.status).toBe(200);
    expect(next.calls).toHaveLength(3);
    expect(next.calls[2]!.headers?.authorization).toBe('Bearer token-2');
  });
});

describe('an unreachable token service', () => {
  it('is named with the registry it serves, in plain words', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const tokens: Send = async (request) => {
      throw new OrasError('NETWORK', `GET ${request.url.href}: connection refused: is the registry running on that host and port?`, { cause: refused });
    };
    const err = await session({ username: 'alice', password: PASSWORD }, tokens)
      .layer(registry(BEARER, () => true))({ method: 'GET', url: MANIFEST_A, scopes: [PULL_A] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NETWORK', message: `cannot reach registry.example.com's token service at ${new URL(REALM).host}: connection refused` });
  });
});
