import { describe, expect, it } from 'vitest';
import { goMapOf, htmlSafe } from './go-json';

describe('htmlSafe: JSON text with <, > and & as Go writes them', () => {
  it('escapes them inside strings, leaving the JSON the same to a parser', () => {
    const text = JSON.stringify({ 'a<b': 'x & <y>' });
    expect(htmlSafe(text)).toBe('{"a\\u003cb":"x \\u0026 \\u003cy\\u003e"}');
    expect(JSON.parse(htmlSafe(text))).toEqual(JSON.parse(text));
  });
});

describe('goMapOf: a document as Go decodes it into map[string]any and encodes it back', () => {
  it('sorts keys at every depth, arrays kept in order', () => {
    const text = '{"schemaVersion":2,"mediaType":"m","config":{"size":2,"digest":"d","mediaType":"c"},"layers":[{"size":1,"annotations":{"z":"1","a":"2"}}]}';
    expect(JSON.stringify(goMapOf(text))).toBe('{"config":{"digest":"d","mediaType":"c","size":2},"layers":[{"annotations":{"a":"2","z":"1"},"size":1}],"mediaType":"m","schemaVersion":2}');
  });

  it('orders keys by their UTF-8 bytes, as Go sorts strings', () => {
    expect(Object.keys(goMapOf('{"é":1,"z":2,"Z":3,"a.b":4}')!)).toEqual(['Z', 'a.b', 'z', 'é']);
  });

  it('is null for a document that is not a JSON object, as Go leaves the map nil', () => {
    expect(goMapOf('[1,2]')).toBeNull();
    expect(goMapOf('"x"')).toBeNull();
    expect(goMapOf('not json')).toBeNull();
  });
});
