import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../test/support/fault-proxy';
import { startRegistry, type Registry } from '../test/support/registry';
import { LONG_NAME, seedTagsContent } from '../test/support/seed-browse';
import { makeTempDir, removeTempDir } from '../test/support/tmp';
import { AppPage } from './pages/app-page';
import { RepositoriesView } from './pages/browse-repositories';
import { TagsView } from './pages/browse-tags';
import { BrowseToolbar } from './pages/browse-toolbar';
import { unnamedControls } from './support/a11y';
import { launchers, VIEWPORT, type AppSession } from './support/launchers';
import { screenshot } from './support/screenshots';

/**
 * Navigation and the repositories view, end to end: browser mode in Chromium against
 * a real registry holding three namespaces' worth of repositories. Walks there by
 * clicking and by keyboard, by address and by the open-a-reference box; checks that
 * the view survives a reload, that an unknown registry says so, and takes pictures in
 * both themes at 800×600 (empty and long-name states included).
 */

for (const launcher of launchers.filter((l) => l.name === 'browser')) {
  describe.skipIf(launcher.skipReason !== undefined)(`repositories and navigation (${launcher.title})`, () => {
    let registry: Registry;
    let proxy: FaultProxy;
    let dataDir: string;
    let session: AppSession;
    let app: AppPage;
    let toolbar: BrowseToolbar;
    let repos: RepositoriesView;
    let host: string;
    const shot = (name: string) => screenshot(app.page, `${launcher.name}-repositories-${name}`);

    beforeAll(async () => {
      registry = await startRegistry();
      host = registry.host;
      await seedTagsContent(registry.host, { tagCount: 50 });
      // A second way in, through a proxy that can refuse the catalog or fail it.
      proxy = await startFaultProxy(registry.url);
      dataDir = await makeTempDir('oras-e2e-browse-');
      session = await launcher.launch(dataDir);
      app = new AppPage(session.page);
      session.page.on('pageerror', (e) => console.error(`e2e: the page threw: ${e.message}`));
      toolbar = new BrowseToolbar(session.page);
      repos = new RepositoriesView(session.page);
      await session.open();
      await app.waitUntilLoaded();
      await app.sidebar.addRegistry(host);
    }, 180_000);

    afterAll(async () => {
      await session?.close();
      await proxy?.stop();
      await registry?.stop();
      if (dataDir) await removeTempDir(dataDir);
    });

    it('a first start shows the local layout, empty, with what to do', async () => {
      await app.sidebar.select('Local OCI layout');
      expect(await toolbar.hash()).toBe('#/r/local');
      await app.page.getByText('No repositories yet: push one').waitFor();
      expect(await app.page.title()).toBe('Local OCI layout — ORAS Desktop');
      expect(await unnamedControls(app.page.locator('body'))).toEqual([]);
      await app.page.setViewportSize({ width: 800, height: 600 });
      await app.setTheme('Light');
      await shot('empty-local-800x600-light');
      await app.setTheme('Dark');
      await shot('empty-local-800x600-dark');
      await app.setTheme('Light');
      await app.page.setViewportSize(VIEWPORT);
    });

    it('clicking a registry opens its catalog as a tree of namespaces', async () => {
      await app.sidebar.select(host);
      expect(await toolbar.hash()).toBe(`#/r/${host}`);
      await repos.tree.waitFor();
      expect(await repos.heading.textContent()).toBe(host);
      expect(await repos.visiblePaths()).toEqual(['bulk', 'team', 'solo']);
      expect(await repos.command.textContent()).toBe(`oras repo ls ${host}`);
      expect(await toolbar.crumbs()).toEqual([host]);
      expect(await app.page.title()).toBe(`${host} — ORAS Desktop`);
      expect(await unnamedControls(app.page.locator('main'))).toEqual([]);
    });

    it('the tree works by keyboard: arrows open folders, Enter opens a repository', async () => {
      await repos.folder('bulk').focus();
      await app.page.keyboard.press('ArrowDown'); // team
      await app.page.keyboard.press('ArrowRight'); // open team
      expect(await repos.visiblePaths()).toEqual(['bulk', 'team', LONG_NAME.split('/').slice(0, 2).join('/'), 'team/tools', 'team/app', 'solo']);
      await app.page.keyboard.press('ArrowRight'); // step into team: the long folder
      await app.page.keyboard.press('ArrowLeft'); // back to team
      expect(await repos.folder('team').getAttribute('tabindex')).toBe('0');
      await app.page.keyboard.press('End');
      await app.page.keyboard.press('ArrowUp'); // team/app
      await app.page.keyboard.press('Enter');
      expect(await toolbar.hash()).toBe(`#/r/${host}/team/app`);
      await new TagsView(app.page).list.waitFor();
      expect(await toolbar.crumbs()).toEqual([host, 'team/app']);
    });

    it('back and forward walk the views; the breadcrumb leads up', async () => {
      await app.page.goBack();
      await repos.tree.waitFor();
      expect(await toolbar.hash()).toBe(`#/r/${host}`);
      await app.page.goForward();
      await new TagsView(app.page).list.waitFor();
      await toolbar.crumb(host).click();
      await repos.tree.waitFor();
      expect(await toolbar.hash()).toBe(`#/r/${host}`);
    });

    it('filters repositories, opening the folders that lead to a match', async () => {
      await repos.filter.fill('cli');
      await expect.poll(() => repos.visiblePaths()).toEqual(['team', 'team/tools', 'team/tools/cli']);
      await repos.filter.fill('nothing-like-this');
      await app.page.getByText('No repository matches “nothing-like-this”.').waitFor();
      await repos.filter.fill('');
      await expect.poll(() => repos.visiblePaths()).toEqual(['bulk', 'team', 'solo']);
    });

    it('keeps recently opened repositories and bookmarks per registry', async () => {
      const tags = new TagsView(app.page);
      await toolbar.go(`#/r/${host}/solo`);
      await tags.list.waitFor();
      await tags.bookmark.click();
      expect(await tags.bookmark.getAttribute('aria-pressed')).toBe('true');
      await toolbar.crumb(host).click();
      await repos.tree.waitFor();
      expect(await repos.bookmarks.getByRole('link').allTextContents()).toEqual(['solo']);
      expect(await repos.recents.getByRole('link').allTextContents()).toEqual(['solo', 'team/app']);
      await repos.recents.getByRole('link', { name: 'team/app' }).click();
      await tags.list.waitFor();
      expect(await toolbar.hash()).toBe(`#/r/${host}/team/app`);
    });

    it('the view survives a reload and a restart of the page', async () => {
      await toolbar.go(`#/r/${host}/team/tools/cli`);
      await new TagsView(app.page).list.waitFor();
      // session.open loads the address browser mode printed, with no hash: the last view comes back.
      await session.open();
      await new TagsView(app.page).list.waitFor();
      expect(await toolbar.hash()).toBe(`#/r/${host}/team/tools/cli`);
      expect(await app.sidebar.row(host).getAttribute('class')).toContain('registry-row-selected');
    });

    it('the open box reads references, links and repository names', async () => {
      await toolbar.open(`${host}/team/app:v1`);
      expect(await toolbar.hash()).toBe(`#/r/${host}/team/app:v1`);
      await toolbar.open('solo');
      expect(await toolbar.hash()).toBe(`#/r/${host}/solo`);
      await toolbar.open('   ');
      expect(await app.page.getByRole('search').getByRole('alert').textContent()).toMatch(/^Type a reference/);
      await toolbar.open(`http://127.0.0.1:1/#/r/${host}/team/app`);
      expect(await toolbar.hash()).toBe(`#/r/${host}/team/app`);
    });

    it('Copy link copies the view address without the token', async () => {
      await app.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await toolbar.copyLink.click();
      const copied = await app.page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/#/r/${host.replace(/\./g, '\\.')}/team/app$`));
      expect(copied).not.toContain('token');
    });

    it('an unknown registry in an address says so, with a way back', async () => {
      await toolbar.go('#/r/nowhere.example:5000/some/repo');
      await app.page.getByText('nowhere.example:5000 is not in your registries').waitFor();
      await app.page.getByRole('link', { name: 'Open the local OCI layout' }).click();
      expect(await toolbar.hash()).toBe('#/r/local');
    });

    it('pictures: the catalog and long names at 800×600, both themes', async () => {
      await app.page.setViewportSize({ width: 800, height: 600 });
      await toolbar.go(`#/r/${host}/solo`);
      await new TagsView(app.page).list.waitFor();
      await toolbar.go(`#/r/${host}`);
      await repos.tree.waitFor();
      await repos.filter.fill('team');
      await expect.poll(() => repos.visiblePaths()).toContain(LONG_NAME);
      const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
      for (const theme of ['Light', 'Dark'] as const) {
        await app.setTheme(theme);
        await shot(`catalog-800x600-${theme.toLowerCase()}`);
      }
      await toolbar.go(`#/r/${host}/${LONG_NAME}`);
      await new TagsView(app.page).list.waitFor();
      expect(await app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      for (const theme of ['Light', 'Dark'] as const) {
        await app.setTheme(theme);
        await shot(`long-name-800x600-${theme.toLowerCase()}`);
      }
      await app.setTheme('Light');
      await app.page.setViewportSize(VIEWPORT);
    });

    it('a registry without a catalog says so in one line and opens repositories by name', async () => {
      proxy.inject((req) => (req.url.startsWith('/v2/_catalog') ? { kind: 'status', status: 404, body: '404 page not found' } : undefined));
      await app.sidebar.addRegistry(proxy.host);
      expect(await toolbar.hash()).toBe(`#/r/${proxy.host}`);
      await app.page.locator('.catalog-unavailable').waitFor();
      expect(await app.page.locator('.catalog-unavailable').textContent()).toMatch(/open one by name\.$/i);
      await app.page.setViewportSize({ width: 800, height: 600 });
      for (const theme of ['Light', 'Dark'] as const) {
        await app.setTheme(theme);
        await shot(`no-catalog-800x600-${theme.toLowerCase()}`);
      }
      await app.setTheme('Light');
      await repos.openRepository('Team/App');
      expect(await repos.openByName.getByRole('alert').textContent()).toMatch(/^Not a repository name: /);
      await repos.openRepository('team/app');
      await new TagsView(app.page).tagLink('v1').waitFor();
      expect(await toolbar.hash()).toBe(`#/r/${proxy.host}/team/app`);
      await toolbar.crumb(proxy.host).click();
      await app.page.locator('.catalog-unavailable').waitFor();
      expect(await repos.recents.getByRole('link').allTextContents()).toEqual(['team/app']);
      await app.page.setViewportSize(VIEWPORT);
    });

    it('a catalog that fails shows the error with Retry, and Retry reads it again', async () => {
      proxy.inject((req) => (req.url.startsWith('/v2/_catalog') ? { kind: 'status', status: 400, body: '{"errors":[{"code":"UNSUPPORTED","message":"catalog is broken today"}]}', headers: { 'content-type': 'application/json' } } : undefined));
      await toolbar.go(`#/r/local`);
      await toolbar.go(`#/r/${proxy.host}`);
      const retry = app.page.getByRole('main').getByRole('button', { name: 'Retry' });
      await retry.waitFor();
      await app.page.setViewportSize({ width: 800, height: 600 });
      for (const theme of ['Light', 'Dark'] as const) {
        await app.setTheme(theme);
        await shot(`catalog-error-800x600-${theme.toLowerCase()}`);
      }
      await app.setTheme('Light');
      await app.page.setViewportSize(VIEWPORT);
      proxy.inject();
      await retry.click();
      await repos.tree.waitFor();
      expect(await repos.visiblePaths()).toEqual(['bulk', 'team', 'solo']);
    });
  });
}
