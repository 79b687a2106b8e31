import { arity, dict, kindOf, str, type TemplateFunction } from './args';
import type { GoValue } from './go-values';

/**
 * sprig's `urlParse` and `urlJoin` (`url.go`), over a reading of URLs as Go's net/url
 * makes it (RFC 3986's parts: scheme, opaque, userinfo, host, path unescaped, raw
 * query, fragment unescaped), and back as url.URL.String writes it.
 */

const URL_PARTS = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

function unescape(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(`unable to parse url: invalid URL escape ${JSON.stringify(/%.{0,2}/.exec(text)?.[0] ?? '%')}`);
  }
}

function urlParse(text: string): { [key: string]: GoValue } {
  const m = URL_PARTS.exec(text)!;
  const [, scheme = '', authority, rest = '', query = '', fragment = ''] = m;
  let opaque = '';
  let path = rest;
  // A scheme followed by something that is not a path is opaque (mailto:x@y).
  if (scheme !== '' && authority === undefined && rest !== '' && !rest.startsWith('/')) {
    opaque = rest;
    path = '';
  }
  if (scheme === '' && authority === undefined && rest.split('/')[0]!.includes(':')) {
    throw new Error(`unable to parse url: parse ${JSON.stringify(text)}: first path segment in URL cannot contain colon`);
  }
  const at = authority?.lastIndexOf('@') ?? -1;
  const userinfo = at >= 0 ? authority!.slice(0, at) : '';
  const host = at >= 0 ? authority!.slice(at + 1) : (authority ?? '');
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  return { scheme: scheme.toLowerCase(), host, hostname, path: unescape(path), query, opaque, fragment: unescape(fragment), userinfo };
}

/** escape keeps `keep` and the unreserved characters, as net/url's shouldEscape for a part. */
function escape(text: string, keep: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) || keep.includes(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function part(d: { [key: string]: GoValue }, key: string): string {
  if (!Object.hasOwn(d, key)) return '';
  const value = d[key]!;
  if (typeof value !== 'string') throw new Error(`unable to parse ${key} key, must be of type string, but ${kindOf(value)} found`);
  return value;
}

function urlJoin(d: { [key: string]: GoValue }): string {
  const [scheme, host, path, query, opaque, fragment, userinfo] = ['scheme', 'host', 'path', 'query', 'opaque', 'fragment', 'userinfo'].map((k) => part(d, k)) as string[];
  let out = scheme ? `${scheme}:` : '';
  if (opaque) out += opaque;
  else {
    if (scheme || host || userinfo) {
      out += '//';
      if (userinfo) out += `${userinfo}@`;
      out += host;
    }
    if (path && !path.startsWith('/') && host) out += '/';
    out += escape(path!, "$&+,/:;=@!'()*");
  }
  if (query) out += `?${query}`;
  if (fragment) out += `#${escape(fragment, "$&+,/:;=?@!'()*")}`;
  return out;
}

export const URL_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  urlParse: (...args) => (arity('urlParse', args, 1), urlParse(str(args[0]!))),
  urlJoin: (...args) => (arity('urlJoin', args, 1), urlJoin(dict(args[0]!) ?? {})),
};
