import { pathToFileURL } from 'node:url';
import { net, protocol, type Session } from 'electron';
import { contentSecurityPolicy } from '../page/csp';
import { resolveAssetPath } from '../page/renderer-assets';

/**
 * The built renderer is served from `app://oras/…` rather than `file://`, so the page
 * has a real origin that the CSP's `'self'` and the navigation check can rely on, and
 * it can read only the renderer's own files. Electron's security guide, item 18
 * (https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'oras';
/** APP_ENTRY_URL is where the built renderer's page lives. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * resolveRendererAsset maps an `app://oras/…` URL to a file inside `rendererRoot`, or
 * returns null for any other host, a malformed URL, or a path that would leave the
 * root (`..`, encoded `%2e%2e%2f`, backslashes, NUL). `/` means `/index.html`.
 */
export function resolveRendererAsset(rendererRoot: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  if (url.username || url.password) return null;
  return resolveAssetPath(rendererRoot, url.pathname);
}

/** registerAppScheme must run before `app` is ready: it makes `app://` a standard, secure origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * serveRenderer answers `app://oras/…` in `session` from the built renderer folder,
 * adding the CSP (with `frame-ancestors`, which a `<meta>` cannot carry) and `nosniff`.
 */
export function serveRenderer(session: Session, rendererRoot: string): void {
  const csp = contentSecurityPolicy({ delivery: 'header' });
  session.protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveRendererAsset(rendererRoot, request.url);
    if (request.method !== 'GET' || file === null) {
      return new Response('Not found', { status: 404 });
    }
    let res: Response;
    try {
      res = await net.fetch(pathToFileURL(file).toString());
    } catch {
      return new Response('Not found', { status: 404 });
    }
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}
