import type { Locator, Page } from 'playwright-core';

/** ManifestView is `#/r/<registry>/<repository>:<tag>` (or `@<digest>`): the manifest view. */
export class ManifestView {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.locator('section.manifest-view');
  }

  get heading() {
    return this.root.getByRole('heading', { level: 2 });
  }

  /** factText is the value of one of the header's facts ("Digest", "Media type", …). */
  async factText(name: string): Promise<string> {
    return (await this.root.locator(`.kv-row:has(dt:text-is("${name}")) dd`).first().textContent()) ?? '';
  }

  /** section is one of the view's titled sections ("Config", "Referrers", …), by its exact heading. */
  section(title: RegExp | string) {
    return this.root.getByRole('region', { name: title, exact: typeof title === 'string' });
  }

  get layers() {
    return this.root.getByRole('region', { name: 'Layers', exact: true }).getByRole('table');
  }

  /** layerTitles reads the Title column of the layers table. */
  async layerTitles(): Promise<string[]> {
    return this.layers.locator('tbody th').allTextContents();
  }

  downloadButton(title: string) {
    return this.layers.getByRole('button', { name: `Download ${title}` });
  }

  get platforms() {
    return this.root.getByRole('region', { name: 'Platforms', exact: true }).getByRole('table');
  }

  async platformNames(): Promise<string[]> {
    return this.platforms.locator('tbody th a').allTextContents();
  }

  get config() {
    return this.section('Config');
  }

  get referrers() {
    return this.section('Referrers');
  }

  get rawJson() {
    return this.root.getByLabel('Manifest JSON');
  }

  get pullAllButton() {
    return this.root.getByRole('button', { name: 'Pull all files' });
  }

  get addTagButton() {
    return this.root.getByRole('button', { name: 'Add tag…' });
  }

  get deleteButton() {
    return this.root.getByRole('button', { name: 'Delete…' });
  }

  get status() {
    return this.root.locator('.status');
  }

  command(label: string) {
    return this.root.locator('.command-line', { has: this.page.locator(`.command-label:text-is("${label}")`) }).locator('code');
  }

  /** compareWith picks a tag in "Compare with another tag" and waits for the summary. */
  async compareWith(tag: string): Promise<string> {
    const section = this.section('Compare with another tag');
    const choose = section.getByRole('button', { name: 'Choose a tag to compare with…' });
    if (await choose.isVisible()) await choose.click();
    await section.getByLabel('Compare with tag').selectOption(tag);
    await section.getByRole('button', { name: 'Compare' }).click();
    const summary = section.locator('.compare-summary');
    await summary.waitFor();
    return (await summary.textContent()) ?? '';
  }

  /** waitUntilLoaded waits for the facts (or an error) to show. */
  async waitUntilLoaded(): Promise<void> {
    await this.root.locator('.kv-table, .error-box').first().waitFor();
  }
}

/** BlobView is `#/r/<registry>/<repository>/blobs/<digest>`. */
export class BlobView {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.locator('section.manifest-view');
  }

  get heading() {
    return this.root.getByRole('heading', { level: 2 });
  }

  get preview() {
    return this.root.locator('.blob-preview');
  }

  get downloadButton() {
    return this.root.getByRole('button', { name: 'Download', exact: true });
  }

  async waitUntilLoaded(): Promise<void> {
    await this.root.locator('.blob-preview, .error-box').first().waitFor();
  }
}
