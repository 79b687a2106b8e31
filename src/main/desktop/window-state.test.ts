import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { restoreWindowState, trackWindowState, WindowStateFile, WINDOW_STATE_FILE } = await import('./window-state');

const defaults = { width: 1200, height: 800, minWidth: 720, minHeight: 480 };
const screen = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 1000 };

describe('restoreWindowState', () => {
  it('keeps a saved size and place that still fit a screen', () => {
    const saved = { x: 100, y: 50, width: 1000, height: 700, maximized: true };
    expect(restoreWindowState(saved, [screen], defaults)).toEqual(saved);
    expect(restoreWindowState({ ...saved, x: 2000 }, [screen, right], defaults)).toMatchObject({ x: 2000, y: 50 });
  });

  it('centres a window whose screen is gone, or that is almost off every screen', () => {
    const gone = restoreWindowState({ x: 2200, y: 100, width: 1000, height: 700, maximized: false }, [screen], defaults);
    expect(gone).toEqual({ width: 1000, height: 700, maximized: false });
    const edge = restoreWindowState({ x: 1900, y: 100, width: 1000, height: 700 }, [screen], defaults);
    expect(edge).not.toHaveProperty('x');
    const above = restoreWindowState({ x: 100, y: -690, width: 1000, height: 700 }, [screen], defaults);
    expect(above).not.toHaveProperty('y');
  });

  it('keeps sizes between the minimum and the largest screen', () => {
    expect(restoreWindowState({ width: 100, height: 100 }, [screen], defaults)).toMatchObject({ width: 720, height: 480 });
    expect(restoreWindowState({ width: 9000, height: 9000 }, [screen, right], defaults)).toMatchObject({ width: 1920, height: 1040 });
  });

  it('falls back to the default size for anything that is not a saved state', () => {
    const fallback = { width: 1200, height: 800, maximized: false };
    for (const saved of [undefined, null, 'x', [], {}, { width: '1000', height: 700 }, { width: -5, height: 700 }, { width: 1.5, height: 700 }]) {
      expect(restoreWindowState(saved, [screen], defaults), JSON.stringify(saved)).toEqual(fallback);
    }
  });
});

describe('WindowStateFile', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes window-state.json in userData and reads it back; a broken file reads as nothing', () => {
    dir = mkdtempSync(join(tmpdir(), 'oras-window-state-'));
    const file = new WindowStateFile(join(dir, 'userData'));
    expect(file.load()).toBeUndefined();
    file.save({ x: 1, y: 2, width: 800, height: 600, maximized: false });
    expect(file.file).toBe(join(dir, 'userData', WINDOW_STATE_FILE));
    expect(JSON.parse(readFileSync(file.file, 'utf8'))).toEqual({ x: 1, y: 2, width: 800, height: 600, maximized: false });
    expect(file.load()).toEqual({ x: 1, y: 2, width: 800, height: 600, maximized: false });
    writeFileSync(file.file, '{not json');
    expect(file.load()).toBeUndefined();
  });
});

describe('trackWindowState', () => {
  it('saves shortly after moves and resizes settle, and at once when the window closes', () => {
    vi.useFakeTimers();
    try {
      const listeners = new Map<string, () => void>();
      let bounds = { x: 10, y: 20, width: 900, height: 700 };
      const win = {
        on: (event: string, fn: () => void) => listeners.set(event, fn),
        getNormalBounds: () => bounds,
        isMaximized: () => false,
        isDestroyed: () => false,
      };
      const file = { save: vi.fn() };
      trackWindowState(win as never, file, 500);
      listeners.get('move')!();
      bounds = { ...bounds, x: 30 };
      listeners.get('resize')!();
      expect(file.save).not.toHaveBeenCalled();
      vi.advanceTimersByTime(500);
      expect(file.save).toHaveBeenCalledTimes(1);
      expect(file.save).toHaveBeenLastCalledWith({ x: 30, y: 20, width: 900, height: 700, maximized: false });
      bounds = { ...bounds, width: 1000 };
      listeners.get('close')!();
      expect(file.save).toHaveBeenCalledTimes(2);
      expect(file.save).toHaveBeenLastCalledWith({ x: 30, y: 20, width: 1000, height: 700, maximized: false });
    } finally {
      vi.useRealTimers();
    }
  });
});
