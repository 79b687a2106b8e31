import type { IncomingMessage, ServerResponse } from 'node:http';
import { WEB_API_PREFIX, WEB_TOKEN_QUERY } from '../../shared/web-protocol';

/**
 * Browser mode's help pages: what a person sees instead of a JSON error when their
 * browser opens the server the wrong way. Two ways are common: without the per-run
 * token (a bookmark, a reopened tab, the address typed by hand), and under another
 * name than `127.0.0.1` (`localhost`), which the Host check refuses. Each page says
 * what to do in a sentence or two. Plain HTML under the app's CSP: no script, no
 * inline style, and never the token (the page may be shown to a rebinding site).
 */

/** HelpPage names which way the server was opened wrongly. */
export type HelpPage = 'token' | 'host';

/**
 * wantsPage says whether a request is a browser opening a page (GET or HEAD, HTML
 * accepted, not under `/api/`): such a request gets a help page; API calls keep their
 * JSON errors.
 */
export function wantsPage(req: IncomingMessage): boolean {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return false;
  const pathname = (req.url ?? '/').split('?')[0] ?? '/';
  if (pathname.startsWith(WEB_API_PREFIX) || pathname === WEB_API_PREFIX.replace(/\/$/, '')) return false;
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(req.headers.accept ?? '');
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** helpPageHtml is the page for `page`; `origin` is the server's own `http://127.0.0.1:<port>`. */
export function helpPageHtml(page: HelpPage, origin: string): string {
  const home = `${origin}/`;
  const [title, body] =
    page === 'host'
      ? [
          'Open ORAS Desktop at 127.0.0.1',
          `<p>Browser mode answers only at <a href="${escapeHtml(home)}">${escapeHtml(home)}</a>, not under another name such as <code>localhost</code>: that keeps other web sites from reaching it.</p>
<p>Open the address <code>npm run web</code> printed (it has <code>?${WEB_TOKEN_QUERY}=…</code>), or use <code>${escapeHtml(home)}</code> in this browser.</p>`,
        ]
      : [
          'ORAS Desktop needs its address with the token',
          `<p>This browser-mode server lets in only the browser that opened its address with the token.</p>
<p>Open the address <code>npm run web</code> printed when it started (it has <code>?${WEB_TOKEN_QUERY}=…</code>). Each run has a new token: if the server was restarted, use the address it printed this time.</p>`,
        ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/**
 * sendHelpPage answers with a help page, keeping the refusal's status (401 or 403) and
 * the headers every page of browser mode carries.
 */
export function sendHelpPage(
  res: ServerResponse,
  status: number,
  page: HelpPage,
  origin: string,
  headers: Record<string, string>,
  method: string,
): void {
  const html = helpPageHtml(page, origin);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
  });
  res.end(method === 'HEAD' ? undefined : html);
}
