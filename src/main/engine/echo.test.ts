import { describe, expect, it } from 'vitest';
import { ECHO_MAX_CHARS, cut, quoted, shortDigest } from './echo';

describe('quoted', () => {
  it('quotes short values as they are', () => {
    expect(quoted('mystuff/rocket')).toBe('"mystuff/rocket"');
  });

  it('cuts long values to about 80 characters with "…"', () => {
    const shown = quoted('a'.repeat(300));
    expect(shown).toBe(`"${'a'.repeat(ECHO_MAX_CHARS - 1)}…"`);
    expect(shown.length).toBe(ECHO_MAX_CHARS + 2);
  });

  it('makes newlines, escapes, quotes and bidi overrides visible', () => {
    expect(quoted('a\nb')).toBe('"a\\nb"');
    expect(quoted('\u001b]0;pwned\u0007')).toBe('"\\u001b]0;pwned\\u0007"');
    expect(quoted('say "hi" \\')).toBe('"say \\"hi\\" \\\\"');
    expect(quoted('abc\u202edef')).toBe('"abc\\u202edef"');
    expect(quoted('\u0085\u007f')).toBe('"\\u0085\\u007f"');
  });

  it('never cuts a character in half', () => {
    const shown = quoted('🚀'.repeat(100));
    expect(shown).toBe(`"${'🚀'.repeat(ECHO_MAX_CHARS - 1)}…"`);
  });

  it('shows what is not a string as JSON', () => {
    expect(quoted(12)).toBe('12');
    expect(quoted({ a: 1 })).toBe('{"a":1}');
    expect(quoted(undefined)).toBe('undefined');
  });
});

describe('cut', () => {
  it('keeps text bare but escapes control characters and shortens it', () => {
    expect(cut('requested access to the resource is denied')).toBe('requested access to the resource is denied');
    expect(cut('a\u001b[2Jb')).toBe('a\\u001b[2Jb');
    expect(cut('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('shortDigest', () => {
  it('shows the algorithm and 12 hex digits', () => {
    expect(shortDigest(`sha256:${'ab'.repeat(32)}`)).toBe('sha256:abababababab…');
  });

  it('cuts what is not a digest like any input', () => {
    expect(shortDigest('nonsense\n')).toBe('nonsense\\n');
  });
});
