import { tagSchema } from '../../../shared/browse';

/**
 * parseTagList reads the tags a person typed into "Add tag…": separated by commas or
 * spaces, duplicates dropped. Each is checked with the contract's tag rule; the error
 * names the first bad one.
 */
export function parseTagList(text: string): { tags: string[]; error?: string } {
  const tags = [...new Set(text.split(/[\s,]+/).filter(Boolean))];
  if (tags.length === 0) return { tags, error: 'Type at least one tag.' };
  if (tags.length > 100) return { tags, error: 'At most 100 tags at once.' };
  for (const tag of tags) {
    const checked = tagSchema.safeParse(tag);
    if (!checked.success) return { tags, error: `“${tag}” is not a tag: ${checked.error.issues[0]?.message ?? 'invalid'}.` };
  }
  return { tags };
}
