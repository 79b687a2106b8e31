import type { Locator, Page } from 'playwright-core';

const CONTROLS = ['button', 'textbox', 'checkbox', 'radio', 'menuitem', 'combobox', 'link', 'switch', 'slider', 'spinbutton', 'tab'];

/**
 * unnamedControls lists the controls without an accessible name in Chromium's own
 * accessibility tree (as Playwright's aria snapshot prints it: `- button "Name"`).
 */
export async function unnamedControls(scope: Locator): Promise<string[]> {
  const snapshot = await scope.ariaSnapshot();
  const unnamed = new RegExp(`^\\s*- (${CONTROLS.join('|')})(?!\\s*")(?=[\\s:\\[]|$)`);
  return snapshot
    .split('\n')
    .filter((line) => unnamed.test(line))
    .map((line) => line.trim());
}

/** focusRing describes the focused element's outline, to check a ring is drawn. */
export async function focusRing(page: Page): Promise<{ name: string; outline: string; width: number }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { name: '', outline: 'none', width: 0 };
    const style = getComputedStyle(el);
    // Radios in the theme switcher are transparent; their label draws the ring.
    const drawn = el.matches('.segment input') ? getComputedStyle(el.nextElementSibling as Element) : style;
    return {
      name: el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName,
      outline: drawn.outlineStyle,
      width: parseFloat(drawn.outlineWidth),
    };
  });
}

/**
 * contrastOf computes the WCAG contrast ratio of an element's text against the first
 * opaque background behind it.
 */
export async function contrastOf(target: Locator): Promise<number> {
  return target.evaluate((el) => {
    const parse = (c: string): number[] => {
      const m = c.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return [m[0] ?? 0, m[1] ?? 0, m[2] ?? 0, c.startsWith('rgba') ? (m[3] ?? 1) : 1];
    };
    const lum = ([r, g, b]: number[]): number => {
      const ch = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * ch(r ?? 0) + 0.7152 * ch(g ?? 0) + 0.0722 * ch(b ?? 0);
    };
    let bg: number[] = [255, 255, 255, 0];
    for (let node: Element | null = el; node; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if ((c[3] ?? 0) >= 1) {
        bg = c;
        break;
      }
    }
    if ((bg[3] ?? 0) < 1) bg = parse(getComputedStyle(document.documentElement).backgroundColor);
    const fg = parse(getComputedStyle(el).color);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x) as [number, number];
    return (a + 0.05) / (b + 0.05);
  });
}
