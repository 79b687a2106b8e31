import type { Locator, Page } from 'playwright-core';
import { RegistryDialog } from './registry-dialog';
import { RemoveRegistryDialog } from './remove-registry-dialog';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const rowName = (label: string) => new RegExp(`^${escape(label)}, `);

/** RegistriesSidebar is the list of registries: the local layout, saved logins, "Add registry". */
export class RegistriesSidebar {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('navigation', { name: 'Registries' });
  }

  /** addButton is the header's "Add registry" (the first-start hint has one too). */
  get addButton() {
    return this.root.locator('.registries-header').getByRole('button', { name: 'Add registry' });
  }

  /** firstStart is the hint shown while only the local layout is listed. */
  get firstStart() {
    return this.root.getByRole('region', { name: 'Only the local OCI layout is listed so far.' });
  }

  /** rowButton selects a registry; its name is "<label>, <user or what it is>". */
  rowButton(label: string) {
    return this.root.getByRole('button', { name: rowName(label) });
  }

  row(label: string) {
    // `has` is looked for inside each list item, so it starts from the page, not the nav.
    return this.root.getByRole('listitem').filter({ has: this.page.getByRole('button', { name: rowName(label) }) });
  }

  /** subtitle is a row's second line: the user name, "Anonymous", … */
  subtitle(label: string) {
    return this.row(label).locator('.registry-row-subtitle');
  }

  menuButton(label: string) {
    return this.root.getByRole('button', { name: `Actions for ${label}` });
  }

  /** labels lists the rows as shown, top to bottom. */
  labels(): Promise<string[]> {
    return this.root.locator('.registry-row-label').allTextContents();
  }

  async select(label: string): Promise<void> {
    await this.rowButton(label).click();
  }

  async openAddDialog(): Promise<RegistryDialog> {
    await this.addButton.click();
    const dialog = new RegistryDialog(this.page, 'Add registry');
    await dialog.root.waitFor();
    return dialog;
  }

  /** addRegistry adds `host` through the Add dialog with its defaults, failing with the dialog's error if it stays open. */
  async addRegistry(host: string): Promise<void> {
    const dialog = await this.openAddDialog();
    await dialog.fill({ registry: host });
    if ((await dialog.save()) !== 'closed') throw new Error(`adding ${host} failed: ${await dialog.alert.textContent()}`);
  }

  /** menu opens a row's menu and returns it. */
  async menu(label: string): Promise<Locator> {
    await this.menuButton(label).click();
    const menu = this.page.getByRole('menu', { name: `Actions for ${label}` });
    await menu.waitFor();
    return menu;
  }

  async edit(label: string): Promise<RegistryDialog> {
    await (await this.menu(label)).getByRole('menuitem', { name: 'Edit…' }).click();
    const dialog = new RegistryDialog(this.page, `Edit ${label}`);
    await dialog.root.waitFor();
    return dialog;
  }

  async logOut(label: string): Promise<void> {
    await (await this.menu(label)).getByRole('menuitem', { name: 'Log out' }).click();
  }

  async remove(label: string): Promise<RemoveRegistryDialog> {
    await (await this.menu(label)).getByRole('menuitem', { name: 'Remove…' }).click();
    const dialog = new RemoveRegistryDialog(this.page, label);
    await dialog.root.waitFor();
    return dialog;
  }
}
