import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppPage } from '../e2e/pages/app-page';
import { TagsView } from '../e2e/pages/browse-tags';
import { BrowseToolbar } from '../e2e/pages/browse-toolbar';
import { ensureBuilt } from '../e2e/support/build';
import { browserLauncher } from '../e2e/support/launchers';
import { seedTagsContent } from '../test/support/seed-browse';
import { makeTempDir, removeTempDir } from '../test/support/temp-dir';

/**
 * The tags view of a 10,000-tag repository in a real Chromium against browser mode
 * (the e2e launcher and page objects, not a copy): the time from opening the
 * repository's route to its first rows, the most rows in the DOM while scrolling to the
 * end and back, and the time "newest first" takes to read every tag's details (10,000
 * manifest HEADs and a few manifests through main) and show the newest tag on top.
 * Timings live here, not in the specs, where load made them flaky.
 */

export interface BrowseViewResult {
  tags: number;
  firstRowsMs: number;
  mostRowsInDom: number;
  newestFirstSeconds: number;
}

export async function benchBrowseView(registry: { host: string; dataDir: string }, count: number): Promise<BrowseViewResult> {
  ensureBuilt();
  const seeded = await seedTagsContent(registry.host, { tagCount: count, storageDir: registry.dataDir });
  const last = seeded.bulk.tags.at(-1)!;
  const dataDir = await makeTempDir('oras-bench-view-');
  // The registry is saved already, as "Add" would leave it.
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ version: 1, registries: [{ registry: registry.host, options: {} }] }));
  const session = await browserLauncher.launch(dataDir);
  try {
    const app = new AppPage(session.page);
    const tags = new TagsView(session.page);
    await session.open();
    await app.waitUntilLoaded();

    const opened = performance.now();
    await new BrowseToolbar(session.page).go(`#/r/${registry.host}/bulk/many`);
    await tags.tagLink('t00000').waitFor();
    const firstRowsMs = performance.now() - opened;

    let most = await tags.rows.count();
    for (let i = 0; i < 400 && (await tags.tagLink(last).count()) === 0; i++) {
      await tags.scrollToEnd();
      most = Math.max(most, await tags.rows.count());
    }
    await tags.tagLink(last).waitFor({ timeout: 1_000 });
    for (let i = 0; i < 10; i++) {
      await tags.scrollBy(-2_000);
      most = Math.max(most, await tags.rows.count());
    }

    await tags.list.evaluate((el) => el.scrollTo(0, 0));
    const sorting = performance.now();
    await tags.sort.selectOption('newest');
    await tags.readingAll.waitFor({ state: 'attached', timeout: 5_000 }).catch(() => undefined); // already done is fine
    await tags.readingAll.waitFor({ state: 'detached', timeout: 600_000 });
    // Manifest i % 5 === 4 is the newest: t00004 on top, by natural order among equals.
    await session.page.waitForFunction(() => document.querySelector('[aria-posinset="1"] .tag-name')?.textContent === 't00004', undefined, { timeout: 30_000 });
    const newestFirstSeconds = (performance.now() - sorting) / 1000;
    return { tags: count, firstRowsMs, mostRowsInDom: most, newestFirstSeconds };
  } finally {
    await session.close();
    await removeTempDir(dataDir);
  }
}
