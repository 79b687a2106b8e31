import type { Page } from 'playwright-core';

/** BrowseToolbar is the top of the main area: breadcrumb, the open-a-reference box, Copy link. */
export class BrowseToolbar {
  constructor(readonly page: Page) {}

  get breadcrumb() {
    return this.page.getByRole('navigation', { name: 'Breadcrumb' });
  }

  /** crumbs lists the breadcrumb's steps as shown. */
  crumbs(): Promise<string[]> {
    return this.breadcrumb.getByRole('link').allTextContents();
  }

  crumb(text: string) {
    return this.breadcrumb.getByRole('link', { name: text, exact: true });
  }

  get searchBox() {
    return this.page.getByRole('search').getByRole('searchbox', { name: 'Open a reference' });
  }

  /** open types a reference into the box and presses Enter. */
  async open(reference: string): Promise<void> {
    await this.searchBox.fill(reference);
    await this.searchBox.press('Enter');
  }

  get copyLink() {
    return this.page.getByRole('button', { name: 'Copy link to this view' });
  }

  /** hash is the page's current route. */
  hash(): Promise<string> {
    return this.page.evaluate(() => decodeURIComponent(location.hash));
  }

  /** go opens a route by address, as a pasted link would. */
  async go(hash: string): Promise<void> {
    await this.page.evaluate((h) => {
      location.hash = h;
    }, hash);
  }
}
