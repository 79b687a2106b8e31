import { createRequire } from 'node:module';
import { chromium, _electron, type Page } from 'playwright-core';
import { ELECTRON_MAIN } from './paths';
import { startWebMode } from './web-mode';

/** AppSession is one running app and its window, however it was launched. */
export interface AppSession {
  page: Page;
  /** open (re)loads the app's page from the start. */
  open(): Promise<void>;
  close(): Promise<void>;
}

/** Launcher starts the app over a data folder: in Chromium against browser mode, or in Electron. */
export interface Launcher {
  name: 'browser' | 'electron';
  title: string;
  /** Why this launcher cannot run here; undefined when it can. */
  skipReason?: string;
  launch(dataDir: string): Promise<AppSession>;
}

/** CHROMIUM is Debian's Chromium; `npx playwright install` cannot download browsers here. */
export const CHROMIUM = process.env['ORAS_E2E_CHROMIUM'] ?? '/usr/bin/chromium';

/** Chromium flags: no sandbox (containers), and no traffic anywhere but loopback. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export const VIEWPORT = { width: 1100, height: 720 };

export const browserLauncher: Launcher = {
  name: 'browser',
  title: 'browser mode in Chromium',
  async launch(dataDir) {
    const web = await startWebMode(dataDir);
    try {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', reducedMotion: 'reduce' });
      const page = await context.newPage();
      return {
        page,
        open: async () => {
          await page.goto(web.url);
        },
        close: async () => {
          await browser.close();
          await web.stop();
        },
      };
    } catch (error) {
      await web.stop();
      throw new Error(`${(error as Error).message}\nbrowser mode said:\n${web.output()}`);
    }
  },
};

/** electronBinary is the Electron binary npm installed, or why there is none. */
export function electronBinary(): { path: string } | { reason: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    if (typeof path !== 'string') return { reason: "require('electron') did not return a binary path" };
    return { path };
  } catch (error) {
    return { reason: `no Electron binary here: require('electron') threw "${(error as Error).message}"` };
  }
}

const electron = electronBinary();

export const electronLauncher: Launcher = {
  name: 'electron',
  title: 'Electron',
  ...('reason' in electron ? { skipReason: electron.reason } : {}),
  async launch(dataDir) {
    if (!('path' in electron)) throw new Error(electron.reason);
    const app = await _electron.launch({
      executablePath: electron.path,
      args: [ELECTRON_MAIN, '--no-sandbox'],
      env: { ...process.env, ORAS_DESKTOP_DATA_DIR: dataDir },
    });
    const page = await app.firstWindow();
    await page.setViewportSize(VIEWPORT);
    return {
      page,
      open: async () => {
        await page.reload();
      },
      close: () => app.close(),
    };
  },
};

export const launchers: Launcher[] = [browserLauncher, electronLauncher];
