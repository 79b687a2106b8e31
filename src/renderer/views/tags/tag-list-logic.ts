import type { TagDetail } from '../../../shared/browse';

/**
 * The tags view's pure logic: the filter (substring or `/regex/`), natural sort,
 * referrer tags of the tag schema, and grouping by digest. Kept apart from React so
 * every rule is a unit test.
 */

/** TagFilter is a parsed filter box: a test over a tag, or the reason the regex is bad. */
export interface TagFilter {
  kind: 'none' | 'substring' | 'regex';
  test(tag: string): boolean;
  /** Set when a `/regex/` does not compile; then nothing is filtered out. */
  error?: string;
}

const ALL: TagFilter = { kind: 'none', test: () => true };

/**
 * parseTagFilter reads the filter box: empty is no filter; `/…/` (with an optional `i`
 * flag, `/…/i`) is a regular expression; anything else a case-insensitive substring.
 * A regex that does not compile filters nothing and says why, so the list never
 * empties because of a typo.
 */
export function parseTagFilter(text: string): TagFilter {
  const input = text.trim();
  if (!input) return ALL;
  const regex = /^\/(.+)\/(i?)$/.exec(input);
  if (regex) {
    try {
      const pattern = new RegExp(regex[1]!, regex[2]);
      return { kind: 'regex', test: (tag) => pattern.test(tag) };
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
      return { ...ALL, kind: 'regex', error: `Not a valid regular expression: ${reason}` };
    }
  }
  const needle = input.toLowerCase();
  return { kind: 'substring', test: (tag) => tag.toLowerCase().includes(needle) };
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** compareNatural orders tags as people count: `v1.9` before `v1.10`, `2` before `10`. */
export function compareNatural(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * REFERRER_TAG matches the OCI distribution spec's referrers tag schema
 * (`<alg>-<hex>`, spec §"Referrers Tag Schema") and the cosign-style suffixes that
 * live beside it (`sha256-<hex>.sig`, `.att`, `.sbom`, …): tags that exist to attach
 * things, not versions a person chose.
 */
const REFERRER_TAG = /^(?:sha256-[a-f0-9]{64}|sha512-[a-f0-9]{128})(?:\.[A-Za-z0-9_-]+)?$/;

/** isReferrerTag tells a referrer tag of the tag schema from a tag a person chose. */
export function isReferrerTag(tag: string): boolean {
  return REFERRER_TAG.test(tag);
}

export type TagOrder = 'name' | 'newest';

/** TagRow is one row of the list: a tag, its details once known, and the other tags on its digest. */
export interface TagRow {
  tag: string;
  detail?: TagDetail;
  /** Other listed tags sharing this tag's digest, in natural order. */
  alsoTagged: string[];
}

export interface ArrangeOptions {
  filter: TagFilter;
  showReferrerTags: boolean;
  order: TagOrder;
}

/**
 * arrangeTags makes the rows the list shows: filtered, referrer tags hidden unless
 * asked for, sorted naturally or newest first (tags without a known time last, in
 * natural order), each with the other tags that share its digest.
 */
export function arrangeTags(tags: readonly string[], details: ReadonlyMap<string, TagDetail>, options: ArrangeOptions): TagRow[] {
  const kept = tags.filter((tag) => (options.showReferrerTags || !isReferrerTag(tag)) && options.filter.test(tag));
  // Grouped over every listed tag, so a filtered-out tag still shows as "also tagged".
  const byDigest = groupByDigest(tags, details);
  const rows = kept.map((tag): TagRow => {
    const detail = details.get(tag);
    const group = detail?.digest ? byDigest.get(detail.digest) : undefined;
    return { tag, ...(detail ? { detail } : {}), alsoTagged: group ? group.filter((t) => t !== tag) : [] };
  });
  if (options.order === 'newest') {
    const time = (row: TagRow) => {
      const t = row.detail?.created ? Date.parse(row.detail.created) : NaN;
      return Number.isNaN(t) ? -Infinity : t;
    };
    rows.sort((a, b) => time(b) - time(a) || compareNatural(a.tag, b.tag));
  } else {
    rows.sort((a, b) => compareNatural(a.tag, b.tag));
  }
  return rows;
}

/** groupByDigest maps each known digest to its tags (natural order), for "also tagged". */
export function groupByDigest(tags: readonly string[], details: ReadonlyMap<string, TagDetail>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const tag of tags) {
    const digest = details.get(tag)?.digest;
    if (!digest) continue;
    const group = groups.get(digest);
    if (group) group.push(tag);
    else groups.set(digest, [tag]);
  }
  for (const group of groups.values()) group.sort(compareNatural);
  return groups;
}
