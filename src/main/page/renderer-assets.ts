import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * resolveAssetPath maps a URL path (still percent-encoded, as in `URL.pathname`) to a
 * file inside `root`, the built renderer: null for a path that would leave the root
 * (`..`, encoded `%2e%2e%2f`), backslashes, NUL or bad encoding. `/` means
 * `/index.html`. Shared by the `app://` protocol and browser mode's server; no Electron.
 */
export function resolveAssetPath(root: string, urlPath: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const base = resolve(root);
  const file = resolve(base, `.${pathname}`);
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return file;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** contentTypeOf names a built asset's media type by its extension. */
export function contentTypeOf(file: string): string {
  const dot = file.lastIndexOf('.');
  return (dot === -1 ? undefined : CONTENT_TYPES[file.slice(dot).toLowerCase()]) ?? 'application/octet-stream';
}
