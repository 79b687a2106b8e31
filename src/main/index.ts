import { join } from 'node:path';
import { app, nativeTheme, session, type BrowserWindow } from 'electron';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { createMainWindow, hardenSession, hardenWebContents, rendererEntryUrl } from './window';

/**
 * The Electron main process: one hardened window on the built renderer. Everything
 * here is wiring; the decisions live in window.ts, app-protocol.ts and csp.ts.
 */

// Every renderer is sandboxed, whatever a future window forgets to ask for.
app.enableSandbox();

// One app per user: a second launch focuses the first window and exits.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();

  const outDir = import.meta.dirname; // out/main
  const preload = join(outDir, '../preload/index.cjs');
  const rendererRoot = join(outDir, '../renderer');
  const entryUrl = rendererEntryUrl({
    isPackaged: app.isPackaged,
    devServerUrl: process.env['ELECTRON_RENDERER_URL'],
  });

  let mainWindow: BrowserWindow | undefined;
  const openWindow = (): void => {
    mainWindow = createMainWindow({ preload, entryUrl, dark: nativeTheme.shouldUseDarkColors });
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

  app
    .whenReady()
    .then(() => {
      hardenSession(session.defaultSession);
      serveRenderer(session.defaultSession, rendererRoot);
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
