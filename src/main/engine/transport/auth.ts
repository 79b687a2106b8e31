import { advice } from '../advice';
import { cut } from '../echo';
import { isOrasError, OrasError } from '../errors';
import { errorCode, nodeReason } from '../node-errors';
import { parseChallenge, type Challenge } from './challenge';
import type { Credential, CredentialProvider } from './credential';
import { discard, header, isReplayable, readCapped, redactUrl, type HttpRequest, type HttpResponse, type Send } from './http';
import { assertRealmAllowed } from './realm-policy';

/** AuthOptions: who we are and how to reach token services. */
export interface AuthOptions {
  /** Registry name (`host[:port]`) the credential provider is asked about. */
  registry: string;
  /** The registry's own origin: credentials are attached to it and nothing else. */
  origin: string;
  credentials: CredentialProvider;
  /** Sends token requests (not through this layer: the realm is another service). */
  tokenSend: Send;
  /** OAuth2 client id sent with refresh-token exchanges. Default `oras-desktop`. */
  clientId?: string;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

const TOKEN_RESPONSE_LIMIT = 1024 * 1024;
// Tokens are renewed a little early so a request does not race the expiry.
const EXPIRY_MARGIN_MS = 10_000;

/** scopeKey is the cache key of a set of scopes: sorted, merged per resource. */
export function scopeKey(scopes: readonly string[]): string {
  return mergeScopes(scopes).join(' ');
}

/**
 * mergeScopes unions scopes per resource: `repository:a:pull` and
 * `repository:a:push` become `repository:a:pull,push`.
 */
export function mergeScopes(scopes: readonly string[]): string[] {
  const byResource = new Map<string, Set<string>>();
  for (const scope of scopes) {
    const last = scope.lastIndexOf(':');
    if (last <= 0) continue;
    const resource = scope.slice(0, last);
    const actions = byResource.get(resource) ?? new Set<string>();
    for (const action of scope.slice(last + 1).split(',')) if (action) actions.add(action);
    byResource.set(resource, actions);
  }
  return [...byResource.entries()].map(([resource, actions]) => `${resource}:${[...actions].sort().join(',')}`).sort();
}

/**
 * AuthSession holds one registry's learned auth scheme and its token cache (one token
 * per set of scopes). The layer it makes answers challenges: Basic with the user's
 * password, or Bearer through the token service the challenge names.
 */
export class AuthSession {
  private scheme: 'basic' | 'bearer' | undefined;
  private realm: { url: URL; service?: string } | undefined;
  private readonly tokens = new Map<string, CachedToken>();
  /** Token requests under way, so concurrent requests for the same scopes share one. */
  private readonly fetching = new Map<string, Promise<CachedToken>>();
  private credentialPromise: Promise<Credential | undefined> | undefined;

  constructor(private readonly options: AuthOptions) {}

  /** credential asks the provider once per session. */
  credential(): Promise<Credential | undefined> {
    this.credentialPromise ??= this.options.credentials(this.options.registry);
    return this.credentialPromise;
  }

  layer(next: Send): Send {
    return async (request) => {
      if (request.url.origin !== this.options.origin) return next(request);
      const pre = await this.cachedAuthorization(request.scopes ?? []);
      const response = await next(withAuthorization(request, pre));
      if (response.status !== 401 || !isReplayable(request)) return response;
      const challenge = parseChallenge(header(response, 'www-authenticate'));
      if (!challenge) return response;
      const authorization = await this.answer(challenge, request, pre);
      if (authorization === undefined || authorization === pre) return response;
      await discard(response);
      return next(withAuthorization(request, authorization));
    };
  }

  /** hasCredential tells error messages whether we tried with a login. */
  async hasCredential(): Promise<boolean> {
    const cred = await this.credential();
    return !!cred && !!(cred.password || cred.identityToken || cred.accessToken);
  }

  private async cachedAuthorization(scopes: readonly string[]): Promise<string | undefined> {
    if (this.scheme === 'basic') return this.basicAuthorization();
    if (this.scheme === 'bearer') {
      const credential = await this.credential();
      if (credential?.accessToken) return `Bearer ${credential.accessToken}`;
      const cached = this.tokens.get(scopeKey(scopes));
      if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
      if (this.realm) {
        // We know the token service: get a token for these scopes before asking the
        // registry, saving the 401 round trip (and letting streamed bodies go once).
        return `Bearer ${await this.fetchToken(this.realm.url, this.realm.service, scopes)}`;
      }
    }
    return undefined;
  }

  private async basicAuthorization(): Promise<string | undefined> {
    const credential = await this.credential();
    if (!credential?.username || credential.password === undefined) return undefined;
    return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
  }

  /** answer finds the Authorization for a challenge; `rejected` is the one the registry just refused. */
  private async answer(challenge: Challenge, request: HttpRequest, rejected: string | undefined): Promise<string | undefined> {
    if (challenge.scheme === 'basic') {
      this.scheme = 'basic';
      return this.basicAuthorization();
    }
    if (challenge.scheme !== 'bearer') return undefined;
    this.scheme = 'bearer';
    const credential = await this.credential();
    if (credential?.accessToken) return `Bearer ${credential.accessToken}`;
    const realm = challenge.params.realm;
    if (!realm) throw new OrasError('REGISTRY_ERROR', `${this.options.registry} asked for a bearer token but named no realm`);
    const url = assertRealmAllowed(realm, request.url);
    this.realm = { url, service: challenge.params.service };
    const scopes = [...(request.scopes ?? []), ...(challenge.params.scope ? challenge.params.scope.split(' ') : [])];
    const token = await this.fetchToken(url, challenge.params.service, scopes, rejected);
    // The challenge may ask for more than the request named; later requests look the
    // token up by their own scopes, so file it under those too.
    const own = scopeKey(request.scopes ?? []);
    const cached = this.tokens.get(mergeScopes(scopes).join(' '));
    if (own && cached && !this.tokens.has(own)) this.tokens.set(own, cached);
    return `Bearer ${token}`;
  }

  private async fetchToken(realm: URL, service: string | undefined, scopes: readonly string[], rejected?: string): Promise<string> {
    const merged = mergeScopes(scopes);
    const key = merged.join(' ');
    const cached = this.tokens.get(key);
    // A cached token the registry has just refused (revoked, or our clock is behind
    // the token service's) is not offered again: ask for a new one, as oras-go does.
    if (cached && cached.expiresAt > Date.now() && `Bearer ${cached.token}` !== rejected) return cached.token;
    let pending = this.fetching.get(key);
    if (!pending) {
      pending = this.requestToken(realm, service, merged).finally(() => this.fetching.delete(key));
      this.fetching.set(key, pending);
    }
    const fresh = await pending;
    this.tokens.set(key, fresh);
    return fresh.token;
  }

  private async requestToken(realm: URL, service: string | undefined, merged: string[]): Promise<CachedToken> {
    const credential = await this.credential();
    let response: HttpResponse;
    try {
      response = credential?.identityToken
        ? await this.refreshTokenRequest(realm, service, merged, credential.identityToken)
        : await this.basicTokenRequest(realm, service, merged, credential);
    } catch (err) {
      throw isOrasError(err, 'NETWORK') ? this.tokenServiceUnreachable(realm, err) : err;
    }
    const token = await this.readToken(response, merged, credential);
    // The margin is at most half the lifetime: a token living 10 s or less would
    // otherwise be stale on arrival and fetched again for every request.
    const lifetimeMs = token.expiresIn * 1000;
    return { token: token.token, expiresAt: Date.now() + lifetimeMs - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2) };
  }

  private basicTokenRequest(realm: URL, service: string | undefined, scopes: string[], credential?: Credential): Promise<HttpResponse> {
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = {};
    if (credential?.username && credential.password !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
    }
    return this.options.tokenSend({ method: 'GET', url, headers });
  }

  private refreshTokenRequest(realm: URL, service: string | undefined, scopes: string[], refreshToken: string): Promise<HttpResponse> {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: this.options.clientId ?? 'oras-desktop',
    });
    if (service) form.set('service', service);
    if (scopes.length) form.set('scope', scopes.join(' '));
    return this.options.tokenSend({
      method: 'POST',
      url: realm,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(form.toString()),
    });
  }

  /** tokenServiceUnreachable names the token service and whose it is: its host is often not the registry's. */
  private tokenServiceUnreachable(realm: URL, err: OrasError): OrasError {
    const cause = err.cause;
    const reason =
      errorCode(cause) === 'ECONNREFUSED'
        ? 'connection refused'
        : cause instanceof Error && !(cause instanceof OrasError)
          ? nodeReason(cause)
          : err.message;
    return new OrasError('NETWORK', `cannot reach ${this.options.registry}'s token service at ${cut(realm.host)}: ${reason}`, { cause: err });
  }

  private async readToken(response: HttpResponse, scopes: readonly string[], credential?: Credential): Promise<{ token: string; expiresIn: number }> {
    if (response.status === 403 && credential?.username) {
      // 403, not 401: the token service most likely knows the user and refuses what was
      // asked for (RFC 6750 §3.1), so the permission is named first, not the password.
      await discard(response);
      throw new OrasError('DENIED', `denied: the token service of ${this.options.registry} refuses ${cut(credential.username)} ${cut(scopes.join(' ') || 'access')}: the user may lack that permission (a wrong password is usually a 401)`);
    }
    if (response.status === 401 || response.status === 403) {
      await discard(response);
      throw new OrasError(
        'UNAUTHORIZED',
        credential?.password || credential?.identityToken
          ? `${this.options.registry}: the token service refused the credentials: check the user name and password (or token)`
          : `${this.options.registry} requires a login: ${advice('loginFirst', this.options.registry)}`,
      );
    }
    if (response.status !== 200) {
      await discard(response);
      throw new OrasError('REGISTRY_ERROR', `token service ${cut(redactUrl(response.url))} answered ${response.status}`);
    }
    const body = await readCapped(response.body, TOKEN_RESPONSE_LIMIT, () => new OrasError('REGISTRY_ERROR', 'the token response is larger than 1 MiB'));
    let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new OrasError('REGISTRY_ERROR', `token service ${cut(redactUrl(response.url))} sent a response that is not JSON`);
    }
    const token = typeof parsed.access_token === 'string' && parsed.access_token ? parsed.access_token : parsed.token;
    if (typeof token !== 'string' || token === '') {
      throw new OrasError('REGISTRY_ERROR', `token service ${cut(redactUrl(response.url))} sent no token`);
    }
    // The token spec's default lifetime is 60 seconds when none is given.
    const expiresIn = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 60;
    return { token, expiresIn };
  }
}

function withAuthorization(request: HttpRequest, authorization: string | undefined): HttpRequest {
  if (authorization === undefined) return request;
  return { ...request, headers: { ...request.headers, authorization } };
}
