import { describe, expect, it } from 'vitest';
import {
  MANIFEST_MEDIA_TYPES,
  MediaType,
  assertMediaType,
  isIndexMediaType,
  isManifestMediaType,
  isValidMediaType,
} from './media-type';
import { thrown } from './testing/expect-error';
import { quoted } from './echo';

describe('valid media types', () => {
  const valid = [
    'text/plain',
    'TEXT/Plain',
    'application/json',
    'application/vnd.acme.rocket.config.v1+json',
    'application/vnd.oci.image.layer.v1.tar+gzip',
    'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
    'application/x-www-form-urlencoded',
    'application/octet-stream',
    'x/y',
    '1/2',
    "a/b!#$&^_.+-",
    `${'a'.repeat(127)}/${'b'.repeat(127)}`,
    'text/plain; charset=utf-8',
    'text/plain;charset=utf-8',
    'text/plain ; charset=utf-8',
    'text/plain;\tcharset=utf-8',
    'application/vnd.foo+json; version=1; profile=full',
    'text/plain; charset="utf-8"',
    'text/plain; note="a b; c/d"',
    'text/plain; note="escaped \\" quote"',
    'text/plain; note=""',
    ...Object.values(MediaType),
  ];

  it.each(valid)('%s', (mediaType) => {
    expect(isValidMediaType(mediaType)).toBe(true);
    expect(assertMediaType(mediaType)).toBe(mediaType);
  });
});

describe('invalid media types', () => {
  const cases: Array<[label: string, mediaType: string, ...fragments: string[]]> = [
    ['empty', '', 'it is empty', 'e.g. text/plain'],
    ['no slash', 'text', 'needs a type and a subtype separated by "/"'],
    ['no type', '/plain', 'the type before "/" is empty'],
    ['no subtype', 'text/', 'the subtype after "/" is empty'],
    ['only a slash', '/', 'the type before "/" is empty'],
    ['two slashes', 'text/plain/x', 'more than one "/"'],
    ['leading space', ' text/plain', 'leading or trailing white space'],
    ['trailing space', 'text/plain ', 'leading or trailing white space'],
    ['trailing newline', 'text/plain\n', 'it holds a newline'],
    ['space in subtype', 'text/pla in', 'subtype "pla in" holds white space'],
    ['space around slash', 'text / plain', 'type "text " holds white space'],
    ['tab in type', 'te\txt/plain', 'type "te\\txt" holds white space'],
    ['non-ASCII in subtype', 'text/plaín', 'holds "í"', 'printable ASCII'],
    ['emoji', 'application/🚀', 'printable ASCII'],
    ['control character', 'text/pl\u0000ain', 'printable ASCII'],
    ['line break in parameter', 'text/plain;\r\nx=y', 'printable ASCII'],
    ['128-character type', `${'a'.repeat(128)}/plain`, 'is 128 characters long', 'at most 127'],
    ['128-character subtype', `text/${'b'.repeat(128)}`, 'subtype', 'is 128 characters long'],
    ['leading dot in subtype', 'text/.plain', 'subtype ".plain" must start with a letter or digit'],
    ['leading dot in type', '.text/plain', 'type ".text" must start with a letter or digit'],
    ['leading plus', 'application/+json', 'subtype "+json" must start'],
    ['leading dash', '-x/y', 'type "-x" must start'],
    ['parenthesis', 'text/plain(1)', 'subtype "plain(1)" holds "("'],
    ['comma', 'text/plain,html', 'subtype "plain,html" holds ","'],
    ['two media types', 'text/plain,text/html', 'more than one "/"'],
    ['equals sign in subtype', 'text/a=b', 'holds "="'],
    ['wildcard', 'text/*', 'subtype "*" must start with a letter or digit'],
    ['star inside', 'text/a*b', 'holds "*"'],
    ['at sign', 'a@b/c', 'type "a@b" holds "@"'],
    ['empty parameter', 'text/plain;', 'parameter "" must be name=value'],
    ['parameter without value', 'text/plain; charset', 'parameter "charset" must be name=value'],
    ['parameter with empty value', 'text/plain; charset=', 'parameter "charset="'],
    ['unterminated quoted value', 'text/plain; a="b', 'parameter "a=\\"b"'],
    ['space in unquoted value', 'text/plain; a=b c', 'parameter "a=b c"'],
    ['space before equals', 'text/plain; a =b', 'parameter "a =b"'],
  ];

  it('covers at least 15 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)('%s: %j', (_label, mediaType, ...fragments) => {
    expect(isValidMediaType(mediaType)).toBe(false);
    const err = thrown(() => assertMediaType(mediaType, 'layer rocket.txt'));
    expect(err.code).toBe('INVALID_MEDIA_TYPE');
    expect(err.message).toContain(`invalid layer rocket.txt ${quoted(mediaType)}: `);
    for (const fragment of fragments) expect(err.message).toContain(fragment);
  });

  it('names "media type" by default', () => {
    expect(thrown(() => assertMediaType('text')).message).toMatch(/^invalid media type "text": /);
  });

  it.each([undefined, null, 42, {}, ['text/plain']])('refuses the non-string %j', (value) => {
    expect(isValidMediaType(value as unknown as string)).toBe(false);
    const err = thrown(() => assertMediaType(value as unknown as string));
    expect(err.code).toBe('INVALID_MEDIA_TYPE');
    expect(err.message).toContain('expected a string');
  });
});

describe('manifest media types', () => {
  it.each([
    [MediaType.ImageManifest, true, false],
    [MediaType.ImageIndex, true, true],
    [MediaType.DockerManifest, true, false],
    [MediaType.DockerManifestList, true, true],
    [MediaType.ImageConfig, false, false],
    [MediaType.ImageLayer, false, false],
    ['text/plain', false, false],
    [`${MediaType.ImageManifest}; charset=utf-8`, false, false],
  ])('%s: manifest %s, index %s', (mediaType, manifest, index) => {
    expect(isManifestMediaType(mediaType)).toBe(manifest);
    expect(isIndexMediaType(mediaType)).toBe(index);
  });

  it('lists exactly the four manifest types', () => {
    expect([...MANIFEST_MEDIA_TYPES].sort()).toEqual(
      [MediaType.ImageManifest, MediaType.ImageIndex, MediaType.DockerManifest, MediaType.DockerManifestList].sort(),
    );
  });
});
