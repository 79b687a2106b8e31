import { describe, expect, it } from 'vitest';
import type { TagDetail } from '../../../shared/browse';
import { arrangeTags, compareNatural, groupByDigest, isReferrerTag, parseTagFilter } from './tag-list-logic';

const HEX = 'a'.repeat(64);

describe('parseTagFilter', () => {
  it('is no filter when empty or blank', () => {
    const f = parseTagFilter('  ');
    expect(f.kind).toBe('none');
    expect(f.test('anything')).toBe(true);
  });

  it('matches a substring, ignoring case', () => {
    const f = parseTagFilter('RC');
    expect(f.kind).toBe('substring');
    expect(['v1.0-rc1', 'v1.0', 'latest-rc'].filter(f.test)).toEqual(['v1.0-rc1', 'latest-rc']);
  });

  it('reads /regex/ and /regex/i', () => {
    const f = parseTagFilter('/^v1\\.\\d+$/');
    expect(f.kind).toBe('regex');
    expect(['v1.2', 'v1.20', 'v1.2-rc', 'V1.3'].filter(f.test)).toEqual(['v1.2', 'v1.20']);
    expect(parseTagFilter('/^v1/i').test('V1.3')).toBe(true);
  });

  it('says why a bad regex is bad and filters nothing', () => {
    const f = parseTagFilter('/v1[/');
    expect(f.error).toMatch(/^Not a valid regular expression: /);
    expect(f.test('anything')).toBe(true);
  });

  it('treats a lone slash as a substring', () => {
    expect(parseTagFilter('/').kind).toBe('substring');
  });
});

describe('compareNatural', () => {
  it('puts v1.10 after v1.9 and 10 after 2', () => {
    expect(['v1.10', 'v1.9', 'v1.2', '10', '2', 'latest'].sort(compareNatural)).toEqual(['2', '10', 'latest', 'v1.2', 'v1.9', 'v1.10']);
  });

  it('is a total order: case variants keep a stable place', () => {
    expect(['b', 'B', 'a'].sort(compareNatural)).toEqual(['a', 'B', 'b']);
  });
});

describe('isReferrerTag', () => {
  it('knows the tag schema and its suffixes', () => {
    expect(isReferrerTag(`sha256-${HEX}`)).toBe(true);
    expect(isReferrerTag(`sha256-${HEX}.sig`)).toBe(true);
    expect(isReferrerTag(`sha256-${HEX}.att`)).toBe(true);
    expect(isReferrerTag(`sha512-${'b'.repeat(128)}`)).toBe(true);
  });

  it('leaves chosen tags alone', () => {
    expect(isReferrerTag('latest')).toBe(false);
    expect(isReferrerTag('sha256-short')).toBe(false);
    expect(isReferrerTag(`sha256-${HEX}x`)).toBe(false);
    expect(isReferrerTag(`v1-sha256-${HEX}`)).toBe(false);
  });
});

describe('arrangeTags', () => {
  const details = new Map<string, TagDetail>([
    ['v1', { tag: 'v1', digest: 'sha256:1', created: '2024-01-02T00:00:00Z' }],
    ['latest', { tag: 'latest', digest: 'sha256:1', created: '2024-01-02T00:00:00Z' }],
    ['v1.10', { tag: 'v1.10', digest: 'sha256:2', created: '2024-03-01T00:00:00Z' }],
    ['v1.9', { tag: 'v1.9', digest: 'sha256:3', created: '2023-12-01T00:00:00Z' }],
  ]);
  const tags = ['v1.9', 'latest', 'v1.10', 'v1', `sha256-${HEX}.sig`, 'old'];
  const none = parseTagFilter('');

  it('hides referrer tags unless asked, sorts naturally', () => {
    expect(arrangeTags(tags, details, { filter: none, showReferrerTags: false, order: 'name' }).map((r) => r.tag)).toEqual([
      'latest',
      'old',
      'v1',
      'v1.9',
      'v1.10',
    ]);
    expect(arrangeTags(tags, details, { filter: none, showReferrerTags: true, order: 'name' })).toHaveLength(6);
  });

  it('sorts newest first, unknown times last', () => {
    expect(arrangeTags(tags, details, { filter: none, showReferrerTags: false, order: 'newest' }).map((r) => r.tag)).toEqual([
      'v1.10',
      'latest',
      'v1',
      'v1.9',
      'old',
    ]);
  });

  it('names the other tags on the same digest', () => {
    const rows = arrangeTags(tags, details, { filter: none, showReferrerTags: false, order: 'name' });
    expect(rows.find((r) => r.tag === 'v1')?.alsoTagged).toEqual(['latest']);
    expect(rows.find((r) => r.tag === 'v1.9')?.alsoTagged).toEqual([]);
  });

  it('groups over every listed tag: a filtered-out tag is still "also tagged"', () => {
    const rows = arrangeTags(tags, details, { filter: parseTagFilter('/^v1$/'), showReferrerTags: false, order: 'name' });
    expect(rows.map((r) => r.tag)).toEqual(['v1']);
    expect(rows[0]?.alsoTagged).toEqual(['latest']);
  });

  it('groupByDigest skips tags without details', () => {
    expect([...groupByDigest(['v1', 'old', 'latest'], details)]).toEqual([['sha256:1', ['latest', 'v1']]]);
  });
});
