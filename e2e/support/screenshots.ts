import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from './paths';

/** screenshot keeps a picture of the page as a test artifact: test-results/screenshots/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // Two frames first: a region just scrolled into view or re-rendered was once caught
  // before it was painted (a blank band where the preview's CLI line was).
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
  // Let transitions and the caret settle so pictures compare run to run.
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}
