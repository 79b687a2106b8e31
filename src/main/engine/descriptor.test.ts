import { describe, expect, it } from 'vitest';
import { Annotation, assertAnnotations, assertDescriptor, descriptorKey, titleOf, type Descriptor } from './descriptor';
import { MediaType } from './media-type';
import { thrown } from './testing/expect-error';

const D256 = 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';
const D512 =
  'sha512:9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043';

const base = { mediaType: 'text/plain', digest: D256, size: 5 };

describe('assertDescriptor accepts', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['the minimum', base],
    ['size 0', { ...base, size: 0 }],
    ['the largest safe size', { ...base, size: Number.MAX_SAFE_INTEGER }],
    ['a sha512 digest', { ...base, digest: D512 }],
    ['a media type with parameters', { ...base, mediaType: 'text/plain; charset=utf-8' }],
    ['an OCI manifest type', { ...base, mediaType: MediaType.ImageManifest }],
    ['annotations', { ...base, annotations: { [Annotation.Title]: 'hello.txt', 'x.y': '' } }],
    ['empty annotations', { ...base, annotations: {} }],
    ['urls', { ...base, urls: ['https://example.com/blob'] }],
    ['empty urls', { ...base, urls: [] }],
    ['an artifactType', { ...base, artifactType: 'application/vnd.acme.rocket.v1' }],
    ['inline data', { ...base, data: 'aGVsbG8=' }],
    ['empty inline data', { ...base, size: 0, data: '' }],
    ['a platform', { ...base, platform: { architecture: 'amd64', os: 'linux' } }],
    [
      'a full platform',
      { ...base, platform: { architecture: 'arm64', os: 'windows', 'os.version': '10.0', 'os.features': ['win32k'], variant: 'v8' } },
    ],
    ['unknown extra fields', { ...base, 'x-extra': { anything: 1 } }],
  ];

  it.each(cases)('%s', (_label, value) => {
    expect(assertDescriptor(value, 'layer 0')).toBe(value);
  });

  it('accepts a descriptor parsed from JSON', () => {
    const json = JSON.stringify({ ...base, annotations: { [Annotation.Title]: 'hello.txt' } });
    const desc = assertDescriptor(JSON.parse(json), 'config');
    expect(titleOf(desc)).toBe('hello.txt');
    expect(descriptorKey(desc)).toBe(D256);
  });
});

describe('assertDescriptor refuses', () => {
  const cases: Array<[label: string, value: unknown, fragment: string]> = [
    ['undefined', undefined, 'layer 0 is not a descriptor object'],
    ['null', null, 'layer 0 is not a descriptor object'],
    ['a string', 'sha256:abc', 'is not a descriptor object'],
    ['a number', 5, 'is not a descriptor object'],
    ['an array', [base], 'is not a descriptor object'],
    ['a missing mediaType', { digest: D256, size: 5 }, 'layer 0 has an invalid mediaType'],
    ['a numeric mediaType', { ...base, mediaType: 5 }, 'invalid mediaType 5'],
    ['an empty mediaType', { ...base, mediaType: '' }, 'invalid mediaType ""'],
    ['a mediaType without subtype', { ...base, mediaType: 'text' }, 'invalid mediaType "text"'],
    ['a missing digest', { mediaType: 'text/plain', size: 5 }, 'layer 0 has no digest'],
    ['a numeric digest', { ...base, digest: 5 }, 'layer 0 has no digest'],
    ['a short digest', { ...base, digest: 'sha256:abc' }, 'layer 0: invalid sha256 digest "sha256:abc"'],
    ['an md5 digest', { ...base, digest: `md5:${'a'.repeat(32)}` }, 'unsupported digest algorithm "md5"'],
    ['an uppercase digest', { ...base, digest: D256.toUpperCase() }, 'layer 0: unsupported digest algorithm "SHA256"'],
    ['a missing size', { mediaType: 'text/plain', digest: D256 }, 'layer 0 has an invalid size undefined'],
    ['a string size', { ...base, size: '5' }, 'invalid size "5"'],
    ['a negative size', { ...base, size: -1 }, 'invalid size -1'],
    ['a fractional size', { ...base, size: 1.5 }, 'invalid size 1.5'],
    ['an unsafe size', { ...base, size: Number.MAX_SAFE_INTEGER + 1 }, 'invalid size'],
    ['a NaN size', { ...base, size: Number.NaN }, 'invalid size'],
    ['an infinite size', { ...base, size: Number.POSITIVE_INFINITY }, 'invalid size'],
    ['a null size', { ...base, size: null }, 'invalid size null'],
    ['annotations as an array', { ...base, annotations: ['a'] }, 'layer 0 annotations must be an object of strings'],
    ['annotations as null', { ...base, annotations: null }, 'layer 0 annotations must be an object of strings'],
    ['a numeric annotation', { ...base, annotations: { a: 'x', b: 1 } }, 'layer 0 annotations: value of "b" must be a string'],
    ['urls as a string', { ...base, urls: 'https://example.com' }, 'layer 0 has invalid urls'],
    ['urls holding a number', { ...base, urls: ['https://example.com', 1] }, 'invalid urls'],
    ['a numeric artifactType', { ...base, artifactType: 1 }, 'invalid artifactType 1'],
    ['an invalid artifactType', { ...base, artifactType: 'rocket' }, 'invalid artifactType "rocket"'],
    ['numeric data', { ...base, data: 1 }, 'invalid data'],
    ['non-base64 data', { ...base, data: 'hello!' }, 'invalid data: expected a base64 string'],
    ['a platform string', { ...base, platform: 'linux/amd64' }, 'layer 0 platform is not an object'],
    ['a platform without os', { ...base, platform: { architecture: 'amd64' } }, 'layer 0 platform has no os string'],
    ['a platform without architecture', { ...base, platform: { os: 'linux' } }, 'has no architecture string'],
    ['a numeric variant', { ...base, platform: { architecture: 'arm', os: 'linux', variant: 7 } }, 'variant must be a string'],
    [
      'os.features as a string',
      { ...base, platform: { architecture: 'amd64', os: 'windows', 'os.features': 'win32k' } },
      'os.features must be an array of strings',
    ],
  ];

  it.each(cases)('%s', (_label, value, fragment) => {
    const err = thrown(() => assertDescriptor(value, 'layer 0'));
    expect(err.code).toBe('INVALID_MANIFEST');
    expect(err.message).toContain(fragment);
  });
});

describe('assertAnnotations', () => {
  it.each<[string, unknown]>([
    ['empty', {}],
    ['strings', { [Annotation.Title]: 'a.txt', [Annotation.Created]: '2024-01-01T00:00:00Z' }],
    ['empty strings', { '': '' }],
    ['unicode', { 'é': '🚀' }],
    ['from JSON with a __proto__ key', JSON.parse('{"__proto__": "x"}')],
    ['with a null prototype', Object.assign(Object.create(null) as object, { a: 'b' })],
  ])('accepts %s', (_label, value) => {
    expect(assertAnnotations(value, 'manifest annotations')).toBe(value);
  });

  it.each<[string, unknown, string]>([
    ['undefined', undefined, 'manifest annotations must be an object of strings'],
    ['null', null, 'must be an object of strings'],
    ['a string', 'a=b', 'must be an object of strings'],
    ['an array', [['a', 'b']], 'must be an object of strings'],
    ['a Map', new Map([['a', 'b']]), 'must be a plain object of strings'],
    ['a number value', { a: 1 }, 'manifest annotations: value of "a" must be a string'],
    ['a boolean value', { ok: 'yes', flag: true }, 'value of "flag" must be a string'],
    ['a null value', { a: null }, 'value of "a" must be a string'],
    ['an object value', { a: { b: 'c' } }, 'value of "a" must be a string'],
    ['an array value', { a: ['b'] }, 'value of "a" must be a string'],
    ['a non-string __proto__ from JSON', JSON.parse('{"__proto__": 1}'), 'value of "__proto__" must be a string'],
  ])('refuses %s', (_label, value, fragment) => {
    const err = thrown(() => assertAnnotations(value, 'manifest annotations'));
    expect(err.code).toBe('INVALID_MANIFEST');
    expect(err.message).toContain(fragment);
  });
});

describe('descriptorKey / titleOf', () => {
  it('keys by digest alone', () => {
    const a: Descriptor = { ...base, annotations: { [Annotation.Title]: 'a' } };
    const b: Descriptor = { ...base, mediaType: 'application/octet-stream' };
    expect(descriptorKey(a)).toBe(descriptorKey(b));
  });
  it('reads the title annotation', () => {
    expect(titleOf({ ...base, annotations: { [Annotation.Title]: 'rocket.txt' } })).toBe('rocket.txt');
    expect(titleOf(base)).toBeUndefined();
    expect(titleOf({ ...base, annotations: {} })).toBeUndefined();
  });
});
