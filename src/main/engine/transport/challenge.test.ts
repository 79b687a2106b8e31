import { describe, expect, it } from 'vitest';
import { parseChallenge } from './challenge';

describe('parseChallenge', () => {
  it('reads a Basic challenge with a quoted realm', () => {
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
  });

  it('reads a Bearer challenge with realm, service and scope', () => {
    const header = 'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:library/alpine:pull"';
    expect(parseChallenge(header)).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example.com/token',
        service: 'registry.example.com',
        scope: 'repository:library/alpine:pull',
      },
    });
  });

  it('lowercases the scheme and the parameter names, not the values', () => {
    expect(parseChallenge('BEARER Realm="https://Auth.Example/Token",SERVICE="Reg"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://Auth.Example/Token', service: 'Reg' },
    });
  });

  it('accepts unquoted token values and spaces around = and ,', () => {
    expect(parseChallenge('Bearer realm = "https://a/t" , service=registry.local ,error=invalid_token')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://a/t', service: 'registry.local', error: 'invalid_token' },
    });
  });

  it('unescapes backslash-escaped quotes and backslashes in quoted values', () => {
    const parsed = parseChallenge('Basic realm="say \\"hi\\" to C:\\\\path", charset="UTF-8"');
    expect(parsed?.params).toEqual({ realm: 'say "hi" to C:\\path', charset: 'UTF-8' });
  });

  it('keeps several scopes in one scope parameter, space-separated', () => {
    const parsed = parseChallenge('Bearer realm="https://a/t",scope="repository:a:pull repository:b:pull,push"');
    expect(parsed?.params.scope).toBe('repository:a:pull repository:b:pull,push');
    expect(parsed?.params.scope?.split(' ')).toEqual(['repository:a:pull', 'repository:b:pull,push']);
  });

  it('reads a scheme with no parameters', () => {
    expect(parseChallenge('Bearer')).toEqual({ scheme: 'bearer', params: {} });
  });

  it('reads only the first challenge of a header listing several', () => {
    expect(parseChallenge('Basic realm="first", Bearer realm="https://a/t"')).toEqual({ scheme: 'basic', params: { realm: 'first' } });
  });

  it('returns undefined for a missing or empty header', () => {
    expect(parseChallenge(undefined)).toBeUndefined();
    expect(parseChallenge('')).toBeUndefined();
    expect(parseChallenge('   ')).toBeUndefined();
  });

  it('does not throw on garbage and keeps no half-parsed parameter', () => {
    for (const garbage of ['""', '=', '==', '"Bearer"', '123 realm="x"', ',,,', '\u0000\u0001', '{"realm":"x"}']) {
      expect(() => parseChallenge(garbage)).not.toThrow();
      expect(parseChallenge(garbage)?.params.realm).toBeUndefined();
    }
    // A quoted value followed by junk, or an unterminated one, stops parsing there.
    expect(parseChallenge('Bearer realm="https://a/t,service="x"')?.params).toEqual({});
    expect(parseChallenge('Bearer service="reg",realm="unterminated')?.params).toEqual({ service: 'reg' });
    // A long hostile header does not hang the parser.
    const started = Date.now();
    parseChallenge(`Bearer realm="${'\\'.repeat(50_000)}`);
    parseChallenge(`Bearer ${'a=b,'.repeat(20_000)}x`);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
