import type { Page } from 'playwright-core';
import { RegistriesSidebar } from './registries-sidebar';

export type ThemeName = 'Light' | 'Dark' | 'System';

/** AppPage is the whole window: the registries sidebar, the details area and the theme. */
export class AppPage {
  readonly sidebar: RegistriesSidebar;

  constructor(readonly page: Page) {
    this.sidebar = new RegistriesSidebar(page);
  }

  /** details is the main area about the selected registry. */
  get details() {
    return this.page.getByRole('main');
  }

  get detailsHeading() {
    return this.details.getByRole('heading', { level: 2 });
  }

  themeRadio(theme: ThemeName) {
    return this.page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: theme });
  }

  async setTheme(theme: ThemeName): Promise<void> {
    await this.themeRadio(theme).check();
  }

  /** documentTheme is `<html data-theme>` as the app set it. */
  documentTheme(): Promise<string | null> {
    return this.page.evaluate(() => document.documentElement.dataset['theme'] ?? null);
  }

  /** backgroundColor is the page's painted background, to tell light from dark. */
  backgroundColor(): Promise<string> {
    return this.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  }

  /** waitUntilLoaded waits for the sidebar to list the local layout. */
  async waitUntilLoaded(): Promise<void> {
    await this.sidebar.rowButton('Local OCI layout').waitFor();
  }

  /** focusedName is the accessible label (or text) of the focused element. */
  focusedName(): Promise<string> {
    return this.page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      if (el.getAttribute('aria-label')) return el.getAttribute('aria-label') ?? '';
      if (el.id) {
        const label = document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
        if (label) return label.textContent?.trim() ?? '';
      }
      return el.textContent?.trim() ?? el.tagName;
    });
  }
}
