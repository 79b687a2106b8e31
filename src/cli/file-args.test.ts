import { describe, expect, it } from 'vitest';
import { UsageError } from './errors';
import { assertUniqueTitles, parseFileArg, titleFor } from './file-args';

describe('parseFileArg', () => {
  it('splits path:mediaType at the last colon', () => {
    expect(parseFileArg('rocket.txt:text/plain')).toEqual({ path: 'rocket.txt', mediaType: 'text/plain' });
    expect(parseFileArg('rocket-config.json:application/vnd.acme.rocket.config.v1+json')).toEqual({
      path: 'rocket-config.json',
      mediaType: 'application/vnd.acme.rocket.config.v1+json',
    });
    expect(parseFileArg('a:b.txt:text/plain; charset=utf-8')).toEqual({ path: 'a:b.txt', mediaType: 'text/plain; charset=utf-8' });
  });

  it('leaves names without a media type whole', () => {
    expect(parseFileArg('rocket.txt')).toEqual({ path: 'rocket.txt' });
    expect(parseFileArg('notes:v2')).toEqual({ path: 'notes:v2' });
    expect(parseFileArg('C:\\data\\file.txt')).toEqual({ path: 'C:\\data\\file.txt' });
    expect(parseFileArg('C:\\data\\file.txt:text/plain')).toEqual({ path: 'C:\\data\\file.txt', mediaType: 'text/plain' });
    expect(parseFileArg('C:')).toEqual({ path: 'C:' });
    expect(parseFileArg(':text/plain')).toEqual({ path: ':text/plain' });
  });

  it('takes a trailing colon as the default media type', () => {
    expect(parseFileArg('rocket.txt:')).toEqual({ path: 'rocket.txt' });
  });

  it('keeps a file literally named with a colon and slash when it exists', () => {
    const exists = (p: string): boolean => p === 'dir:sub/file';
    expect(parseFileArg('dir:sub/file', exists)).toEqual({ path: 'dir:sub/file' });
    expect(parseFileArg('dir:sub/file')).toEqual({ path: 'dir', mediaType: 'sub/file' });
  });

  it('refuses a malformed media type as a usage error', () => {
    expect(() => parseFileArg('rocket.txt:text/pl ain')).toThrow(UsageError);
    expect(() => parseFileArg('rocket.txt:text/pl ain')).toThrow(/media type of rocket.txt/);
    expect(() => parseFileArg('')).toThrow(UsageError);
  });
});

describe('titleFor', () => {
  it('cleans relative names', () => {
    expect(titleFor('rocket.txt')).toBe('rocket.txt');
    expect(titleFor('./docs/a.txt')).toBe('docs/a.txt');
    expect(titleFor('docs/')).toBe('docs');
    expect(titleFor('a/../b.txt')).toBe('b.txt');
  });

  it('refuses absolute paths and .. unless validation is disabled', () => {
    expect(() => titleFor('/etc/passwd')).toThrow(/absolute file path.*--disable-path-validation/);
    expect(() => titleFor('../secret')).toThrow(/leaves the working folder/);
    expect(() => titleFor('a/../../secret')).toThrow(UsageError);
    expect(titleFor('/etc/passwd', true)).toBe('/etc/passwd');
    expect(titleFor('../x', true)).toBe('../x');
    expect(() => titleFor('.')).toThrow(/working folder itself/);
  });

  it('refuses the same name twice', () => {
    expect(() => assertUniqueTitles(['a', 'b', 'a'])).toThrow(/a is given twice/);
    expect(() => assertUniqueTitles(['a', 'b'])).not.toThrow();
  });
});
