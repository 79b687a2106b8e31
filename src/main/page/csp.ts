/**
 * csp builds the Content-Security-Policy of the renderer. It is plain data with no
 * Electron import, so `electron.vite.config.ts` and the tests can use it too.
 *
 * The policy allows only the app's own files: no inline script, no `eval`, no remote
 * script, style, frame or object. See Electron's security guide, item 7
 * (https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy).
 */

/** CspDelivery says how the policy reaches the page; `frame-ancestors` only works in a header. */
export type CspDelivery = 'header' | 'meta';

export interface CspOptions {
  /** delivery defaults to `header`. A `<meta>` policy must not carry `frame-ancestors`. */
  delivery?: CspDelivery;
  /**
   * dev loosens the policy for the Vite dev server only (never for a built app): the
   * hashes of the inline scripts Vite and React Refresh inject, and the HMR websocket.
   */
  dev?: { scriptHashes: readonly string[]; websocketOrigin: string };
}

/**
 * contentSecurityPolicy returns the policy as one header value. Defaults: header
 * delivery, production rules (`script-src 'self'` and nothing else).
 */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const { delivery = 'header', dev } = options;
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", ...(dev?.scriptHashes.map((h) => `'${h}'`) ?? [])],
    ['style-src', "'self'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...(dev ? [dev.websocketOrigin] : [])],
    ['worker-src', "'self'"],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
  ];
  if (delivery === 'header') directives.push(['frame-ancestors', "'none'"]);
  return directives.map((d) => d.join(' ')).join('; ');
}

const CSP_META_RE =
  /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)("\s*\/?>)/i;

/** readCspMeta returns the policy of an HTML page's CSP `<meta>` tag, if it has one. */
export function readCspMeta(html: string): string | undefined {
  return CSP_META_RE.exec(html)?.[2];
}

/** replaceCspMeta swaps the policy of an HTML page's CSP `<meta>` tag; it throws if there is none. */
export function replaceCspMeta(html: string, policy: string): string {
  if (!CSP_META_RE.test(html)) {
    throw new Error('index.html has no <meta http-equiv="Content-Security-Policy"> tag');
  }
  return html.replace(CSP_META_RE, (_m, open: string, _old: string, close: string) => open + policy + close);
}

/**
 * hoistCspMeta moves the CSP `<meta>` to the start of `<head>`: a `<meta>` policy only
 * governs what comes after it, and Vite's dev server prepends its own scripts.
 */
export function hoistCspMeta(html: string): string {
  const match = CSP_META_RE.exec(html);
  if (!match) return html;
  const without = html.slice(0, match.index) + html.slice(match.index + match[0].length);
  return without.replace(/<head>/i, (head) => `${head}\n    ${match[0]}`);
}

/** inlineScripts returns the text of every `<script>` without a `src` in an HTML page. */
export function inlineScripts(html: string): string[] {
  const scripts: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = m[1] ?? '';
    if (!/\bsrc\s*=/i.test(attrs)) scripts.push(m[2] ?? '');
  }
  return scripts;
}
