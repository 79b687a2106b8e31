import { rm } from 'node:fs/promises';
import type { TagDetail, TagsPage } from '../src/shared/browse';
import { browseApp, memoryLogins } from '../test/support/browse-app';
import { seedBrowseContent } from '../test/support/seed-browse';
import { makeTempDir } from '../test/support/temp-dir';
import { measure, type Measured } from './measure';

/**
 * "10,000 tags listed through the handlers": the repository `bulk/many` is seeded with
 * `count` tags (seedBrowseContent: tag files written into the registry's storage when
 * `storageDir` is given, else PUTs 16 at a time; its time is reported),
 * then a fresh process lists every page of tags, the details of the first 100 and
 * then of all (what "sort by newest" needs) through the very handlers the app binds,
 * under GNU time for its peak memory.
 */

export const BROWSE_TAGS_FLAG = '--browse-tags';

export interface BrowseTagsResult {
  seedSeconds: number;
  measured: Measured;
  tags: number;
  pages: number;
  detailsSeconds: number;
  allDetailsSeconds: number;
}

/** benchBrowseTags seeds the registry, then measures the listing in a child process running `script`. */
export async function benchBrowseTags(registryHost: string, count: number, script: string, storageDir?: string): Promise<BrowseTagsResult> {
  const seeded = await seedBrowseContent(registryHost, { tagCount: count, ...(storageDir ? { storageDir } : {}) });
  const measured = await measure(process.execPath, [script, BROWSE_TAGS_FLAG, registryHost]);
  const report = JSON.parse(measured.stdout.trim().split('\n').pop()!) as { tags: number; pages: number; detailsSeconds: number; allDetailsSeconds: number };
  if (report.tags < count) throw new Error(`listed ${report.tags} tags, expected ${count}`);
  return { seedSeconds: seeded.bulk.seconds, measured, ...report };
}

/** listTagsThroughHandlers is the child's work: every page, then details of the first 100; prints one JSON line. */
export async function listTagsThroughHandlers(registryHost: string): Promise<void> {
  const dataDir = await makeTempDir('oras-bench-browse-');
  const app = browseApp({ dataDir, logins: memoryLogins() });
  try {
    const tags: string[] = [];
    let pages = 0;
    let last: string | undefined;
    do {
      const page: TagsPage = await app.call('browse.tags', { registry: registryHost, repository: 'bulk/many', ...(last ? { last } : {}) });
      tags.push(...page.tags);
      last = page.next;
      pages++;
    } while (last);
    const started = performance.now();
    const details: TagDetail[] = await app.call('browse.tagDetails', { registry: registryHost, repository: 'bulk/many', tags: tags.slice(0, 100) });
    const detailsSeconds = (performance.now() - started) / 1000;
    const failed = details.filter((d) => d.error);
    if (failed.length > 0) throw new Error(`${failed.length} tag details failed: ${failed[0]!.error!.message}`);
    // Sorting by newest needs every tag's details: 100 a call, four calls at once, as a view would.
    const allStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let at = next; at < tags.length; at = next) {
          next += 100;
          const batch: TagDetail[] = await app.call('browse.tagDetails', { registry: registryHost, repository: 'bulk/many', tags: tags.slice(at, at + 100) });
          if (batch.some((d) => d.error)) throw new Error(`tag details failed: ${batch.find((d) => d.error)!.error!.message}`);
        }
      }),
    );
    const allDetailsSeconds = (performance.now() - allStarted) / 1000;
    console.log(JSON.stringify({ tags: tags.length, pages, detailsSeconds, allDetailsSeconds }));
  } finally {
    await app.services.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}
