import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, screen, session, shell } from 'electron';
import { createHandlers } from '../api/handlers';
import { APP_DIR_NAME, createServices, resolveDataDir, type AppServices } from '../services';
import { createAppLogins } from '../services/logins';
import { WEB_USAGE, WebUsageError, runWeb, stopOnSignals } from '../web/run';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { createDesktopDialogs, pickFolderToPush } from './desktop-dialogs';
import { bindIpc, forwardEvents } from './ipc';
import { menuTemplate } from './menu';
import { createMainWindow, hardenSession, hardenWebContents, MAIN_WINDOW_SIZE, rendererEntryUrl } from './window';
import { restoreWindowState, trackWindowState, WindowStateFile } from './window-state';

/**
 * The Electron main process: one hardened window on the built renderer, the handlers
 * bound to IPC, and (with `--web`) browser mode instead of a window. Everything here is
 * wiring; the decisions live beside it in desktop/ (window.ts, ipc.ts, menu.ts,
 * window-state.ts, app-protocol.ts, desktop-dialogs.ts), in page/ (the CSP and assets
 * both transports serve), api/ and services/. Built to out/main/index.js.
 */

const outDir = import.meta.dirname; // out/main
const rendererRoot = join(outDir, '../renderer');
const webAt = process.argv.indexOf('--web');

// One data folder whatever the product name: on Linux `$XDG_CONFIG_HOME/oras-desktop`
// (~/.config/oras-desktop), the very folder browser mode uses. Before anything reads it
// (the single-instance lock lives there too).
app.setPath('userData', join(app.getPath('appData'), APP_DIR_NAME));

if (webAt !== -1) {
  // `oras-desktop --web [--port N] [--no-open] [--data-dir DIR]`: browser mode, no window.
  app.dock?.hide();
  runWeb({
    argv: process.argv.slice(webAt + 1),
    rendererRoot,
    version: app.getVersion(),
    logins: createAppLogins(),
    defaultDataDir: app.getPath('userData'),
  })
    .then((mode) => {
      if (mode) stopOnSignals(mode);
      else app.exit(0);
    })
    .catch((error: unknown) => {
      console.error(`oras-desktop --web: ${(error as Error).message}${error instanceof WebUsageError ? `\n\n${WEB_USAGE}` : ''}`);
      app.exit(error instanceof WebUsageError ? 2 : 1);
    });
} else {
  startDesktop();
}

function startDesktop(): void {
  // Every renderer is sandboxed, whatever a future window forgets to ask for.
  app.enableSandbox();

  // One app per user: a second launch focuses the first window and exits.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();

  const preload = join(outDir, '../preload/index.cjs');
  const entryUrl = rendererEntryUrl({
    isPackaged: app.isPackaged,
    devServerUrl: process.env['ELECTRON_RENDERER_URL'],
  });
  const dataDir = resolveDataDir({ fallback: app.getPath('userData') });
  const windowState = new WindowStateFile(app.getPath('userData'));
  let services: AppServices | undefined;
  let mainWindow: BrowserWindow | undefined;

  const openWindow = (): void => {
    const state = restoreWindowState(
      windowState.load(),
      screen.getAllDisplays().map((d) => d.workArea),
      MAIN_WINDOW_SIZE,
    );
    mainWindow = createMainWindow({ preload, entryUrl, dark: nativeTheme.shouldUseDarkColors, bounds: state });
    if (state.maximized) mainWindow.maximize();
    trackWindowState(mainWindow, windowState);
    mainWindow.on('closed', () => {
      mainWindow = undefined;
    });
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, entryUrl));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed || !services) return;
    event.preventDefault();
    disposed = true;
    services.dispose().finally(() => app.quit());
  });

  app
    .whenReady()
    .then(() => {
      hardenSession(session.defaultSession);
      serveRenderer(session.defaultSession, rendererRoot);
      const dialogs = createDesktopDialogs(dialog, { window: () => mainWindow, downloadsFolder: () => app.getPath('downloads') });
      services = createServices({ dataDir, logins: createAppLogins(), dialogs });
      const pickFolder = () => pickFolderToPush(dialog, mainWindow);
      bindIpc(ipcMain, createHandlers({ services, mode: 'electron', version: app.getVersion(), pickFolder }), entryUrl);
      forwardEvents(services.events, () => BrowserWindow.getAllWindows().map((w) => w.webContents), entryUrl);
      app.setAboutPanelOptions({ applicationName: 'ORAS Desktop', applicationVersion: app.getVersion() });
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          menuTemplate({
            platform: process.platform,
            appName: 'ORAS Desktop',
            isPackaged: app.isPackaged,
            actions: {
              openDataFolder: () => void shell.openPath(dataDir),
              openWebsite: () => void shell.openExternal('https://oras.land'),
              showAbout: () => app.showAboutPanel(),
            },
          }),
        ),
      );
      openWindow();
      app.on('activate', () => {
        if (!mainWindow) openWindow();
      });
    })
    .catch((error: unknown) => {
      console.error('ORAS Desktop failed to start:', error);
      app.exit(1);
    });
}
