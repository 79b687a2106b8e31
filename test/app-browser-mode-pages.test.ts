import { mkdir, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppLogins } from '../src/main/services/logins';
import { startBrowserMode, type BrowserMode } from '../src/main/web/browser-mode';
import { useTempDirs } from './support/tmp';

/**
 * Browser mode opened the wrong way by a person: without its token (a bookmark, a
 * restarted server) or under `localhost` instead of `127.0.0.1`. The browser gets a
 * small HTML page that says what to do, under the app's CSP, with no script and never
 * the token; API calls keep their JSON errors. Requests are made with node:http so
 * every header is exactly what a browser would send.
 */

/** What Chromium sends as Accept when it navigates. */
const NAVIGATE = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
};

const tempDir = useTempDirs('oras-web-pages-');
let mode: BrowserMode;
let port: number;
let token: string;

beforeAll(async () => {
  const rendererRoot = await tempDir();
  await mkdir(path.join(rendererRoot, 'assets'));
  await writeFile(path.join(rendererRoot, 'index.html'), '<!doctype html><title>ORAS Desktop</title><script type="module" src="./assets/app.js"></script>');
  await writeFile(path.join(rendererRoot, 'assets', 'app.js'), 'console.log("app")');
  mode = await startBrowserMode({
    dataDir: await tempDir(),
    rendererRoot,
    logins: createAppLogins({ HOME: await tempDir() }),
    version: '0.0.0-test',
    port: 0,
    stagingParent: await tempDir(),
    log: () => {},
  });
  port = mode.server.port;
  token = mode.server.token;
});

afterAll(async () => {
  await mode?.close();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** send makes one request with exactly these headers (Host defaults to the server's own). */
function send(method: string, pathname: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path: pathname, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** expectHelpPage checks what every help page must be: HTML, the CSP, no script, no token. */
function expectHelpPage(answer: Answer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(answer.headers['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self';/);
  expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(answer.headers['set-cookie']).toBeUndefined();
  expect(answer.body).toMatch(/^<!doctype html>/);
  expect(answer.body).not.toMatch(/<script|<style|style=/i);
  expect(answer.body).not.toContain(token);
}

describe('browser mode opened without its token', () => {
  it('shows a page saying to open the address npm run web printed', async () => {
    for (const pathname of ['/', '/index.html', '/#/r/local', `/?token=${'x'.repeat(43)}`]) {
      const answer = await send('GET', pathname, NAVIGATE);
      expectHelpPage(answer, 401);
      expect(answer.body, pathname).toContain('<title>ORAS Desktop needs its address with the token</title>');
      expect(answer.body, pathname).toContain('Open the address <code>npm run web</code> printed when it started (it has <code>?token=…</code>)');
    }
    // A link from another site (the cookie would not come along either) gets the same page.
    expectHelpPage(await send('GET', '/', { ...NAVIGATE, 'sec-fetch-site': 'cross-site' }), 403);
  });

  it('answers HEAD with the headers only', async () => {
    const answer = await send('HEAD', '/', NAVIGATE);
    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toBe('');
  });
});

describe('browser mode opened under another name than 127.0.0.1', () => {
  it('shows a page saying to use http://127.0.0.1:<port>/, even with the right token', async () => {
    for (const host of [`localhost:${port}`, `rebind.example:${port}`, `[::1]:${port}`]) {
      for (const pathname of ['/', `/?token=${token}`]) {
        const answer = await send('GET', pathname, { ...NAVIGATE, host });
        expectHelpPage(answer, 403);
        expect(answer.body, host).toContain('<title>Open ORAS Desktop at 127.0.0.1</title>');
        expect(answer.body, host).toContain(`use <code>http://127.0.0.1:${port}/</code> in this browser`);
        expect(answer.body, host).toContain(`<a href="http://127.0.0.1:${port}/">`);
      }
    }
  });
});

describe('what stays as it was', () => {
  it('API calls and non-page requests keep their JSON errors', async () => {
    const json = (answer: Answer) => JSON.parse(answer.body) as { ok: boolean; error?: { code: string } };
    const api = await send('POST', '/api/registries.list', { ...NAVIGATE, 'content-type': 'application/json' }, '');
    expect(api.status).toBe(401);
    expect(api.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json(api)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    // GET under /api/ with HTML accepted is still the API.
    const events = await send('GET', '/api/events', NAVIGATE);
    expect(events.status).toBe(401);
    expect(json(events).error?.code).toBe('UNAUTHORIZED');
    const wrongHostApi = await send('POST', '/api/registries.list', { host: `localhost:${port}`, 'content-type': 'application/json', 'x-oras-token': token });
    expect(wrongHostApi.status).toBe(403);
    expect(json(wrongHostApi).error?.code).toBe('DENIED');
    // A script or a fetch does not ask for HTML.
    for (const accept of ['*/*', 'application/json', 'text/htmlx']) {
      const answer = await send('GET', '/assets/app.js', { accept });
      expect(answer.status, accept).toBe(401);
      expect(json(answer).error?.code, accept).toBe('UNAUTHORIZED');
    }
    // POST to a page is not a navigation.
    expect((await send('POST', '/', NAVIGATE)).headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('the printed address still leads to the app', async () => {
    const first = await send('GET', `/?token=${token}`, { ...NAVIGATE, 'sec-fetch-site': 'none' });
    expect(first.status).toBe(303);
    const cookie = first.headers['set-cookie']![0]!.split(';')[0]!;
    const page = await send('GET', '/', { ...NAVIGATE, cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>ORAS Desktop</title>');
  });
});
