import { OrasError } from '../errors';
import { pullScope, repoUrl, send, type RepoContext } from './context';
import { MAX_PAGES, nextPage, readJsonPage, readPage, type Page } from './paging';

export interface ListOptions {
  signal?: AbortSignal;
  /** Start after this name (the spec's `last`). */
  last?: string;
  /** Ask for pages of this size (the spec's `n`). Default: the registry's choice. */
  pageSize?: number;
}

/** listTags yields a repository's tags page by page, following `Link` on the same origin. */
export async function* listTags(ctx: RepoContext, options: ListOptions = {}): AsyncGenerator<string> {
  const what = `tags of ${ctx.client.registry}/${ctx.repository}`;
  let url: URL | undefined = repoUrl(ctx, 'tags/list');
  if (options.pageSize) url.searchParams.set('n', String(options.pageSize));
  if (options.last) url.searchParams.set('last', options.last);
  for (let page = 0; url; page++) {
    if (page >= MAX_PAGES) throw new OrasError('SIZE_LIMIT', `${what}: more than ${MAX_PAGES} pages`);
    const response = await send(ctx, { method: 'GET', url, scopes: [pullScope(ctx.repository)], signal: options.signal }, [200], what);
    const next = nextPage(response, url);
    const body = await readJsonPage<{ tags?: unknown }>(response, what);
    if (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags)) {
      throw new OrasError('REGISTRY_ERROR', `${what}: the registry's answer has no tag list`);
    }
    for (const tag of (body.tags as unknown[] | null | undefined) ?? []) if (typeof tag === 'string') yield tag;
    url = next;
  }
}

/**
 * listTagsPage reads one page of tags (`n` = `pageSize`, after `last`) and says how to
 * ask for the next, so a view can page as the user scrolls.
 */
export async function listTagsPage(ctx: RepoContext, options: ListOptions = {}): Promise<Page> {
  const what = `tags of ${ctx.client.registry}/${ctx.repository}`;
  const url = repoUrl(ctx, 'tags/list');
  if (options.pageSize) url.searchParams.set('n', String(options.pageSize));
  if (options.last) url.searchParams.set('last', options.last);
  const response = await send(ctx, { method: 'GET', url, scopes: [pullScope(ctx.repository)], signal: options.signal }, [200], what);
  return readPage(response, url, 'tags', what);
}
