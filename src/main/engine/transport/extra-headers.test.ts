import { describe, expect, it } from 'vitest';
import { OrasError } from '../errors';
import { extraHeadersLayer, parseExtraHeaders } from './extra-headers';
import type { HttpRequest, Send } from './http';

function recorder(): { send: Send; seen: HttpRequest[] } {
  const seen: HttpRequest[] = [];
  const send: Send = async (request) => {
    seen.push(request);
    return { status: 200, headers: {}, body: undefined as never, url: request.url };
  };
  return { send, seen };
}

describe('parseExtraHeaders', () => {
  it('splits at the first colon, trims the value, folds names, joins repeats', () => {
    expect(parseExtraHeaders(['X-Team: rockets', 'x-team:moon', 'X-Url:http://a:1/'])).toEqual({ 'x-team': 'rockets, moon', 'x-url': 'http://a:1/' });
    expect(parseExtraHeaders(['X-Empty:'])).toEqual({ 'x-empty': '' });
  });

  it.each([
    ['no colon', 'X-Team', /invalid header "X-Team": write it as name:value/],
    ['no name', ':v', /invalid header ":v"/],
    ['a space in the name', 'X Team: v', /invalid header name "X Team"/],
    ['a line break in the value', 'X-A: b\r\nHost: evil', /invalid value for header "X-A"/],
  ])('refuses %s', (_what, line, message) => {
    expect(() => parseExtraHeaders([line])).toThrow(message);
    expect(() => parseExtraHeaders([line])).toThrow(OrasError);
  });
});

describe('extraHeadersLayer', () => {
  const origin = 'https://registry.example';

  it('adds the headers to requests for the registry origin only', async () => {
    const { send, seen } = recorder();
    const layered = extraHeadersLayer(send, origin, { 'x-team': 'rockets' });
    await layered({ method: 'GET', url: new URL('https://registry.example/v2/') });
    await layered({ method: 'GET', url: new URL('https://auth.example/token') });
    await layered({ method: 'GET', url: new URL('http://registry.example/v2/') });
    await layered({ method: 'GET', url: new URL('https://registry.example:8443/v2/') });
    expect(seen.map((r) => r.headers?.['x-team'])).toEqual(['rockets', undefined, undefined, undefined]);
  });

  it("keeps the engine's own headers over the user's", async () => {
    const { send, seen } = recorder();
    const layered = extraHeadersLayer(send, origin, { accept: 'text/plain', authorization: 'Bearer user', 'x-a': '1' });
    await layered({ method: 'GET', url: new URL('https://registry.example/v2/r/manifests/v1'), headers: { Accept: 'application/vnd.oci.image.manifest.v1+json', authorization: 'Basic engine' } });
    expect(seen[0]!.headers).toEqual({ 'x-a': '1', Accept: 'application/vnd.oci.image.manifest.v1+json', authorization: 'Basic engine' });
  });

  it('compares names in any case, as a library caller may spell them', async () => {
    const { send, seen } = recorder();
    const layered = extraHeadersLayer(send, origin, { Accept: 'text/plain', 'X-Team': 'rockets' });
    await layered({ method: 'GET', url: new URL('https://registry.example/v2/'), headers: { accept: 'application/json' } });
    expect(seen[0]!.headers).toEqual({ 'x-team': 'rockets', accept: 'application/json' });
  });

  it('is the next layer itself when there are no headers', () => {
    const { send } = recorder();
    expect(extraHeadersLayer(send, origin, undefined)).toBe(send);
    expect(extraHeadersLayer(send, origin, {})).toBe(send);
  });
});
