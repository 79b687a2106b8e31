import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type Registry } from '../test/support/registry';
import { seedTagsContent, type TagsContent } from '../test/support/seed-browse';
import { makeTempDir, removeTempDir } from '../test/support/tmp';
import { AppPage } from './pages/app-page';
import { TagsView } from './pages/browse-tags';
import { AddTagsDialog, DeleteManifestDialog } from './pages/manifest-jobs';
import { BrowseToolbar } from './pages/browse-toolbar';
import { contrastOf, unnamedControls } from './support/a11y';
import { launchers, VIEWPORT, type AppSession } from './support/launchers';
import { screenshot } from './support/screenshots';

/**
 * The tags view, end to end: browser mode in Chromium against a real registry with a
 * small repository (versions, a tag sharing a digest, a referrer tag) and one of
 * 10,000 tags. Natural order, filters, referrer tags, newest first (and its Cancel on 10,000 tags),
 * a virtual list that keeps well under 200 rows in the DOM, keyboard paths, and
 * pictures in both themes at 800×600 (the error state included).
 */

const MAX_ROWS_IN_DOM = 200;

for (const launcher of launchers.filter((l) => l.name === 'browser')) {
  describe.skipIf(launcher.skipReason !== undefined)(`tags view (${launcher.title})`, () => {
    let registry: Registry;
    let seed: TagsContent;
    let dataDir: string;
    let session: AppSession;
    let app: AppPage;
    let toolbar: BrowseToolbar;
    let tags: TagsView;
    let host: string;
    const shot = (name: string) => screenshot(app.page, `${launcher.name}-tags-${name}`);

    beforeAll(async () => {
      registry = await startRegistry();
      host = registry.host;
      seed = await seedTagsContent(registry.host, { storageDir: registry.dataDir });
      dataDir = await makeTempDir('oras-e2e-tags-');
      session = await launcher.launch(dataDir);
      app = new AppPage(session.page);
      session.page.on('pageerror', (e) => console.error(`e2e: the page threw: ${e.message}`));
      toolbar = new BrowseToolbar(session.page);
      tags = new TagsView(session.page);
      await session.open();
      await app.waitUntilLoaded();
      await app.sidebar.addRegistry(host);
    }, 240_000);

    afterAll(async () => {
      await session?.close();
      await registry?.stop();
      if (dataDir) await removeTempDir(dataDir);
    });

    it('lists tags in natural order, referrer tags hidden, shared digests grouped', async () => {
      await toolbar.go(`#/r/${host}/team/app`);
      await tags.tagLink('v1').waitFor();
      expect(await tags.tagNames()).toEqual(['latest', 'rc1', 'v1', 'v1.9', 'v1.10']);
      expect(await tags.summary.textContent()).toBe('5 of 6 tags · referrer tags hidden');
      await expect.poll(() => tags.row('latest').locator('.tag-also').textContent()).toBe('also tagged v1.10');
      await expect.poll(() => tags.row('v1').locator('code').textContent()).toBe(seed.app['v1']!.slice(0, 'sha256:'.length + 12));
      expect(await tags.row('v1').locator('.tag-kind').getAttribute('title')).toBe('application/vnd.demo.docs.v1');
      expect(await tags.row('v1').locator('.tag-kind').textContent()).toBe('demo.docs.v1');
      await tags.showReferrerTags.check();
      expect(await tags.tagNames()).toContain(seed.referrerTag);
      await tags.showReferrerTags.uncheck();
      expect(await tags.command.textContent()).toBe(`oras repo tags ${host}/team/app`);
      expect(await unnamedControls(app.page.locator('main'))).toEqual([]);
    });

    it('filters by substring and by /regex/, and says when a regex is bad', async () => {
      await tags.filter.fill('V1.');
      await expect.poll(() => tags.tagNames()).toEqual(['v1.9', 'v1.10']);
      await tags.filter.fill('/^v1(\\.\\d+)?$/');
      await expect.poll(() => tags.tagNames()).toEqual(['v1', 'v1.9', 'v1.10']);
      await tags.filter.fill('/v1[/');
      await tags.filterError.waitFor();
      expect(await tags.filterError.textContent()).toMatch(/^Not a valid regular expression: /);
      expect(await tags.filter.getAttribute('aria-invalid')).toBe('true');
      expect(await tags.tagNames()).toHaveLength(5);
      await app.page.setViewportSize({ width: 800, height: 600 });
      for (const theme of ['Light', 'Dark'] as const) {
        await app.setTheme(theme);
        await shot(`bad-regex-800x600-${theme.toLowerCase()}`);
      }
      await app.setTheme('Light');
      await app.page.setViewportSize(VIEWPORT);
      await tags.filter.fill('');
    });

    it('sorts newest first', async () => {
      await tags.sort.selectOption('newest');
      await expect.poll(() => tags.tagNames()).toEqual(['latest', 'v1.10', 'v1.9', 'v1', 'rc1']);
      await tags.sort.selectOption('name');
      await expect.poll(() => tags.tagNames()).toEqual(['latest', 'rc1', 'v1', 'v1.9', 'v1.10']);
    });

    it('rows are reachable by Tab and walked by arrow keys; Enter opens the tag', async () => {
      await tags.filter.focus();
      await app.page.keyboard.press('Tab'); // sort
      await app.page.keyboard.press('Tab'); // referrer toggle
      await app.page.keyboard.press('Tab'); // the list's one tab stop: the first row's link
      expect(await app.focusedName()).toBe('latest');
      await app.page.keyboard.press('ArrowDown');
      await app.page.keyboard.press('ArrowDown');
      expect(await app.focusedName()).toBe('v1');
      await app.page.keyboard.press('End');
      expect(await app.focusedName()).toBe('v1.10');
      await app.page.keyboard.press('Enter');
      expect(await toolbar.hash()).toBe(`#/r/${host}/team/app:v1.10`);
      await app.page.goBack();
      await tags.list.waitFor();
    });

    it('10,000 tags: pages come as the list scrolls, rows in the DOM stay under 200', async () => {
      await toolbar.go(`#/r/${host}/bulk/many`);
      await tags.tagLink('t00000').waitFor();
      let most = await tags.rows.count();
      for (let i = 0; i < 40; i++) {
        await tags.scrollToEnd();
        most = Math.max(most, await tags.rows.count());
        if ((await tags.summary.textContent()) === '10,000 tags' && (await tags.tagLink('t09999').count()) === 1) break;
        await app.page.waitForTimeout(100);
      }
      expect(await tags.summary.textContent()).toBe('10,000 tags');
      await tags.tagLink('t09999').waitFor();
      expect(most).toBeLessThan(MAX_ROWS_IN_DOM);
      for (let i = 0; i < 10; i++) {
        await tags.scrollBy(-2_000);
        most = Math.max(most, await tags.rows.count());
      }
      expect(most).toBeLessThan(MAX_ROWS_IN_DOM);
    });

    // How long newest first takes over 10,000 tags (and the first rows) is measured by `npm run bench` (bench/browse-view.ts), not here.
    it('newest first over 10,000 tags shows its progress and can be cancelled', async () => {
      await toolbar.go(`#/r/${host}/team/app`);
      await tags.list.waitFor();
      await toolbar.go(`#/r/${host}/bulk/many`);
      await tags.tagLink('t00000').waitFor();
      await tags.sort.selectOption('newest');
      await tags.readingAll.waitFor();
      expect(await tags.readingAll.textContent()).toMatch(/^Reading [\d,]+ of [\d,]+ tags/);
      await tags.readingAll.getByRole('button', { name: 'Cancel' }).click();
      await tags.readingAll.waitFor({ state: 'detached' });
      expect(await tags.sort.inputValue()).toBe('name');
      expect(await tags.rows.count()).toBeLessThan(MAX_ROWS_IN_DOM);
    });

    it('a repository that is not there shows the error with Retry; pictures at 800×600', async () => {
      await app.page.setViewportSize({ width: 800, height: 600 });
      await toolbar.go(`#/r/${host}/team/app`);
      await tags.tagLink('v1').waitFor();
      await expect.poll(() => tags.row('v1.10').locator('code').count()).toBe(1);
      for (const theme of ['Light', 'Dark'] as const) {
        await app.setTheme(theme);
        await shot(`list-800x600-${theme.toLowerCase()}`);
        // Text in the rows is readable in both themes (WCAG AA, 4.5:1).
        for (const part of ['.tag-name', '.tag-also', '.tag-facts', '.tags-summary']) {
          const where = part === '.tags-summary' ? app.page.locator(part) : tags.row('latest').locator(part);
          expect(await contrastOf(where), `${part} in ${theme}`).toBeGreaterThanOrEqual(4.5);
        }
      }
      await toolbar.go(`#/r/${host}/no/such/repo`);
      await app.page.getByRole('alert').filter({ hasText: /\S/ }).first().waitFor();
      expect(await app.page.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
      for (const theme of ['Light', 'Dark'] as const) {
        await app.setTheme(theme);
        await shot(`error-800x600-${theme.toLowerCase()}`);
      }
      await app.setTheme('Light');
      await app.page.setViewportSize(VIEWPORT);
    });

    it('a row menu adds a tag to its manifest and deletes the manifest, and the list follows', async () => {
      await toolbar.go(`#/r/${host}/team/app`);
      await expect.poll(() => tags.row('rc1').locator('code').count()).toBe(1);
      await tags.row('rc1').getByRole('button', { name: 'Actions for tag rc1' }).click();
      await app.page.getByRole('menuitem', { name: 'Add tag…' }).click();
      const add = new AddTagsDialog(app.page);
      await add.root.waitFor();
      await add.add('rc1-again');
      await add.root.waitFor({ state: 'detached' });
      await tags.tagLink('rc1-again').waitFor();
      await expect.poll(() => tags.row('rc1').locator('.tag-also').textContent()).toBe('also tagged rc1-again');

      await tags.row('rc1-again').getByRole('button', { name: 'Actions for tag rc1-again' }).click();
      await app.page.getByRole('menuitem', { name: 'Delete…' }).click();
      const remove = new DeleteManifestDialog(app.page);
      await remove.root.waitFor();
      await expect.poll(() => remove.tagsLine.textContent()).toContain('rc1');
      await remove.confirm();
      await remove.root.waitFor({ state: 'detached' });
      await expect.poll(() => tags.tagNames()).toEqual(['latest', 'v1', 'v1.9', 'v1.10']);
    });
  });
}
