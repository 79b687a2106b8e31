import { describe, expect, it } from 'vitest';
import { OrasError } from '../errors';
import { assertRealmAllowed, isPrivateOrLoopbackHost } from './realm-policy';

function refusal(realm: string, registry: string): OrasError {
  try {
    assertRealmAllowed(realm, new URL(registry));
  } catch (err) {
    expect(err).toBeInstanceOf(OrasError);
    return err as OrasError;
  }
  throw new Error(`expected ${realm} to be refused for ${registry}`);
}

describe('assertRealmAllowed', () => {
  it('allows a public https realm and returns it parsed', () => {
    const url = assertRealmAllowed('https://auth.docker.io/token?x=1', new URL('https://registry-1.docker.io/v2/'));
    expect(url).toBeInstanceOf(URL);
    expect(url.href).toBe('https://auth.docker.io/token?x=1');
  });

  it('allows an https realm for a plain-http registry, and http for http', () => {
    expect(() => assertRealmAllowed('https://auth.example.com/token', new URL('http://registry.example.com/'))).not.toThrow();
    expect(() => assertRealmAllowed('http://auth.example.com/token', new URL('http://registry.example.com/'))).not.toThrow();
  });

  it('refuses a plain-http realm for an https registry', () => {
    const err = refusal('http://auth.example.com/token', 'https://registry.example.com/v2/');
    expect(err.code).toBe('REGISTRY_ERROR');
    expect(err.message).toMatch(/downgrades/);
  });

  it.each([
    'https://10.0.0.5/token',
    'https://10.255.255.255/token',
    'https://192.168.1.10/token',
    'https://172.16.0.1/token',
    'https://172.31.255.1/token',
    'https://127.0.0.1/token',
    'https://127.8.9.10:8443/token',
    'https://localhost/token',
    'https://LOCALHOST:5000/token',
    'https://auth.localhost/token',
    'https://localhost./token',
    'https://[::1]/token',
    'https://[::]/token',
    'https://0.0.0.0/token',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/token',
    'https://[fd00::1]/token',
    'https://[fc00::abcd]/token',
    'https://[fe80::1]/token',
    // IPv4 in disguise: the URL parser rewrites all of these to a private address.
    'https://0x7f.1/token',
    'https://2130706433/token',
    'https://[::ffff:127.0.0.1]/token',
    'https://[::ffff:10.0.0.1]/token',
    'https://[::ffff:169.254.169.254]/token',
    'https://[::ffff:7f00:1]/token',
  ])('refuses the private or loopback realm %s on another host', (realm) => {
    const err = refusal(realm, 'https://registry.example.com/');
    expect(err.code).toBe('REGISTRY_ERROR');
    expect(err.message).toMatch(/private or loopback/);
  });

  it('refuses a loopback realm on another loopback host than the registry', () => {
    expect(refusal('http://127.0.0.2:5001/token', 'http://127.0.0.1:5000/').code).toBe('REGISTRY_ERROR');
    expect(refusal('http://localhost:5001/token', 'http://127.0.0.1:5000/').code).toBe('REGISTRY_ERROR');
  });

  it('allows a private realm on the registry host itself, on any port', () => {
    expect(assertRealmAllowed('http://127.0.0.1:5001/token', new URL('http://127.0.0.1:5000/')).port).toBe('5001');
    expect(() => assertRealmAllowed('http://localhost:8080/auth', new URL('http://localhost:5000/'))).not.toThrow();
    expect(() => assertRealmAllowed('https://10.1.2.3/auth', new URL('https://10.1.2.3:5000/'))).not.toThrow();
    expect(() => assertRealmAllowed('http://[::1]:9000/auth', new URL('http://[::1]:5000/'))).not.toThrow();
    expect(() => assertRealmAllowed('https://[fd00::1]:9000/auth', new URL('https://[fd00::1]/'))).not.toThrow();
  });

  it.each(['ftp://auth.example.com/token', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,x', 'ws://auth.example.com/'])(
    'refuses the non-http scheme %s',
    (realm) => {
      const err = refusal(realm, 'https://registry.example.com/');
      expect(err.code).toBe('REGISTRY_ERROR');
      expect(err.message).toMatch(/only http and https/);
    },
  );

  it('refuses a realm that is not a URL', () => {
    expect(refusal('/token', 'https://registry.example.com/').message).toMatch(/invalid token realm/);
    expect(refusal('', 'https://registry.example.com/').message).toMatch(/invalid token realm/);
  });
});

describe('isPrivateOrLoopbackHost', () => {
  it.each(['8.8.8.8', '172.32.0.1', '172.15.0.1', '192.169.0.1', '100.128.0.1', 'auth.docker.io', 'localhost.example.com', '2001:4860:4860::8888', '[2606:4700::1111]', 'fd.example.com', '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::808:808'])(
    'treats %s as public',
    (host) => {
      expect(isPrivateOrLoopbackHost(host)).toBe(false);
    },
  );

  it.each(['127.0.0.1', '10.1.1.1', '[::1]', '::1', 'fd12:3456::1', 'FE80::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '::127.0.0.1', '64:ff9b::a00:1', 'fec0::1', 'localhost.', '::'])(
    'treats %s as private or loopback',
    (host) => {
      expect(isPrivateOrLoopbackHost(host)).toBe(true);
    },
  );
});
