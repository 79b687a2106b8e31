import { describe, expect, it } from 'vitest';
import { parseTagList } from './tag-input';
import { tagsOfDigest } from './tags-of-digest';

describe('parseTagList', () => {
  it('splits on commas and spaces and drops duplicates', () => {
    expect(parseTagList(' v2, latest  v2\nstable ')).toEqual({ tags: ['v2', 'latest', 'stable'] });
  });
  it('names the first bad tag', () => {
    expect(parseTagList('ok -bad').error).toMatch(/“-bad” is not a tag/);
    expect(parseTagList('  ').error).toBe('Type at least one tag.');
    expect(parseTagList('a:b').error).toMatch(/“a:b”/);
  });
});

describe('tagsOfDigest', () => {
  const D = (c: string) => `sha256:${c.repeat(64)}`;
  const all = Array.from({ length: 250 }, (_, i) => `t${String(i).padStart(3, '0')}`);
  const digestOf = (tag: string) => (tag === 't007' || tag === 't201' ? D('a') : D('b'));
  const loaders = (pageSize: number) => ({
    calls: 0,
    async listTags({ last }: { last?: string }) {
      const from = last === undefined ? 0 : all.indexOf(last) + 1;
      const tags = all.slice(from, from + pageSize);
      return { tags, ...(from + pageSize < all.length ? { next: tags.at(-1)! } : {}) };
    },
    async tagDetails({ tags }: { tags: string[] }) {
      this.calls++;
      expect(tags.length).toBeLessThanOrEqual(100);
      return tags.map((tag) => ({ tag, digest: digestOf(tag) }));
    },
  });

  it('walks every page and finds every tag of the digest', async () => {
    const l = loaders(120);
    expect(await tagsOfDigest(l, { registry: 'r', repository: 'x' }, D('a'))).toEqual({ tags: ['t007', 't201'], partial: false });
    expect(l.calls).toBe(5); // pages of 120, 120, 10: 100+20, 100+20, 10
  });

  it('stops at the limit and says the answer may be partial', async () => {
    expect(await tagsOfDigest(loaders(100), { registry: 'r', repository: 'x' }, D('a'), 150)).toEqual({ tags: ['t007'], partial: true });
  });
});
