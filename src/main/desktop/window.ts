import {
  BrowserWindow,
  type BrowserWindowConstructorOptions,
  type Session,
  type WebContents,
  type WebPreferences,
} from 'electron';
import { APP_ENTRY_URL } from './app-protocol';

/**
 * The app's one window, hardened as Electron's security guide asks
 * (https://www.electronjs.org/docs/latest/tutorial/security). The decisions are plain
 * functions (tested without Electron); the Electron calls below them stay thin.
 */

/**
 * secureWebPreferences: the renderer is untrusted. Sandboxed, context-isolated, no
 * Node, no `<webview>`, web security on; the only bridge is the preload's `window.oras`.
 */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    // Dropping a file on the window must reach the page's drop zone, never navigate.
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** MAIN_WINDOW_SIZE: the window's first size and the least it can be made. */
export const MAIN_WINDOW_SIZE = { width: 1200, height: 800, minWidth: 720, minHeight: 480 } as const;

/** WindowBounds: a remembered size and, if it still fits a screen, place. */
export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/**
 * mainWindowOptions: hidden until the first paint, background matching the colour
 * scheme, at `bounds` (the remembered size and place) or the default size, centred.
 */
export function mainWindowOptions(preload: string, dark: boolean, bounds?: WindowBounds): BrowserWindowConstructorOptions {
  const { width, height, minWidth, minHeight } = MAIN_WINDOW_SIZE;
  return {
    title: 'ORAS Desktop',
    width: bounds?.width ?? width,
    height: bounds?.height ?? height,
    ...(bounds?.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth,
    minHeight,
    show: false,
    backgroundColor: dark ? '#15191e' : '#ffffff',
    webPreferences: secureWebPreferences(preload),
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * rendererEntryUrl picks the page to load: the Vite dev server that `electron-vite dev`
 * names in ELECTRON_RENDERER_URL, but only in an unpackaged app and only on loopback
 * http (so an environment variable can never point a shipped app, preload and all, at
 * a remote page); otherwise the built renderer at `app://oras/index.html`.
 */
export function rendererEntryUrl(env: { isPackaged: boolean; devServerUrl?: string }): string {
  if (!env.isPackaged && env.devServerUrl) {
    try {
      const url = new URL(env.devServerUrl);
      if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && !url.username) {
        return url.toString();
      }
    } catch {
      // Malformed: fall through to the built renderer.
    }
  }
  return APP_ENTRY_URL;
}

/**
 * isNavigationAllowed: a page may only navigate within the origin it was loaded from
 * (scheme, host and port of `entryUrl`; a dev-server reload, say). Everything else, and
 * anything unparsable, is refused. Compared by parts because Node gives non-special
 * schemes such as `app:` an opaque `null` origin.
 */
export function isNavigationAllowed(target: string, entryUrl: string): boolean {
  let to: URL;
  let entry: URL;
  try {
    to = new URL(target);
    entry = new URL(entryUrl);
  } catch {
    return false;
  }
  return (
    to.protocol === entry.protocol &&
    to.host === entry.host &&
    to.host !== '' &&
    to.username === '' &&
    to.password === ''
  );
}

/**
 * hardenWebContents: on every web contents, refuse navigation away from the app,
 * redirects away from it, `<webview>` attachment and every new window.
 */
export function hardenWebContents(contents: WebContents, entryUrl: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url, entryUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url, entryUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * hardenSession: the app needs no web permission (camera, notifications, USB, …), so
 * every request and check is refused.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** createMainWindow opens the window, shows it once painted and loads `entryUrl`. */
export function createMainWindow(options: {
  preload: string;
  entryUrl: string;
  dark: boolean;
  bounds?: WindowBounds;
}): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(options.preload, options.dark, options.bounds));
  win.once('ready-to-show', () => win.show());
  win.loadURL(options.entryUrl).catch((error: unknown) => {
    console.error(`ORAS Desktop could not load ${options.entryUrl}:`, error);
  });
  return win;
}
