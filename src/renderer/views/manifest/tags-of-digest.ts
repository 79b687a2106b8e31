import type { ListTagsRequest, TagDetail, TagDetailsRequest, TagsPage } from '../../../shared/browse';

/** TAGS_CHECKED_AT_MOST caps how many tags the delete confirmation reads to find those sharing a digest. */
export const TAGS_CHECKED_AT_MOST = 2000;

export interface TagsOfDigest {
  tags: string[];
  /** true when the repository has more tags than were checked: there may be more. */
  partial: boolean;
}

/**
 * tagsOfDigest finds the tags of a repository that point at `digest`, reading tag pages
 * and their details (100 a call, cached by digest in main) up to `limit` tags, so the
 * delete confirmation can name every tag that goes with the manifest.
 */
export async function tagsOfDigest(
  loaders: { listTags(r: ListTagsRequest): Promise<TagsPage>; tagDetails(r: TagDetailsRequest): Promise<TagDetail[]> },
  where: { registry: string; repository: string },
  digest: string,
  limit = TAGS_CHECKED_AT_MOST,
): Promise<TagsOfDigest> {
  const found: string[] = [];
  let checked = 0;
  let last: string | undefined;
  for (;;) {
    const page = await loaders.listTags({ ...where, ...(last !== undefined ? { last } : {}) });
    const tags = page.tags.slice(0, limit - checked);
    for (let i = 0; i < tags.length; i += 100) {
      const details = await loaders.tagDetails({ ...where, tags: tags.slice(i, i + 100) });
      for (const d of details) if (d.digest === digest) found.push(d.tag);
    }
    checked += tags.length;
    if (!page.next || page.tags.length === 0) return { tags: found, partial: false };
    if (checked >= limit) return { tags: found, partial: true };
    last = page.next;
  }
}
