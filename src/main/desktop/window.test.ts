import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// No Electron binary here: the module is mocked, and only the plain decisions and the
// thin wiring (against fake web contents and sessions) are exercised.
const BrowserWindow = vi.fn();
vi.mock('electron', () => ({ BrowserWindow, net: {}, protocol: {} }));

const { APP_ENTRY_URL } = await import('./app-protocol');
const { contentSecurityPolicy, hoistCspMeta, inlineScripts, readCspMeta, replaceCspMeta } =
  await import('../page/csp');
const {
  hardenSession,
  hardenWebContents,
  isNavigationAllowed,
  mainWindowOptions,
  rendererEntryUrl,
  secureWebPreferences,
} = await import('./window');

describe('secureWebPreferences', () => {
  it('sandboxes and isolates the renderer, with the preload as the only bridge', () => {
    expect(secureWebPreferences('/app/out/preload/index.cjs')).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('places the window where it was remembered, or centres it at the default size', () => {
    expect(mainWindowOptions('/p.cjs', false)).toMatchObject({ width: 1200, height: 800, minWidth: 720, minHeight: 480 });
    expect(mainWindowOptions('/p.cjs', false)).not.toHaveProperty('x');
    expect(mainWindowOptions('/p.cjs', false, { x: 5, y: 6, width: 900, height: 700 })).toMatchObject({ x: 5, y: 6, width: 900, height: 700 });
    expect(mainWindowOptions('/p.cjs', false, { width: 900, height: 700 })).not.toHaveProperty('x');
  });

  it('is what the main window gets', () => {
    const options = mainWindowOptions('/p.cjs', false);
    expect(options.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
    expect(options.title).toBe('ORAS Desktop');
    expect(options.show).toBe(false);
    expect(mainWindowOptions('/p.cjs', true).backgroundColor).not.toBe(options.backgroundColor);
  });
});

describe('contentSecurityPolicy', () => {
  const policy = contentSecurityPolicy();
  const directives = new Map(
    policy.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('allows scripts only from the app itself: no inline, no eval, no remote', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(policy).not.toMatch(/unsafe-(inline|eval)|\*|https?:/);
  });

  it('refuses objects, frames, base and form targets, and being framed', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('leaves frame-ancestors out of a <meta> policy, where browsers ignore it', () => {
    expect(contentSecurityPolicy({ delivery: 'meta' })).not.toContain('frame-ancestors');
  });

  it('matches the <meta> policy written in src/renderer/index.html', () => {
    const html = readFileSync(resolve(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    expect(readCspMeta(html)).toBe(contentSecurityPolicy({ delivery: 'meta' }));
  });

  it('loosens only by script hashes and the HMR socket under the dev server', () => {
    const dev = contentSecurityPolicy({
      delivery: 'meta',
      dev: { scriptHashes: ['sha256-abc='], websocketOrigin: 'ws://localhost:5173' },
    });
    expect(dev).toContain("script-src 'self' 'sha256-abc='");
    expect(dev).toContain("connect-src 'self' ws://localhost:5173");
    expect(dev).not.toMatch(/unsafe-/);
  });
});

describe('dev-server CSP rewriting', () => {
  const html = [
    '<html><head>',
    '<script type="module">inline()</script>',
    '<script type="module" src="/@vite/client"></script>',
    '<meta http-equiv="Content-Security-Policy" content="script-src \'self\'" />',
    '</head></html>',
  ].join('\n');

  it('finds inline scripts only', () => {
    expect(inlineScripts(html)).toEqual(['inline()']);
  });

  it('swaps the policy and moves it ahead of the scripts it governs', () => {
    const out = hoistCspMeta(replaceCspMeta(html, 'default-src x'));
    expect(readCspMeta(out)).toBe('default-src x');
    expect(out.indexOf('Content-Security-Policy')).toBeLessThan(out.indexOf('<script'));
    expect(() => replaceCspMeta('<html></html>', 'x')).toThrow(/no <meta/);
  });
});

describe('rendererEntryUrl', () => {
  it('loads the built renderer from app://oras by default', () => {
    expect(rendererEntryUrl({ isPackaged: false })).toBe('app://oras/index.html');
    expect(APP_ENTRY_URL).toBe('app://oras/index.html');
  });

  it('uses the dev server on loopback while unpackaged', () => {
    expect(rendererEntryUrl({ isPackaged: false, devServerUrl: 'http://localhost:5173' })).toBe(
      'http://localhost:5173/',
    );
    expect(rendererEntryUrl({ isPackaged: false, devServerUrl: 'http://127.0.0.1:5173/' })).toBe(
      'http://127.0.0.1:5173/',
    );
  });

  it('never lets the environment point the app at another page', () => {
    const devServerUrl = 'http://localhost:5173';
    expect(rendererEntryUrl({ isPackaged: true, devServerUrl })).toBe(APP_ENTRY_URL);
    for (const devServerUrl of [
      'https://evil.example/',
      'http://evil.example:5173/',
      'http://localhost.evil.example/',
      'http://user@localhost:5173/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(rendererEntryUrl({ isPackaged: false, devServerUrl })).toBe(APP_ENTRY_URL);
    }
  });
});

describe('isNavigationAllowed', () => {
  it('allows staying on the origin the app was loaded from', () => {
    expect(isNavigationAllowed('app://oras/index.html', APP_ENTRY_URL)).toBe(true);
    expect(isNavigationAllowed('app://oras/index.html#/tags', APP_ENTRY_URL)).toBe(true);
    expect(isNavigationAllowed('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
  });

  it('refuses every other origin and anything unparsable', () => {
    for (const target of [
      'https://example.com/',
      'http://oras/index.html',
      'app://other/index.html',
      'app://oras@evil/index.html',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      '',
      'not a url',
    ]) {
      expect(isNavigationAllowed(target, APP_ENTRY_URL), target).toBe(false);
    }
    expect(isNavigationAllowed('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isNavigationAllowed('app://oras/', 'not a url')).toBe(false);
  });
});

type Listener = (event: { preventDefault: () => void }, url?: string) => void;

function fakeWebContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, listener: Listener) => listeners.set(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => {
      openHandler = handler;
    },
  };
  const emit = (name: string, url?: string): boolean => {
    const preventDefault = vi.fn();
    listeners.get(name)?.({ preventDefault }, url);
    return preventDefault.mock.calls.length > 0;
  };
  return { contents, emit, open: (url: string) => openHandler?.({ url }) };
}

describe('hardenWebContents', () => {
  it('stops navigation and redirects off the app, and every new window or webview', () => {
    const fake = fakeWebContents();
    hardenWebContents(fake.contents as never, APP_ENTRY_URL);
    expect(fake.emit('will-navigate', 'https://example.com/')).toBe(true);
    expect(fake.emit('will-navigate', 'app://oras/index.html')).toBe(false);
    expect(fake.emit('will-redirect', 'https://example.com/')).toBe(true);
    expect(fake.emit('will-attach-webview')).toBe(true);
    expect(fake.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(fake.open('app://oras/index.html')).toEqual({ action: 'deny' });
  });
});

describe('hardenSession', () => {
  it('refuses every permission request and check', () => {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    };
    hardenSession(session as never);
    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      ...args: unknown[]
    ) => void;
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read']) {
      const callback = vi.fn();
      request({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
    }
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0] as (
      ...args: unknown[]
    ) => boolean;
    expect(check({}, 'media', 'app://oras', {})).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]?.[0] as (
      ...args: unknown[]
    ) => boolean;
    expect(device({})).toBe(false);
  });
});
