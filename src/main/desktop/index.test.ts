import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { channelNames, ipcChannel } from '../../shared/contract';

// The whole main process wired against a mocked Electron: what index.ts asks of it.
const userData = mkdtempSync(join(tmpdir(), 'oras-main-'));
const h = vi.hoisted(() => {
  const appListeners = new Map<string, (...args: unknown[]) => void>();
  const windows: { options: Record<string, any>; url?: string; maximize: () => void }[] = [];
  class FakeWindow {
    readonly webContents = { isDestroyed: () => false, getURL: () => 'app://oras/index.html', send: () => {} };
    readonly listeners = new Map<string, () => void>();
    url?: string;
    constructor(readonly options: Record<string, any>) {
      windows.push(this as never);
    }
    on(event: string, fn: () => void) {
      this.listeners.set(event, fn);
      return this;
    }
    once(event: string, fn: () => void) {
      return this.on(event, fn);
    }
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
    maximize() {}
    static getAllWindows() {
      return windows;
    }
  }
  return {
    appListeners,
    windows,
    FakeWindow,
    ipcHandle: vi.fn(),
    setApplicationMenu: vi.fn(),
    buildFromTemplate: vi.fn((t: unknown) => ({ template: t })),
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    registerSchemesAsPrivileged: vi.fn(),
    protocolHandle: vi.fn(),
    setPermissionRequestHandler: vi.fn(),
    setPath: vi.fn(),
  };
});

vi.mock('electron', () => ({
  app: {
    enableSandbox: h.enableSandbox,
    requestSingleInstanceLock: h.requestSingleInstanceLock,
    quit: vi.fn(),
    exit: vi.fn(),
    on: (event: string, fn: (...args: unknown[]) => void) => h.appListeners.set(event, fn),
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => (name === 'appData' ? join(userData, 'appData') : join(userData, 'appData', 'oras-desktop')),
    setPath: h.setPath,
    getVersion: () => '9.9.9',
    isPackaged: true,
    setAboutPanelOptions: vi.fn(),
    showAboutPanel: vi.fn(),
  },
  BrowserWindow: h.FakeWindow,
  ipcMain: { handle: h.ipcHandle, removeHandler: vi.fn() },
  Menu: { setApplicationMenu: h.setApplicationMenu, buildFromTemplate: h.buildFromTemplate },
  nativeTheme: { shouldUseDarkColors: false },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  session: {
    defaultSession: {
      setPermissionRequestHandler: h.setPermissionRequestHandler,
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
      protocol: { handle: h.protocolHandle },
    },
  },
  shell: { openPath: vi.fn(), openExternal: vi.fn() },
  dialog: { showSaveDialog: vi.fn(), showOpenDialog: vi.fn() },
  protocol: { registerSchemesAsPrivileged: h.registerSchemesAsPrivileged },
  net: { fetch: vi.fn() },
}));
vi.mock('../services/logins', () => ({
  createAppLogins: () => ({ list: async () => [], test: vi.fn(), login: vi.fn(), logout: async () => false, provider: () => async () => undefined }),
}));

afterAll(() => rmSync(userData, { recursive: true, force: true }));

describe('the main process', () => {
  it('sandboxes every renderer, takes the single-instance lock, hardens the session and serves app://', async () => {
    await import('./index');
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    expect(h.setPath).toHaveBeenCalledWith('userData', join(userData, 'appData', 'oras-desktop'));
    expect(h.enableSandbox).toHaveBeenCalled();
    expect(h.requestSingleInstanceLock).toHaveBeenCalled();
    expect(h.registerSchemesAsPrivileged).toHaveBeenCalled();
    expect(h.setPermissionRequestHandler).toHaveBeenCalled();
    expect(h.protocolHandle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(h.appListeners.has('second-instance')).toBe(true);
    expect(h.appListeners.has('web-contents-created')).toBe(true);
  });

  it('opens one window, sandboxed and isolated, on app://oras', () => {
    const [win] = h.windows as unknown as { options: Record<string, any>; url: string }[];
    expect(win!.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(win!.url).toBe('app://oras/index.html');
  });

  it('binds one IPC handler per channel and sets the application menu', () => {
    const bound = h.ipcHandle.mock.calls.map((c) => c[0] as string);
    expect(bound.sort()).toEqual(channelNames.map((c) => ipcChannel(c)).sort());
    expect(h.setApplicationMenu).toHaveBeenCalledTimes(1);
  });

  it("answers the app's own page and refuses others", async () => {
    const handler = h.ipcHandle.mock.calls.find((c) => c[0] === 'oras:app.info')![1] as (e: unknown, r: unknown) => Promise<unknown>;
    expect(await handler({ senderFrame: { url: 'app://oras/index.html', parent: null } }, undefined)).toEqual({
      ok: true,
      value: { version: '9.9.9', platform: process.platform, mode: 'electron' },
    });
    expect(await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, undefined)).toMatchObject({
      ok: false,
      error: { code: 'DENIED' },
    });
  });
});
