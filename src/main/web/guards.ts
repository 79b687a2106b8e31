import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WEB_TOKEN_HEADER, WEB_TOKEN_QUERY, webTokenCookie } from '../../shared/web-protocol';
import { HttpError, SECURITY_HEADERS } from './http';

/** LOOPBACK is the one address browser mode listens on. */
export const LOOPBACK = '127.0.0.1';

const digestOf = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Guards are the checks every request of browser mode's server passes, for a server
 * listening on `127.0.0.1:<port>` with its per-run `token`:
 *
 * 1. `checkSource`: `Host` names this server (a DNS-rebinding page reaches us under its
 *    own host name and is refused), and `Origin`/`Sec-Fetch-Site`, when sent, say this
 *    server's own origin (other pages, even on another loopback port, are refused);
 * 2. `checkToken`: the `x-oras-token` header, or the HttpOnly, SameSite=Strict cookie
 *    that `acceptQueryToken` sets when the page is first opened with `?token=…`.
 *
 * Tokens are compared by their SHA-256 in constant time.
 */
export class Guards {
  readonly origin: string;
  private readonly tokenDigest: Buffer;

  constructor(
    private readonly port: number,
    private readonly token: string,
  ) {
    this.origin = `http://${LOOPBACK}:${port}`;
    this.tokenDigest = digestOf(token);
  }

  /** checkSource refuses requests that do not come from our own page on our own address. */
  checkSource(req: IncomingMessage): void {
    if (req.headers.host !== `${LOOPBACK}:${this.port}`) {
      throw new HttpError(403, { code: 'DENIED', message: `browser mode answers only to ${this.origin}` }, 'host');
    }
    const from = req.headers.origin;
    if (from !== undefined && from !== this.origin) {
      throw new HttpError(403, { code: 'DENIED', message: 'requests from other sites are refused' }, 'token');
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw new HttpError(403, { code: 'DENIED', message: 'requests from other sites are refused' }, 'token');
    }
  }

  /** checkToken wants the header or the cookie; `queryToken` only where no header can be sent (EventSource). */
  checkToken(req: IncomingMessage, queryToken?: string): void {
    const header = req.headers[WEB_TOKEN_HEADER];
    if (this.matches(typeof header === 'string' ? header : undefined) || this.matches(this.cookieToken(req))) return;
    if (this.matches(queryToken)) return;
    throw new HttpError(
      401,
      { code: 'UNAUTHORIZED', message: 'this browser-mode server needs its token: open the URL it printed when it started' },
      'token',
    );
  }

  /**
   * acceptQueryToken handles the first visit: a page opened with `?token=…` gets the
   * token as a cookie and is sent to the same address without it (so the address bar,
   * history and a shared screen lose it). It answers true when it has answered.
   */
  acceptQueryToken(url: URL, res: ServerResponse): boolean {
    const queryToken = url.searchParams.get(WEB_TOKEN_QUERY);
    if (queryToken === null) return false;
    if (!this.matches(queryToken)) throw new HttpError(401, { code: 'UNAUTHORIZED', message: 'wrong token' }, 'token');
    const rest = new URL(url);
    rest.searchParams.delete(WEB_TOKEN_QUERY);
    res.writeHead(303, {
      ...SECURITY_HEADERS,
      'Set-Cookie': `${webTokenCookie(this.port)}=${this.token}; Path=/; HttpOnly; SameSite=Strict`,
      // Leading slashes collapsed: `//host/` would send the browser to another site.
      Location: `/${rest.pathname.replace(/^\/+/, '')}${rest.search}`,
      'Cache-Control': 'no-store',
    });
    res.end();
    return true;
  }

  private matches(candidate: string | undefined): boolean {
    return candidate !== undefined && candidate !== '' && timingSafeEqual(digestOf(candidate), this.tokenDigest);
  }

  private cookieToken(req: IncomingMessage): string | undefined {
    const name = webTokenCookie(this.port);
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
    }
    return undefined;
  }
}
