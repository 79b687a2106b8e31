import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenOnLoopback } from '../test/support/listen';
import { startRegistry, type Registry } from '../test/support/registry';
import { makeTempDir, removeTempDir } from '../test/support/tmp';
import { AppPage } from './pages/app-page';
import { contrastOf, focusRing, unnamedControls } from './support/a11y';
import { launchers, VIEWPORT, type AppSession } from './support/launchers';
import { screenshot } from './support/screenshots';

/**
 * The first screens, end to end: the real app (browser mode in Debian's Chromium, or
 * Electron where its binary exists) against a real registry with htpasswd Basic auth.
 * The tests of one launcher share one app and one registry, and run in order: each
 * step starts from what the one before left, as a user's session would.
 */

const USERS = { alice: 'wonderland', bob: 'builder' };

/** startSilentHost listens on loopback, accepts every connection and never answers. */
async function startSilentHost(): Promise<{ host: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  const port = await listenOnLoopback(server);
  return {
    host: `127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}

for (const launcher of launchers) {
  if (launcher.skipReason) {
    console.info(`e2e: the ${launcher.title} specs are skipped: ${launcher.skipReason}`);
  }

  describe.skipIf(launcher.skipReason !== undefined)(`registries (${launcher.title})`, () => {
    let registry: Registry;
    let silent: Awaited<ReturnType<typeof startSilentHost>>;
    let dataDir: string;
    let session: AppSession;
    let app: AppPage;
    const shot = (name: string) => screenshot(app.page, `${launcher.name}-${name}`);
    /**
     * shotBoth pictures the screen as it is in the light and the dark theme. It sets the
     * theme attribute App keeps on <html> directly (a dialog may be open, making the theme
     * switcher unreachable), then puts the user's theme back.
     */
    const shotBoth = async (name: string) => {
      const chosen = await app.page.evaluate(() => document.documentElement.dataset.theme);
      for (const theme of ['light', 'dark']) {
        await app.page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
        await shot(`${name}-${theme}`);
      }
      await app.page.evaluate((t) => (document.documentElement.dataset.theme = t), chosen);
    };

    beforeAll(async () => {
      registry = await startRegistry({ auth: 'htpasswd', users: USERS });
      silent = await startSilentHost();
      dataDir = await makeTempDir('oras-e2e-data-');
      session = await launcher.launch(dataDir);
      app = new AppPage(session.page);
    });

    afterAll(async () => {
      await session?.close();
      await registry?.stop();
      await silent?.stop();
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
      // A first start says what to do next: add a registry, or push into the local layout.
      const hint = app.sidebar.firstStart;
      expect(await hint.isVisible()).toBe(true);
      expect(await hint.getByRole('button', { name: 'Add registry' }).isVisible()).toBe(true);
      expect(await hint.locator('code').textContent()).toBe(`oras push --oci-layout ${dataDir}/oci-layout/hello:v1 hello.txt`);
      expect(await hint.getByRole('button', { name: 'Copy push command' }).isVisible()).toBe(true);
      await hint.getByRole('button', { name: 'Add registry' }).click();
      const fromHint = app.page.getByRole('dialog', { name: 'Add registry' });
      await fromHint.waitFor();
      await fromHint.getByRole('button', { name: 'Cancel', exact: true }).click();
      await fromHint.waitFor({ state: 'detached' });
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
        expect(await dialog.alert.textContent()).toContain('nothing was saved');
        expect(await dialog.root.isVisible()).toBe(true);
        await shot(`2-wrong-password-${theme.toLowerCase()}`);

        // "Test connection" says the same, without saving either: its own words (a test
        // saves nothing, so it does not say so), not Save's error left on screen.
        await dialog.testConnection();
        expect(await dialog.alert.textContent()).toMatch(/^Login refused/);
        expect(await dialog.alert.textContent()).not.toContain('nothing was saved');

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
      await shotBoth('3-field-errors');
      await dialog.cancel();
    });

    it('adds a registry with Basic auth: tests it, saves it, lists it', async () => {
      await reopen();
      const dialog = await app.sidebar.openAddDialog();
      // Plain HTTP: ticked for this computer's registries, as main speaks it there.
      await dialog.fill({ registry: 'registry.example' });
      expect(await dialog.plainHttp.isChecked()).toBe(false);
      await dialog.fill({ registry: registry.host, username: 'alice', password: USERS.alice });
      expect(await dialog.plainHttp.isChecked()).toBe(true);
      expect(await dialog.plainHttpHint()).toMatch(/the default for this computer/);

      expect(await dialog.showPassword.getAttribute('aria-pressed')).toBe('false');
      expect(await dialog.password.getAttribute('type')).toBe('password');
      await dialog.showPassword.click();
      expect(await dialog.showPassword.getAttribute('aria-pressed')).toBe('true');
      expect(await dialog.password.getAttribute('type')).toBe('text');
      await dialog.showPassword.click();

      await dialog.testConnection();
      expect(await dialog.status.textContent()).toBe(`Connected: ${registry.host} accepted the login.`);
      expect(await dialog.alert.textContent()).toBe('');
      await shotBoth('4-add-tested');

      expect(await dialog.save()).toBe('closed');
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout', registry.host]);
      expect(await app.sidebar.subtitle(registry.host).textContent()).toBe('alice');
      expect(await app.sidebar.firstStart.count()).toBe(0);
      expect(await app.detailsHeading.textContent()).toBe(registry.host);
      expect(await app.details.getByText('Signed in as alice').isVisible()).toBe(true);
      await shotBoth('5-added');

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
      // The login itself is fine: a test says so, and Save's error is gone.
      await dialog.testConnection();
      expect(await dialog.status.textContent()).toBe(`Connected: ${registry.host} accepted the login.`);
      expect(await dialog.alert.textContent()).toBe('');
      await dialog.cancel();
    });

    it('a host that never answers: Cancel test frees the dialog at once, closing drops the test, main gives up after 10 s', async () => {
      await reopen();
      await app.setTheme('Light');
      let dialog = await app.sidebar.openAddDialog();
      await dialog.fill({ registry: silent.host });
      await dialog.startTest();
      expect(await dialog.status.textContent()).toBe('Testing the connection…');
      await shot('11-testing-light');
      await dialog.cancelTestButton.click();
      await dialog.root.getByRole('button', { name: 'Test connection' }).waitFor();
      expect(await dialog.status.textContent()).toBe('');
      expect(await dialog.alert.textContent()).toBe('');
      expect(await app.focusedName()).toBe('Test connection');

      // Closing the dialog drops a running test: reopened, the dialog is fresh.
      await dialog.startTest();
      await dialog.cancel();
      dialog = await app.sidebar.openAddDialog();
      expect(await dialog.registry.inputValue()).toBe('');
      expect(await dialog.status.textContent()).toBe('');
      expect(await dialog.testButton.textContent()).toBe('Test connection');
      expect(await dialog.cancelTestButton.count()).toBe(0);

      // Main's own deadline: the same silent host by another name, so the answer shown
      // is this test's, not one of the two dropped ones (those name 127.0.0.1).
      const other = silent.host.replace('127.0.0.1', 'localhost');
      await dialog.fill({ registry: other });
      const started = Date.now();
      await dialog.startTest();
      await dialog.alert.filter({ hasText: /\S/ }).waitFor({ timeout: 20_000 });
      const seconds = (Date.now() - started) / 1000;
      expect(await dialog.alert.textContent()).toContain(`${other} did not answer within 10 s: check the host and port.`);
      expect(seconds).toBeGreaterThan(8);
      expect(seconds).toBeLessThan(15);
      expect(await dialog.testButton.textContent()).toBe('Test connection');
      await shot('11-no-answer-light');
      await dialog.cancel();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout', registry.host]);
    }, 60_000);

    it('at 800×600 the dialog body scrolls and its error and buttons stay in view', async () => {
      await app.page.setViewportSize({ width: 800, height: 600 });
      try {
        for (const theme of ['Light', 'Dark'] as const) {
          await reopen();
          await app.setTheme(theme);
          const dialog = await app.sidebar.openAddDialog();
          await dialog.fill({ registry: '127.0.0.1:1', username: 'x', password: 'y' });
          await dialog.testConnection();
          expect(await dialog.alert.textContent()).toMatch(/^Could not connect/);
          const parts = { error: dialog.alert, Save: dialog.saveButton, Cancel: dialog.cancelButton, 'Test connection': dialog.testButton };
          for (const [what, locator] of Object.entries(parts)) {
            const box = await locator.boundingBox();
            expect(box, what).not.toBeNull();
            expect(box!.y, `${theme}: top of ${what}`).toBeGreaterThanOrEqual(0);
            expect(box!.y + box!.height, `${theme}: bottom of ${what}`).toBeLessThanOrEqual(600);
          }
          // The fields scroll inside the dialog; the first and the last can both be reached.
          const body = dialog.root.locator('.modal-body');
          expect(await body.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
          await dialog.caFile.scrollIntoViewIfNeeded();
          const ca = (await dialog.caFile.boundingBox())!;
          expect(ca.y + ca.height).toBeLessThanOrEqual(600);
          await dialog.registry.scrollIntoViewIfNeeded();
          await shot(`12-dialog-800x600-${theme.toLowerCase()}`);
          await dialog.cancel();
        }
      } finally {
        await app.page.setViewportSize(VIEWPORT);
      }
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
      await shotBoth('6-focus-menu-button');
      await app.page.keyboard.press('Enter');
      expect(await app.focusedName()).toBe('Edit…');
      await app.page.keyboard.press('ArrowDown');
      expect(await app.focusedName()).toBe('Log out');
      await shotBoth('6-menu-open');
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
      await shotBoth('6-theme-focus');
    });

    it('edits a saved registry: another user, and the saved login kept when the password is left empty', async () => {
      await reopen();
      let dialog = await app.sidebar.edit(registry.host);
      expect(await dialog.registry.inputValue()).toBe(registry.host);
      expect(await dialog.registry.getAttribute('readonly')).not.toBeNull();
      expect(await dialog.username.inputValue()).toBe('alice');
      expect(await dialog.password.inputValue()).toBe('');
      expect(await app.focusedName()).toBe('User name');
      await shotBoth('7-edit');

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

    it('logs out: the registry stays, anonymous, where it was in the list', async () => {
      await reopen();
      // A second row after it (the same registry by another name, anonymous).
      const other = registry.host.replace('127.0.0.1', 'localhost');
      const add = await app.sidebar.openAddDialog();
      await add.fill({ registry: other });
      expect(await add.save()).toBe('closed');
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout', registry.host, other]);

      await app.sidebar.logOut(registry.host);
      await expect.poll(() => app.sidebar.subtitle(registry.host).textContent()).toBe('Anonymous');
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout', registry.host, other]);
      await reopen();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout', registry.host, other]);
      await (await app.sidebar.remove(other)).confirm();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout', registry.host]);

      await app.sidebar.select(registry.host);
      expect(await app.details.getByText(/^Anonymous · /).isVisible()).toBe(true);
      await shotBoth('8-logged-out');
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
      await shotBoth('9-remove-confirm');
      await confirm.cancel();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout', registry.host]);

      confirm = await app.sidebar.remove(registry.host);
      await confirm.confirm();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout']);
      expect(await app.detailsHeading.textContent()).toBe('Local OCI layout');
      expect(await app.focusedName()).toBe('Add registry');
      await reopen();
      expect(await app.sidebar.labels()).toEqual(['Local OCI layout']);
      await shotBoth('9-removed');
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
