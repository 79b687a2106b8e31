import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type Registry } from '../test/support/registry';
import { makeTempDir, removeTempDir } from '../test/support/tmp';
import { AppPage } from './pages/app-page';
import { contrastOf, focusRing, unnamedControls } from './support/a11y';
import { launchers, type AppSession } from './support/launchers';
import { screenshot } from './support/screenshots';

/**
 * The first screens, end to end: the real app (browser mode in Debian's Chromium, or
 * Electron where its binary exists) against a real registry with htpasswd Basic auth.
 * The tests of one launcher share one app and one registry, and run in order: each
 * step starts from what the one before left, as a user's session would.
 */

const USERS = { alice: 'wonderland', bob: 'builder' };

for (const launcher of launchers) {
  if (launcher.skipReason) {
    console.info(`e2e: the ${launcher.title} specs are skipped: ${launcher.skipReason}`);
  }

  describe.skipIf(launcher.skipReason !== undefined)(`registries (${launcher.title})`, () => {
    let registry: Registry;
    let dataDir: string;
    let session: AppSession;
    let app: AppPage;
    const shot = (name: string) => screenshot(app.page, `${launcher.name}-${name}`);

    beforeAll(async () => {
      registry = await startRegistry({ auth: 'htpasswd', users: USERS });
      dataDir = await makeTempDir('oras-e2e-data-');
      session = await launcher.launch(dataDir);
      app = new AppPage(session.page);
    });

    afterAll(async () => {
      await session?.close();
      await registry?.stop();
      if (dataDir) await removeTempDir(dataDir);
    });

    /** reopen loads the page again, so what it shows comes from main, not the page's memory. */
    const reopen = async () => {
      await session.open();
      await app.waitUntilLoaded();
    };

    it('lists the local OCI layout, always there, and names every control', async () => {
      await reopen();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout']);
      expect(await app.detailsHeading.textContent()).toBe('Local OCI layout');
      expect(await app.details.getByText(dataDir).count()).toBe(1);
      expect(await unnamedControls(app.page.locator('body'))).toEqual([]);
      await app.setTheme('Light');
      await shot('1-sidebar-light');
      await app.setTheme('Dark');
      await shot('1-sidebar-dark');
    });

    it('a wrong password shows an error in the dialog and saves nothing', async () => {
      for (const theme of ['Light', 'Dark'] as const) {
        await reopen();
        await app.setTheme(theme);
        const dialog = await app.sidebar.openAddDialog();
        expect(await unnamedControls(dialog.root)).toEqual([]);
        await dialog.fill({ registry: registry.host, username: 'alice', password: 'not-the-password' });

        expect(await dialog.save()).toBe('error');
        expect(await dialog.alert.textContent()).toMatch(/^Login refused/);
        expect(await dialog.root.isVisible()).toBe(true);
        await shot(`2-wrong-password-${theme.toLowerCase()}`);

        // "Test connection" says the same, without saving either.
        await dialog.testConnection();
        expect(await dialog.alert.textContent()).toMatch(/^Login refused/);

        await dialog.cancel();
        expect(await app.sidebar.labels()).toEqual(['Local OCI layout']);
      }
      await reopen();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout']);
    });

    it('field mistakes show next to their field, before anything is sent', async () => {
      await reopen();
      const dialog = await app.sidebar.openAddDialog();
      await dialog.fill({ registry: `http://${registry.host}`, username: 'alice' });
      await dialog.saveButton.click();
      await dialog.root.getByText('Leave out http:// or https://: give host[:port].').waitFor();
      expect(await dialog.registry.getAttribute('aria-invalid')).toBe('true');
      expect(await dialog.root.getByText('Leave out http:// or https://: give host[:port].').isVisible()).toBe(true);
      expect(await dialog.root.getByText('Enter the password or token for this user.').isVisible()).toBe(true);
      expect(await app.focusedName()).toBe('Registry');
      await shot('3-field-errors');
      await dialog.cancel();
    });

    it('adds a registry with Basic auth: tests it, saves it, lists it', async () => {
      await reopen();
      const dialog = await app.sidebar.openAddDialog();
      await dialog.fill({ registry: registry.host, username: 'alice', password: USERS.alice });

      expect(await dialog.showPassword.getAttribute('aria-pressed')).toBe('false');
      expect(await dialog.password.getAttribute('type')).toBe('password');
      await dialog.showPassword.click();
      expect(await dialog.showPassword.getAttribute('aria-pressed')).toBe('true');
      expect(await dialog.password.getAttribute('type')).toBe('text');
      await dialog.showPassword.click();

      await dialog.testConnection();
      expect(await dialog.status.textContent()).toBe(`Connected: ${registry.host} accepted the login.`);
      expect(await dialog.alert.textContent()).toBe('');
      await shot('4-add-tested');

      expect(await dialog.save()).toBe('closed');
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout', registry.host]);
      expect(await app.sidebar.subtitle(registry.host).textContent()).toBe('alice');
      expect(await app.detailsHeading.textContent()).toBe(registry.host);
      expect(await app.details.getByText('Signed in as alice').isVisible()).toBe(true);
      await shot('5-added');

      // Saved by main, not just shown: a fresh page lists it too.
      await reopen();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout', registry.host]);
      expect(await app.sidebar.subtitle(registry.host).textContent()).toBe('alice');
    });

    it('adding the same registry again is refused where it was tried', async () => {
      await reopen();
      const dialog = await app.sidebar.openAddDialog();
      await dialog.fill({ registry: registry.host, username: 'alice', password: USERS.alice });
      expect(await dialog.save()).toBe('error');
      expect(await dialog.alert.textContent()).toMatch(/already in the list/);
      await dialog.cancel();
    });

    it('is usable from the keyboard, with a visible focus ring', async () => {
      await reopen();
      await app.page.keyboard.press('Tab');
      expect(await app.focusedName()).toBe('Add registry');
      expect((await focusRing(app.page)).outline).not.toBe('none');

      // Into the list, then the row's menu: Enter opens it on the first item.
      await app.page.keyboard.press('Tab');
      expect(await app.focusedName()).toMatch(/^Local OCI layout, /);
      await app.page.keyboard.press('Tab');
      await app.page.keyboard.press('Tab');
      expect(await app.focusedName()).toBe(`Actions for ${registry.host}`);
      await shot('6-focus-menu-button');
      await app.page.keyboard.press('Enter');
      expect(await app.focusedName()).toBe('Edit…');
      await app.page.keyboard.press('ArrowDown');
      expect(await app.focusedName()).toBe('Log out');
      await shot('6-menu-open');
      await app.page.keyboard.press('Escape');
      expect(await app.focusedName()).toBe(`Actions for ${registry.host}`);

      // The dialog: focus starts in it, Esc closes it, focus goes back to the opener.
      await app.sidebar.addButton.focus();
      await app.page.keyboard.press('Enter');
      const dialog = app.page.getByRole('dialog', { name: 'Add registry' });
      await dialog.waitFor();
      expect(await app.focusedName()).toBe('Registry');
      await app.page.keyboard.press('Tab');
      expect(await app.focusedName()).toBe('User name');
      expect((await focusRing(app.page)).outline).not.toBe('none');
      await app.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await app.focusedName()).toBe('Add registry');

      // The theme radios: arrow keys move between them.
      await app.themeRadio('Light').focus();
      await app.page.keyboard.press('ArrowRight');
      expect(await app.themeRadio('Dark').isChecked()).toBe(true);
      expect((await focusRing(app.page)).outline).not.toBe('none');
      await shot('6-theme-focus');
    });

    it('edits a saved registry: another user, and the saved login kept when the password is left empty', async () => {
      await reopen();
      let dialog = await app.sidebar.edit(registry.host);
      expect(await dialog.registry.inputValue()).toBe(registry.host);
      expect(await dialog.registry.getAttribute('readonly')).not.toBeNull();
      expect(await dialog.username.inputValue()).toBe('alice');
      expect(await dialog.password.inputValue()).toBe('');
      expect(await app.focusedName()).toBe('User name');
      await shot('7-edit');

      // A wrong password for the new user: refused, and alice's login stays.
      await dialog.fill({ username: 'bob', password: 'wrong' });
      expect(await dialog.save()).toBe('error');
      expect(await dialog.alert.textContent()).toMatch(/^Login refused/);
      await dialog.fill({ password: USERS.bob });
      expect(await dialog.save()).toBe('closed');
      expect(await app.sidebar.subtitle(registry.host).textContent()).toBe('bob');

      // Same user, empty password: the saved login is tested again and kept.
      dialog = await app.sidebar.edit(registry.host);
      await dialog.testConnection();
      expect(await dialog.status.textContent()).toMatch(/accepted the login/);
      expect(await dialog.save()).toBe('closed');
      await reopen();
      expect(await app.sidebar.subtitle(registry.host).textContent()).toBe('bob');
    });

    it('logs out: the registry stays, anonymous', async () => {
      await reopen();
      await app.sidebar.logOut(registry.host);
      await expect.poll(() => app.sidebar.subtitle(registry.host).textContent()).toBe('Anonymous');
      await app.sidebar.select(registry.host);
      expect(await app.details.getByText('Anonymous (no saved login)').isVisible()).toBe(true);
      await shot('8-logged-out');
      await reopen();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout', registry.host]);
      expect(await app.sidebar.subtitle(registry.host).textContent()).toBe('Anonymous');
      // No "Log out" for a registry with no login.
      const menu = await app.sidebar.menu(registry.host);
      expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Edit…', 'Remove…']);
      await app.page.keyboard.press('Escape');
    });

    it('removes a registry after asking; Cancel keeps it', async () => {
      await reopen();
      let confirm = await app.sidebar.remove(registry.host);
      expect(await app.focusedName()).toBe('Cancel');
      await shot('9-remove-confirm');
      await confirm.cancel();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout', registry.host]);

      confirm = await app.sidebar.remove(registry.host);
      await confirm.confirm();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout']);
      expect(await app.detailsHeading.textContent()).toBe('Local OCI layout');
      expect(await app.focusedName()).toBe('Add registry');
      await reopen();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout']);
      await shot('9-removed');
    });

    it('keeps the theme across reloads; system follows the OS; text is readable in both', async () => {
      await reopen();
      await app.setTheme('Dark');
      await reopen();
      expect(await app.documentTheme()).toBe('dark');
      expect(await app.themeRadio('Dark').isChecked()).toBe(true);
      expect(await app.backgroundColor()).toBe('rgb(21, 25, 30)');

      await app.setTheme('System');
      await app.page.emulateMedia({ colorScheme: 'dark' });
      expect(await app.backgroundColor()).toBe('rgb(21, 25, 30)');
      await app.page.emulateMedia({ colorScheme: 'light' });
      expect(await app.backgroundColor()).toBe('rgb(255, 255, 255)');

      // WCAG AA (4.5:1) for text in both themes, the dialog's error included.
      for (const theme of ['Light', 'Dark'] as const) {
        await app.setTheme(theme);
        const dialog = await app.sidebar.openAddDialog();
        await dialog.fill({ registry: '127.0.0.1:1', username: 'x', password: 'y' });
        await dialog.testConnection();
        const texts = {
          heading: dialog.root.getByRole('heading'),
          hint: dialog.root.locator('.hint').first(),
          'alert title': dialog.alert.locator('.alert-title'),
          'alert hint': dialog.alert.locator('.alert-hint'),
          'primary button': dialog.saveButton,
          'secondary button': dialog.cancelButton,
        };
        for (const [what, locator] of Object.entries(texts)) {
          expect(await contrastOf(locator), `${theme}: ${what}`).toBeGreaterThanOrEqual(4.5);
        }
        await shot(`10-network-error-${theme.toLowerCase()}`);
        await dialog.cancel();
        const sidebarTexts = {
          'row label': app.sidebar.row('Local OCI layout').locator('.registry-row-label'),
          'row subtitle': app.sidebar.subtitle('Local OCI layout'),
          'section heading': app.sidebar.root.getByRole('heading', { name: 'Registries' }),
          'checked theme': app.page.locator('.segment input:checked + span'),
          version: app.page.locator('.version'),
        };
        for (const [what, locator] of Object.entries(sidebarTexts)) {
          expect(await contrastOf(locator), `${theme}: ${what}`).toBeGreaterThanOrEqual(4.5);
        }
      }
    });
  });
}
