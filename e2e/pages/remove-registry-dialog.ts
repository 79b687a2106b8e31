import type { Page } from 'playwright-core';

/** RemoveRegistryDialog asks "Remove <registry>?". */
export class RemoveRegistryDialog {
  constructor(
    readonly page: Page,
    readonly label: string,
  ) {}

  get root() {
    return this.page.getByRole('alertdialog', { name: `Remove ${this.label}?` });
  }

  get alert() {
    return this.root.getByRole('alert');
  }

  async confirm(): Promise<void> {
    await this.root.getByRole('button', { name: 'Remove', exact: true }).click();
    await this.root.waitFor({ state: 'detached' });
  }

  async cancel(): Promise<void> {
    await this.root.getByRole('button', { name: 'Cancel' }).click();
    await this.root.waitFor({ state: 'detached' });
  }
}
