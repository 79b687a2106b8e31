import type { Page } from 'playwright-core';

/** TagsView is `#/r/<registry>/<repository>`: the virtual list of tags and its controls. */
export class TagsView {
  constructor(readonly page: Page) {}

  get heading() {
    return this.page.getByRole('main').getByRole('heading', { level: 2 });
  }

  get list() {
    return this.page.getByRole('list', { name: /^Tags of / });
  }

  /** rows are the list items in the DOM now (only those near the visible part). */
  get rows() {
    return this.list.getByRole('listitem');
  }

  /** tagNames lists the tags of the rows in the DOM, top to bottom. */
  async tagNames(): Promise<string[]> {
    return this.list.locator('[role="listitem"]').evaluateAll((rows) =>
      rows
        .map((r) => ({ top: Number(r.getAttribute('aria-posinset')), tag: r.querySelector('.tag-name')?.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((r) => r.tag),
    );
  }

  row(tag: string) {
    return this.list.getByRole('listitem').filter({ has: this.page.locator(`[data-tag-link="${tag}"]`) });
  }

  tagLink(tag: string) {
    return this.list.locator(`[data-tag-link="${tag}"]`);
  }

  get filter() {
    return this.page.getByRole('searchbox', { name: 'Filter tags' });
  }

  get sort() {
    return this.page.getByRole('combobox', { name: 'Sort tags' });
  }

  get showReferrerTags() {
    return this.page.getByRole('checkbox', { name: 'Show referrer tags' });
  }

  get bookmark() {
    return this.page.getByRole('button', { name: 'Bookmark this repository' });
  }

  get summary() {
    return this.page.locator('.tags-summary');
  }

  get filterError() {
    return this.page.locator('.tags-view .field-error');
  }

  get readingAll() {
    return this.page.locator('.reading-all');
  }

  get command() {
    return this.page.locator('.command-line-text');
  }

  /** scrollBy scrolls the list by pixels and lets the virtualiser render. */
  async scrollBy(pixels: number): Promise<void> {
    await this.list.evaluate((el, px) => el.scrollBy(0, px), pixels);
    await this.page.waitForTimeout(50);
  }

  async scrollToEnd(): Promise<void> {
    await this.list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await this.page.waitForTimeout(50);
  }
}
