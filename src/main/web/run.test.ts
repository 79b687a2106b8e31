import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { resolveDataDir } from '../services';
import { browserCommand } from './open-browser';
import type { BrowserMode } from './browser-mode';
import { parseWebArgs, stopOnSignals, WebUsageError } from './run';

describe('parseWebArgs', () => {
  it('reads --port, --no-open and --data-dir', () => {
    expect(parseWebArgs([])).toEqual({ port: 0, open: true, dataDir: undefined, help: false });
    expect(parseWebArgs(['--port', '8080', '--no-open', '--data-dir', '/d'])).toEqual({ port: 8080, open: false, dataDir: '/d', help: false });
    expect(parseWebArgs(['--port=0'])).toMatchObject({ port: 0 });
    expect(parseWebArgs(['-h'])).toMatchObject({ help: true });
  });

  it.each([
    [['--port', 'http']],
    [['--port', '-1']],
    [['--port', '65536']],
    [['--port', '80.5']],
    [['--host', '0.0.0.0']],
    [['--open']],
    [['serve']],
    [['--data-dir', '']],
  ])('refuses %j', (argv) => {
    expect(() => parseWebArgs(argv)).toThrow(WebUsageError);
  });
});

describe('resolveDataDir', () => {
  const home = '/home/me';
  it('prefers --data-dir, then ORAS_DESKTOP_DATA_DIR, then Electron userData, then XDG_CONFIG_HOME, then ~/.config', () => {
    const env = { ORAS_DESKTOP_DATA_DIR: '/env', XDG_CONFIG_HOME: '/xdg' };
    expect(resolveDataDir({ flag: '/flag', env, home, fallback: '/ud' })).toBe('/flag');
    expect(resolveDataDir({ env, home, fallback: '/ud' })).toBe('/env');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/xdg' }, home, fallback: '/ud' })).toBe('/ud');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/xdg' }, home })).toBe('/xdg/oras-desktop');
    expect(resolveDataDir({ env: {}, home })).toBe('/home/me/.config/oras-desktop');
    expect(resolveDataDir({ flag: 'rel', env: {}, home })).toBe(path.resolve('rel'));
  });
});

describe('browserCommand', () => {
  const url = 'http://127.0.0.1:8080/?token=a&b';
  it('passes the URL as one argument, never through a shell', () => {
    expect(browserCommand(url, 'linux')).toEqual(['xdg-open', [url]]);
    expect(browserCommand(url, 'darwin')).toEqual(['open', [url]]);
    expect(browserCommand(url, 'win32')).toEqual(['rundll32', ['url.dll,FileProtocolHandler', url]]);
  });
});

describe('stopOnSignals', () => {
  it('closes once however many signals arrive while closing, then exits 130 after Ctrl+C', async () => {
    let finish!: () => void;
    const close = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const exit = vi.fn();
    const off = stopOnSignals({ close } as unknown as BrowserMode, exit);
    try {
      process.emit('SIGINT', 'SIGINT');
      process.emit('SIGINT', 'SIGINT'); // the terminal's process group, and scripts/web.mjs passing it on
      process.emit('SIGTERM', 'SIGTERM');
      expect(close).toHaveBeenCalledTimes(1);
      expect(exit).not.toHaveBeenCalled();
      finish();
      await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(130));
    } finally {
      off();
    }
  });
});
