import type { Page } from 'playwright-core';

/** JobsPanel is the layout's "Transfers" toggle and the panel of transfer jobs it opens. */
export class JobsPanel {
  constructor(readonly page: Page) {}

  get toggle() {
    return this.page.getByRole('button', { name: /^Transfers/ });
  }

  get panel() {
    return this.page.getByRole('region', { name: 'Transfers', exact: true });
  }

  async open(): Promise<void> {
    if ((await this.toggle.getAttribute('aria-expanded')) !== 'true') await this.toggle.click();
    await this.panel.waitFor();
  }

  async close(): Promise<void> {
    if ((await this.toggle.getAttribute('aria-expanded')) === 'true') await this.toggle.click();
  }

  row(title: string) {
    return this.panel.getByRole('listitem', { name: title });
  }

  /** stateOf is a row's state word: Running, Done, Failed, Cancelled. */
  async stateOf(title: string): Promise<string> {
    return (await this.row(title).first().locator('.job-state').textContent()) ?? '';
  }

  async waitForState(title: string, state: string, timeout = 30_000): Promise<void> {
    await this.row(title).first().locator('.job-state', { hasText: state }).waitFor({ timeout });
  }

  get announcement() {
    return this.page.locator('.jobs [role="status"]');
  }
}

/** AddTagsDialog is the "Add tags to …" dialog of the manifest view. */
export class AddTagsDialog {
  constructor(readonly page: Page) {}

  get root() {
    return this.page.getByRole('dialog', { name: /^Add tags to / });
  }

  async add(tags: string): Promise<void> {
    await this.root.getByLabel('New tags').fill(tags);
    await this.root.getByRole('button', { name: 'Add tags' }).click();
  }
}

/** DeleteManifestDialog is the confirmation before a manifest (or one tag) is deleted. */
export class DeleteManifestDialog {
  constructor(readonly page: Page) {}

  get root() {
    return this.page.getByRole('alertdialog');
  }

  get tagsLine() {
    return this.root.locator('.delete-tags');
  }

  /** refused is the plain line shown when the registry does not delete at all. */
  get refused() {
    return this.root.locator('.delete-refused');
  }

  async chooseOnlyTag(): Promise<void> {
    await this.root.getByRole('radio', { name: /^Only the tag/ }).check();
  }

  async confirm(): Promise<void> {
    await this.root.getByRole('button', { name: /^Delete (tag|manifest)$/ }).click();
  }

  async cancel(): Promise<void> {
    await this.root.getByRole('button', { name: 'Cancel' }).click();
  }
}
