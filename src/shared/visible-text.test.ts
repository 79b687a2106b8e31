import { describe, expect, it } from 'vitest';
import { showControls } from './visible-text';

describe('showControls', () => {
  it('shows the hostile title of issue 11 instead of obeying it', () => {
    expect(showControls('\u001b]0;pwned\u0007\u001b[2Jx.txt')).toBe('\\u001b]0;pwned\\u0007\\u001b[2Jx.txt');
  });

  it('escapes every C0 control, DEL and every C1 control, line breaks and tabs included', () => {
    for (let code = 0; code <= 0x9f; code++) {
      if (code >= 0x20 && code < 0x7f) continue;
      const shown = showControls(`a${String.fromCharCode(code)}b`);
      expect(shown, `U+${code.toString(16)}`).toMatch(/^a\\(n|r|t|u[0-9a-f]{4})b$/);
    }
    expect(showControls('a\nb\tc\rd\u0000e\u007f\u009b')).toBe('a\\nb\\tc\\rd\\u0000e\\u007f\\u009b');
  });

  it('escapes bidi controls and characters that hide text', () => {
    const hidden = ['\u061c', '\u200b', '\u200e', '\u200f', '\u2028', '\u2029', '\u202a', '\u202e', '\u2060', '\u2066', '\u2069', '\ufeff'];
    for (const ch of hidden) expect(showControls(`x${ch}y`)).toBe(`x\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}y`);
  });

  it('leaves printable text alone: accents, emoji, right-to-left letters, backslashes', () => {
    const text = 'café 🚀 שלום C:\\path ├── sha256:abc …';
    expect(showControls(text)).toBe(text);
  });

  it('keeps only the characters asked for', () => {
    expect(showControls('a\nb\tc\u001b', '\n')).toBe('a\nb\\tc\\u001b');
    expect(showControls('a\nb\tc\u001b', '\n\t')).toBe('a\nb\tc\\u001b');
  });

  it('is idempotent, so escaping twice reads the same', () => {
    const once = showControls('\u001b[2J\u202e\u0000\n');
    expect(showControls(once)).toBe(once);
  });

  it('turns JSON text into the same JSON with nothing a terminal obeys', () => {
    const value = { title: '\u001b]0;x\u0007\u009b\u007f\u202egnp.exe\u2028', n: 1 };
    const safe = showControls(JSON.stringify(value, null, 2), '\n');
    expect(JSON.parse(safe)).toEqual(value);
    // eslint-disable-next-line no-control-regex
    expect(safe).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2028]/);
  });
});
