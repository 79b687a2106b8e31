import { isIP } from 'node:net';
import { quoted } from '../echo';
import { OrasError } from '../errors';

/** isPrivateOrLoopbackHost: loopback, private, link-local and unspecified addresses. */
export function isPrivateOrLoopbackHost(hostname: string): boolean {
  // `localhost.` is the same name as `localhost` to the resolver.
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  if (family === 4) {
    const [a = 0, b = 0] = host.split('.').map(Number);
    return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (family === 6) return isPrivateIpv6(ipv6Groups(host));
  return false;
}

// WHATWG URL writes IPv6 hosts in their shortest hex form, so `[::ffff:127.0.0.1]`
// reaches us as `::ffff:7f00:1`: the address is read as eight 16-bit groups rather
// than matched as text, or an IPv4-mapped loopback would pass as public.
function isPrivateIpv6(g: number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embeddedV4 = () => `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    if (g5 === 0 && g6 === 0 && (g7 === 0 || g7 === 1)) return true; // :: and ::1
    // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible, deprecated).
    if (g5 === 0xffff || g5 === 0) return isPrivateOrLoopbackHost(embeddedV4());
  }
  // 64:ff9b::a.b.c.d (NAT64) reaches the IPv4 address it embeds.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isPrivateOrLoopbackHost(embeddedV4());
  // fc00::/7 unique local, fe80::/10 link-local, fec0::/10 site-local (deprecated).
  return (g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0;
}

/** ipv6Groups expands an address `isIP` accepted as IPv6 into its eight groups. */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const [head, tail] = text.split('::');
  if (tail === undefined) return parse(head);
  const before = parse(head);
  const after = parse(tail);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

/**
 * assertRealmAllowed checks the token realm a registry's challenge names before any
 * credential is sent there. A registry must not be able to make us send the user's
 * password over plain http when it speaks https, nor aim us at another machine on a
 * private or loopback address (server-side request forgery, as in oras-go's
 * advisories on token realms).
 */
export function assertRealmAllowed(realm: string, registryUrl: URL): URL {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new OrasError('REGISTRY_ERROR', `the registry ${registryUrl.host} named an invalid token realm ${quoted(realm)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new OrasError('REGISTRY_ERROR', `refusing token realm ${url.origin}: only http and https are allowed`);
  }
  if (registryUrl.protocol === 'https:' && url.protocol === 'http:') {
    throw new OrasError('REGISTRY_ERROR', `refusing token realm ${url.origin}: it downgrades ${registryUrl.host} from https to plain http`);
  }
  if (url.hostname !== registryUrl.hostname && isPrivateOrLoopbackHost(url.hostname)) {
    throw new OrasError('REGISTRY_ERROR', `refusing token realm ${url.origin}: it points at a private or loopback host other than the registry ${registryUrl.host}`);
  }
  return url;
}
