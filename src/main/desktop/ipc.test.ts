import { describe, expect, it, vi } from 'vitest';
import { channelNames, ipcChannel, type Channel } from '../../shared/contract';

vi.mock('electron', () => ({ BrowserWindow: vi.fn(), net: {}, protocol: {} }));

const { APP_ENTRY_URL } = await import('./app-protocol');
const { bindIpc, forwardEvents, isTrustedSender, FOREIGN_SENDER } = await import('./ipc');
const { EventBus } = await import('../services/events');
type HandlerTable = import('../api/handlers').HandlerTable;

const top = (url: string) => ({ url, parent: null });

describe('isTrustedSender', () => {
  it("trusts the top frame of the app's own page", () => {
    expect(isTrustedSender(top('app://oras/index.html'), APP_ENTRY_URL)).toBe(true);
    expect(isTrustedSender(top('app://oras/index.html#/registries'), APP_ENTRY_URL)).toBe(true);
    expect(isTrustedSender(top('http://localhost:5173/'), 'http://localhost:5173/')).toBe(true);
  });

  it('refuses foreign pages, sub-frames and frames that are gone', () => {
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:5173/',
      'app://other/index.html',
      'app://oras@evil/index.html',
      'file:///home/me/page.html',
      'about:blank',
      'data:text/html,hi',
      '',
    ]) {
      expect(isTrustedSender(top(url), APP_ENTRY_URL), url).toBe(false);
    }
    const parent = top('app://oras/index.html');
    expect(isTrustedSender({ url: 'app://oras/index.html', parent } as never, APP_ENTRY_URL)).toBe(false);
    expect(isTrustedSender(null, APP_ENTRY_URL)).toBe(false);
    expect(isTrustedSender(undefined, APP_ENTRY_URL)).toBe(false);
    // A dev server URL is trusted only when the app was loaded from it.
    expect(isTrustedSender(top('http://localhost:5173/'), APP_ENTRY_URL)).toBe(false);
  });
});

function fakeIpcMain() {
  const handlers = new Map<string, (event: unknown, request: unknown) => Promise<unknown>>();
  return {
    handlers,
    handle: vi.fn((name: string, fn: (event: unknown, request: unknown) => Promise<unknown>) => handlers.set(name, fn)),
    removeHandler: vi.fn((name: string) => handlers.delete(name)),
  };
}

function spyTable() {
  const calls: [Channel, unknown][] = [];
  const table = Object.fromEntries(
    channelNames.map((c) => [c, vi.fn(async (request: unknown) => (calls.push([c, request]), { ok: true, value: c }))]),
  ) as unknown as HandlerTable;
  return { table, calls };
}

describe('bindIpc', () => {
  it('binds one prefixed handler per channel and nothing else', () => {
    const ipcMain = fakeIpcMain();
    bindIpc(ipcMain as never, spyTable().table, APP_ENTRY_URL);
    expect([...ipcMain.handlers.keys()].sort()).toEqual(channelNames.map((c) => ipcChannel(c)).sort());
    expect([...ipcMain.handlers.keys()].every((k) => k.startsWith('oras:'))).toBe(true);
  });

  it("passes the app's own requests to the handler", async () => {
    const ipcMain = fakeIpcMain();
    const { table, calls } = spyTable();
    bindIpc(ipcMain as never, table, APP_ENTRY_URL);
    const answer = await ipcMain.handlers.get('oras:registries.list')!({ senderFrame: top('app://oras/index.html') }, { x: 1 });
    expect(answer).toEqual({ ok: true, value: 'registries.list' });
    expect(calls).toEqual([['registries.list', { x: 1 }]]);
  });

  it('refuses foreign frames on every channel without calling a handler', async () => {
    const ipcMain = fakeIpcMain();
    const { table, calls } = spyTable();
    bindIpc(ipcMain as never, table, APP_ENTRY_URL);
    for (const channel of channelNames) {
      for (const senderFrame of [top('https://evil.example/'), { url: 'app://oras/index.html', parent: {} }, null]) {
        const answer = await ipcMain.handlers.get(ipcChannel(channel))!({ senderFrame }, {});
        expect(answer).toEqual({ ok: false, error: FOREIGN_SENDER });
      }
    }
    expect(calls).toEqual([]);
  });

  it('unbinds every channel', () => {
    const ipcMain = fakeIpcMain();
    const unbind = bindIpc(ipcMain as never, spyTable().table, APP_ENTRY_URL);
    unbind();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('forwardEvents', () => {
  it("sends events to the app's own live pages only, on prefixed channels", () => {
    const events = new EventBus();
    const page = (url: string, destroyed = false) => ({ getURL: () => url, isDestroyed: () => destroyed, send: vi.fn() });
    const own = page('app://oras/index.html');
    const foreign = page('https://evil.example/');
    const gone = page('app://oras/index.html', true);
    const stop = forwardEvents(events, () => [own, foreign, gone], APP_ENTRY_URL);
    const payload = { jobId: 'j', kind: 'push', state: 'running' } as const;
    events.emit('job.state', payload);
    expect(own.send).toHaveBeenCalledWith('oras:job.state', payload);
    expect(foreign.send).not.toHaveBeenCalled();
    expect(gone.send).not.toHaveBeenCalled();
    stop();
    events.emit('job.state', payload);
    expect(own.send).toHaveBeenCalledTimes(1);
  });
});
