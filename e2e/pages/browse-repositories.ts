import type { Page } from 'playwright-core';

/** RepositoriesView is `#/r/<registry>`: facts, the namespace tree, bookmarks, recents. */
export class RepositoriesView {
  constructor(readonly page: Page) {}

  get heading() {
    return this.page.getByRole('main').getByRole('heading', { level: 2 });
  }

  get tree() {
    return this.page.getByRole('tree', { name: 'Repositories' });
  }

  /** item is a tree row by its full path (`team/app`); folders are named "path, folder of N". */
  item(path: string) {
    return this.tree.getByRole('treeitem', { name: path, exact: true });
  }

  folder(path: string) {
    return this.tree.getByRole('treeitem', { name: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, folder of \\d+$`) });
  }

  /** visiblePaths lists the tree's rows top to bottom, by their accessible names. */
  async visiblePaths(): Promise<string[]> {
    return this.tree.getByRole('treeitem').evaluateAll((items) => items.map((i) => i.getAttribute('data-path') ?? ''));
  }

  get filter() {
    return this.page.getByRole('searchbox', { name: 'Filter repositories' });
  }

  get bookmarks() {
    return this.page.getByRole('navigation', { name: 'Bookmarks' });
  }

  get recents() {
    return this.page.getByRole('navigation', { name: 'Recently opened' });
  }

  get openByName() {
    return this.page.getByRole('form', { name: 'Open repository' }).first();
  }

  async openRepository(name: string): Promise<void> {
    const summary = this.page.locator('.open-by-name summary');
    if (await summary.isVisible()) await summary.click();
    await this.openByName.getByLabel('Repository').fill(name);
    await this.openByName.getByRole('button', { name: 'Open repository' }).click();
  }

  get command() {
    return this.page.locator('.command-line-text');
  }
}
