import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { closeServer, listenOnLoopback } from './listen';

/**
 * A test token server speaking Docker's token protocol
 * (https://distribution.github.io/distribution/spec/auth/token/ for GET,
 * https://distribution.github.io/distribution/spec/auth/oauth/ for POST), issuing JWTs
 * the real registry verifies (https://distribution.github.io/distribution/spec/auth/jwt/).
 */

/** ResourceAccess is one entry of a token's `access` claim, e.g. repository foo pull,push. */
export interface ResourceAccess {
  type: string;
  name: string;
  actions: string[];
}

/** TokenRequest is what the server saw in one request, for tests to assert on. */
export interface TokenRequest {
  method: 'GET' | 'POST';
  /** scope values as sent, one per resource (`repository:name:pull,push`). */
  scope: string[];
  service?: string;
  /** The `account` query parameter (GET) or `username` field (POST), as the client sent it. */
  account?: string;
  /** The user the server authenticated; undefined means anonymous or refused. */
  user?: string;
  /** Whether an Authorization header was sent. */
  authorization: boolean;
  /** POST only: grant_type. */
  grantType?: string;
  /** The client asked for a refresh token (offline_token=true or access_type=offline). */
  offline: boolean;
  status: number;
}

export interface TokenServerOptions {
  /** Key signing the JWTs and the base64 DER certificate sent in their `x5c` header. */
  signer: { keyPem: string; x5c: string };
  /** user → password accepted through Basic auth (GET) or grant_type=password (POST). */
  users?: Record<string, string>;
  /** Anonymous requests get pull-only tokens; otherwise they get 401. Default false. */
  anonymousPull?: boolean;
  /** `iss` claim; the registry's `auth.token.issuer`. Default 'oras-test-issuer'. */
  issuer?: string;
  /** `aud` claim; the registry's `auth.token.service`. Default 'oras-test-registry'. */
  service?: string;
  /** Token lifetime in seconds. Default 300. */
  expiresIn?: number;
  /** Narrows what a request is granted (e.g. deny push to one repository). Called after the default rules. */
  authorize?: (user: string | undefined, granted: ResourceAccess[]) => ResourceAccess[];
  /** Answer POST (OAuth2) requests. Default true; false answers 404 so clients fall back to GET. */
  allowPost?: boolean;
  /** Serve HTTPS with this key and certificate (a registry behind TLS wants an https realm). */
  tls?: { keyPem: string; certPem: string };
}

export interface TokenServer {
  /** The realm: `http(s)://127.0.0.1:PORT/token`. */
  url: string;
  issuer: string;
  service: string;
  requests: TokenRequest[];
  /** mintToken signs a token directly, e.g. an expired one (`expiresIn` < 0) or one with chosen access. */
  mintToken(access: ResourceAccess[], options?: { user?: string; expiresIn?: number }): string;
  /** issueRefreshToken makes a refresh (identity) token for `user`, as a POST with access_type=offline would. */
  issueRefreshToken(user: string): string;
  stop(): Promise<void>;
}

/** parseScope splits `type:name:a,b`; the name may itself hold colons (`repository:host:5000/x:pull`). */
export function parseScope(scope: string): ResourceAccess | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last <= first) return undefined;
  const actions = scope.slice(last + 1).split(',').filter((a) => a !== '');
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions };
}

/** signJwt makes a compact ES256 JWS (JOSE wants r||s, hence ieee-p1363). */
export function signJwt(claims: object, key: KeyObject, x5c: string): string {
  const header = { typ: 'JWT', alg: 'ES256', x5c: [x5c] };
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** startTokenServer listens on 127.0.0.1 on a free port. */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = createPrivateKey(options.signer.keyPem);
  const issuer = options.issuer ?? 'oras-test-issuer';
  const service = options.service ?? 'oras-test-registry';
  const users = options.users ?? {};
  const refreshTokens = new Map<string, string>(); // token → user
  const requests: TokenRequest[] = [];

  function mintToken(access: ResourceAccess[], o: { user?: string; expiresIn?: number } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer, sub: o.user ?? '', aud: service,
      exp: now + (o.expiresIn ?? options.expiresIn ?? 300), nbf: now, iat: now, jti: randomUUID(), access,
    };
    return signJwt(claims, key, options.signer.x5c);
  }

  function issueRefreshToken(user: string): string {
    const token = `refresh-${randomUUID()}`;
    refreshTokens.set(token, user);
    return token;
  }

  /** grant: a known user gets every action asked for; anonymous users get pull on repositories, if allowed. */
  function grant(user: string | undefined, scopes: string[]): ResourceAccess[] {
    const requested = scopes.map(parseScope).filter((s): s is ResourceAccess => s !== undefined);
    const granted = user !== undefined
      ? requested
      : requested
          .filter((r) => r.type === 'repository')
          .map((r) => ({ ...r, actions: r.actions.filter((a) => a === 'pull') }))
          .filter((r) => r.actions.length > 0);
    return options.authorize ? options.authorize(user, granted) : granted;
  }

  function answer(res: ServerResponse, record: TokenRequest, status: number, body: object, headers: Record<string, string> = {}): void {
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  /** issue answers 200 with a token for `user`; `refreshToken` is the one a refresh grant presented. */
  function issue(res: ServerResponse, record: TokenRequest, user: string | undefined, refreshToken?: string): void {
    record.user = user;
    const token = mintToken(grant(user, record.scope), { user });
    const body: Record<string, unknown> = {
      token, access_token: token, expires_in: options.expiresIn ?? 300, issued_at: new Date().toISOString(),
    };
    if (record.method === 'POST') body.scope = record.scope.join(' ');
    if (record.offline && user !== undefined) {
      body.refresh_token = refreshToken ?? issueRefreshToken(user);
    }
    answer(res, record, 200, body);
  }

  const unauthorized = { 'www-authenticate': `Basic realm="${issuer}"` };

  function handleGet(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, record: TokenRequest): void {
    record.account = query.get('account') ?? undefined;
    record.offline = query.get('offline_token') === 'true';
    const auth = req.headers.authorization;
    if (auth === undefined) {
      if (options.anonymousPull) return issue(res, record, undefined);
      return answer(res, record, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, unauthorized);
    }
    const user = checkBasic(auth, users);
    if (user === undefined) {
      return answer(res, record, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }, unauthorized);
    }
    issue(res, record, user);
  }

  function handlePost(form: URLSearchParams, res: ServerResponse, record: TokenRequest): void {
    record.grantType = form.get('grant_type') ?? undefined;
    record.offline = form.get('access_type') === 'offline';
    record.account = form.get('username') ?? undefined;
    record.service = form.get('service') ?? undefined;
    record.scope = splitScopes(form.getAll('scope'));
    if (record.service !== undefined && record.service !== service) {
      return answer(res, record, 400, { error: 'invalid_request', error_description: `unknown service ${record.service}` });
    }
    let user: string | undefined;
    let refreshToken: string | undefined;
    if (record.grantType === 'password') {
      const username = form.get('username') ?? '';
      if (Object.hasOwn(users, username) && users[username] === form.get('password')) user = username;
    } else if (record.grantType === 'refresh_token') {
      refreshToken = form.get('refresh_token') ?? '';
      user = refreshTokens.get(refreshToken);
    } else {
      return answer(res, record, 400, { error: 'unsupported_grant_type' });
    }
    if (user === undefined) return answer(res, record, 401, { error: 'invalid_grant' });
    issue(res, record, user, refreshToken);
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    const record: TokenRequest = {
      method: req.method === 'POST' ? 'POST' : 'GET',
      scope: splitScopes(url.searchParams.getAll('scope')),
      service: url.searchParams.get('service') ?? undefined,
      authorization: req.headers.authorization !== undefined,
      offline: false,
      status: 0,
    };
    if (url.pathname !== '/token' || (req.method !== 'GET' && req.method !== 'POST')) {
      req.resume();
      return answer(res, record, 404, { error: 'not found' });
    }
    requests.push(record);
    if (req.method === 'GET') {
      req.resume();
      if (record.service !== undefined && record.service !== service) {
        return answer(res, record, 400, { errors: [{ code: 'INVALID_REQUEST', message: `unknown service ${record.service}` }] });
      }
      handleGet(req, res, url.searchParams, record);
    } else if (options.allowPost === false) {
      req.resume();
      answer(res, record, 404, { error: 'POST not supported here' });
    } else {
      readBody(req).then((body) => handlePost(new URLSearchParams(body), res, record), () => res.destroy());
    }
  };

  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.keyPem, cert: options.tls.certPem }, handler)
    : createHttpServer(handler);
  const port = await listenOnLoopback(server);

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/token`,
    issuer,
    service,
    requests,
    mintToken,
    issueRefreshToken,
    stop: () => closeServer(server),
  };
}

/** splitScopes accepts repeated `scope` parameters and space-separated lists (OAuth2 style). */
function splitScopes(values: string[]): string[] {
  return values.flatMap((v) => v.split(' ')).filter((s) => s !== '');
}

/** checkBasic returns the user when a Basic header carries a known user and password. */
function checkBasic(header: string, users: Record<string, string>): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  return Object.hasOwn(users, user) && users[user] === decoded.slice(colon + 1) ? user : undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('token request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
