import { describe, expect, it } from 'vitest';
import { base64Bytes, decodeText, hexRows, previewKind } from './preview';

const bytes = (...b: number[]) => new Uint8Array(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('previewKind', () => {
  it('shows JSON pretty when the whole blob is JSON', () => {
    expect(previewKind(utf8('{"a":[1,2]}'), 'application/vnd.oci.image.config.v1+json', true)).toEqual({ kind: 'json', text: '{\n  "a": [\n    1,\n    2\n  ]\n}' });
    expect(previewKind(utf8('[1]'), 'application/octet-stream', true)).toMatchObject({ kind: 'json' });
    // Cut short, JSON cannot parse: shown as text.
    expect(previewKind(utf8('{"a":'), 'application/json', false)).toEqual({ kind: 'text', text: '{"a":' });
  });

  it('shows clean UTF-8 as text, keeping a character cut at the end of a partial head out', () => {
    expect(previewKind(utf8('hello\nwörld\t'), 'text/plain', true)).toEqual({ kind: 'text', text: 'hello\nwörld\t' });
    const cut = utf8('aé').subarray(0, 2); // "a" and the first byte of "é"
    expect(decodeText(cut, false)).toBe('a');
    expect(decodeText(cut, true)).toBeUndefined();
  });

  it('knows images by their magic bytes, and SVG by its tag or media type', () => {
    expect(previewKind(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0), undefined, true)).toEqual({ kind: 'image', mimeType: 'image/png' });
    expect(previewKind(bytes(0xff, 0xd8, 0xff, 0xe0), undefined, true)).toEqual({ kind: 'image', mimeType: 'image/jpeg' });
    expect(previewKind(utf8('GIF89a'), undefined, true)).toEqual({ kind: 'image', mimeType: 'image/gif' });
    expect(previewKind(utf8('RIFF\0\0\0\0WEBPVP8 '), undefined, true)).toEqual({ kind: 'image', mimeType: 'image/webp' });
    expect(previewKind(utf8('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'), 'text/xml', true)).toEqual({ kind: 'image', mimeType: 'image/svg+xml' });
    expect(previewKind(utf8('<x/>'), 'image/svg+xml', true)).toEqual({ kind: 'image', mimeType: 'image/svg+xml' });
  });

  it('falls back to hex for binary and control characters', () => {
    expect(previewKind(bytes(0x1f, 0x8b, 0x08, 0x00), 'application/vnd.oci.image.layer.v1.tar+gzip', true)).toEqual({ kind: 'hex' });
    expect(previewKind(utf8('text\u0000with nul'), 'text/plain', true)).toEqual({ kind: 'hex' });
    expect(previewKind(bytes(0xc3, 0x28), undefined, true)).toEqual({ kind: 'hex' });
  });

  it('decodes base64', () => {
    expect(Array.from(base64Bytes(btoa('\u0000\u00ffA')))).toEqual([0, 255, 65]);
  });
});

describe('hexRows', () => {
  it('dumps like hexdump -C', () => {
    const rows = hexRows(utf8('Hello, world!\n\u0001\u0002XYZ'));
    expect(rows).toEqual([
      { offset: '00000000', hex: '48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 01 02', ascii: 'Hello, world!...' },
      { offset: '00000010', hex: '58 59 5a', ascii: 'XYZ' },
    ]);
    expect(hexRows(new Uint8Array(0))).toEqual([]);
  });
});
