import { OrasError } from '../errors';
import { header, readCapped, type HttpResponse } from '../transport/http';

const PAGE_BODY_LIMIT = 4 * 1024 * 1024;

/** nextPage reads RFC 5988 `Link: <url>; rel="next"`, same origin only (never follow a list elsewhere). */
export function nextPage(response: HttpResponse, current: URL): URL | undefined {
  const link = header(response, 'link');
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(part);
    if (!match) continue;
    const next = new URL(match[1]!, current);
    if (next.origin !== current.origin) {
      throw new OrasError('REGISTRY_ERROR', `the registry's next page link points at another origin (${next.origin}); refusing to follow it`);
    }
    return next;
  }
  return undefined;
}

/** readJsonPage reads one list page, capped at 4 MiB. */
export async function readJsonPage<T>(response: HttpResponse, what: string): Promise<T> {
  const body = await readCapped(response.body, PAGE_BODY_LIMIT, () => new OrasError('SIZE_LIMIT', `${what}: a page is larger than 4 MiB`));
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new OrasError('REGISTRY_ERROR', `${what}: the registry sent a page that is not JSON`);
  }
}

/** MAX_PAGES bounds a listing so a registry that links in a circle cannot keep us forever. */
export const MAX_PAGES = 10_000;

/** Page is one page of a list: its names, and the `last` to ask the next page with (absent on the last page). */
export interface Page {
  items: string[];
  next?: string;
}

/**
 * lastFor turns the next page's link into the `last` to ask it with: the link's own
 * `last` parameter (distribution puts it there), else the page's last name. Undefined
 * when there is no next page, or an empty page that cannot be continued.
 */
export function lastFor(link: URL | undefined, items: string[]): string | undefined {
  if (!link) return undefined;
  return link.searchParams.get('last') || items[items.length - 1];
}

/** readPage reads one list page of `field` (`tags`, `repositories`) and how to continue it. */
export async function readPage(response: HttpResponse, current: URL, field: string, what: string): Promise<Page> {
  let link: URL | undefined;
  try {
    link = nextPage(response, current);
  } catch (error) {
    response.body.destroy();
    throw error;
  }
  const body = await readJsonPage<Record<string, unknown>>(response, what);
  const list = body?.[field];
  if (list !== null && list !== undefined && !Array.isArray(list)) {
    throw new OrasError('REGISTRY_ERROR', `${what}: the registry's answer has no ${field} list`);
  }
  const items = ((list as unknown[] | null | undefined) ?? []).filter((t): t is string => typeof t === 'string');
  const next = lastFor(link, items);
  return { items, ...(next === undefined ? {} : { next }) };
}
