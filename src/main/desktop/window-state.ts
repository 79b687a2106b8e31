import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';
import { z } from 'zod';

/** WINDOW_STATE_FILE is where the window's size and place are kept, in userData. */
export const WINDOW_STATE_FILE = 'window-state.json';

const stateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof stateSchema>;

export interface WindowDefaults {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

/** The least part of the window (its title bar, say) that must fall on a screen to keep its place. */
const MIN_VISIBLE = { width: 100, height: 40 };

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * restoreWindowState turns what was saved (anything: the file may be old or edited)
 * into bounds for the new window. Sizes are kept within the minimum and the largest
 * screen; the place is kept only if enough of the window lands on a screen that is
 * still attached, else the window is centred (x and y left out).
 */
export function restoreWindowState(saved: unknown, workAreas: readonly Rectangle[], defaults: WindowDefaults): WindowState {
  const parsed = stateSchema.safeParse(saved);
  const fallback: WindowState = { width: defaults.width, height: defaults.height, maximized: false };
  if (!parsed.success) return fallback;
  const state = parsed.data;
  const maxWidth = Math.max(defaults.minWidth, ...workAreas.map((a) => a.width));
  const maxHeight = Math.max(defaults.minHeight, ...workAreas.map((a) => a.height));
  const width = Math.min(Math.max(state.width, defaults.minWidth), maxWidth);
  const height = Math.min(Math.max(state.height, defaults.minHeight), maxHeight);
  const restored: WindowState = { width, height, maximized: state.maximized };
  if (state.x !== undefined && state.y !== undefined) {
    const bounds = { x: state.x, y: state.y, width, height };
    const visible = workAreas.some((area) => {
      const o = overlap(bounds, area);
      return o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height;
    });
    if (visible) Object.assign(restored, { x: state.x, y: state.y });
  }
  return restored;
}

/**
 * WindowStateFile reads and writes `window-state.json`. Synchronous on purpose: it is
 * read once before the window opens and written when the window closes, when an
 * asynchronous write could be cut short by the app quitting.
 */
export class WindowStateFile {
  readonly file: string;

  constructor(userData: string) {
    this.file = path.join(userData, WINDOW_STATE_FILE);
  }

  /** load returns the saved JSON, or undefined when there is none or it does not parse. */
  load(): unknown {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  save(state: WindowState): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(tmp, `${JSON.stringify(state)}\n`);
      renameSync(tmp, this.file);
    } catch (error) {
      rmSync(tmp, { force: true });
      console.error(`ORAS Desktop: cannot save the window's place to ${this.file}:`, error);
    }
  }
}

/** currentWindowState reads a window's normal (not maximised) bounds and whether it is maximised. */
export function currentWindowState(win: Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized'>): WindowState {
  const { x, y, width, height } = win.getNormalBounds();
  return { x, y, width, height, maximized: win.isMaximized() };
}

/**
 * trackWindowState saves the window's state a moment after it stops moving or
 * resizing, and once more as it closes.
 */
export function trackWindowState(
  win: Pick<BrowserWindow, 'on' | 'getNormalBounds' | 'isMaximized' | 'isDestroyed'>,
  file: Pick<WindowStateFile, 'save'>,
  debounceMs = 500,
): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const saveNow = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!win.isDestroyed()) file.save(currentWindowState(win));
  };
  const saveSoon = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(saveNow, debounceMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event as 'resize', saveSoon);
  win.on('close', saveNow);
}
