import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserApi } from '../src/shared/browser-bridge';
import type { Events, OrasApi, RegistryEntry } from '../src/shared/contract';
import { createAppLogins } from '../src/main/services/logins';
import { startBrowserMode, type BrowserMode } from '../src/main/web/browser-mode';
import { startSecretService, type SecretServiceSession } from './support/keyring';
import { startRegistry, type Registry } from './support/registry';
import { findOnDisk, secretForms } from './support/secret-search';
import { useTempDirs } from './support/tmp';

/**
 * Browser mode for real: the server on a loopback port over a temporary data folder,
 * the credentials service on a private Secret Service (gnome-keyring), a real htpasswd
 * registry. Requests are made with node:http so every header (Host, Origin, cookies)
 * is exactly what a hostile page or a browser would send.
 */

const USER = 'rocketeer';
const PASSWORD = `Rocket-${randomBytes(9).toString('hex')}`;
const WRONG = `Wrong-${randomBytes(9).toString('hex')}`;

const tempDir = useTempDirs('oras-app-web-');
let session: SecretServiceSession;
let registry: Registry;
let mode: BrowserMode;
let dataDir: string;
let stagingParent: string;
let origin: string;
let token: string;
/** Every response body this file saw, to search for secrets at the end. */
const bodies: string[] = [];

beforeAll(async () => {
  [session, registry] = await Promise.all([startSecretService(), startRegistry({ auth: 'htpasswd', users: { [USER]: PASSWORD } })]);
  dataDir = await tempDir();
  stagingParent = await tempDir();
  const rendererRoot = await tempDir();
  await mkdir(path.join(rendererRoot, 'assets'));
  await writeFile(path.join(rendererRoot, 'index.html'), '<!doctype html><title>ORAS Desktop</title><script type="module" src="./assets/app.js"></script>');
  await writeFile(path.join(rendererRoot, 'assets', 'app.js'), 'console.log("app")');
  mode = await startBrowserMode({
    dataDir,
    rendererRoot,
    logins: createAppLogins(session.env),
    version: '0.0.0-test',
    port: 0,
    stagingParent,
    log: () => {},
  });
  origin = mode.server.origin;
  token = mode.server.token;
});

afterAll(async () => {
  await mode?.close();
  await Promise.all([session?.stop(), registry?.stop()]);
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** send makes one request to the server with exactly these headers. */
function send(method: string, pathname: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: mode.server.port, method, path: pathname, headers: { host: `127.0.0.1:${mode.server.port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          bodies.push(text);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const json = { 'content-type': 'application/json' };
const withToken = (headers: Record<string, string> = {}) => ({ ...json, 'x-oras-token': token, ...headers });
const call = async (channel: string, request: unknown, headers: Record<string, string> = withToken()) => {
  const answer = await send('POST', `/api/${channel}`, headers, request === undefined ? '' : JSON.stringify(request));
  return { ...answer, result: JSON.parse(answer.body) as { ok: boolean; value?: any; error?: { code: string; message: string } } };
};

/** api is the page's window.oras, the shim over Node's fetch: the same object a browser gets. */
const api = (): OrasApi => {
  const fetchAndKeep: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const text = await res.text();
    bodies.push(text);
    return new Response(text, { status: res.status, headers: res.headers });
  };
  return createBrowserApi({ baseUrl: origin, token, version: '0.0.0-test', fetch: fetchAndKeep });
};

describe('browser mode refuses what is not its own page', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(mode.server.address.address).toBe('127.0.0.1');
    expect(mode.server.url).toBe(`http://127.0.0.1:${mode.server.port}/?token=${token}`);
    expect(token).toMatch(/^[\w-]{43}$/);
    const reachable = (host: string) =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host, port: mode.server.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
    expect(await reachable('127.0.0.1')).toBe(true);
    expect(await reachable('::1')).toBe(false);
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of external) expect(await reachable(address), address).toBe(false);
  });

  it('answers 401 without the token, or with a wrong one', async () => {
    for (const [what, headers] of [
      ['no token', json],
      ['a wrong token', { ...json, 'x-oras-token': 'x'.repeat(43) }],
      ['an empty token', { ...json, 'x-oras-token': '' }],
      ['a wrong cookie', { ...json, cookie: `oras-token-${mode.server.port}=nope` }],
      ["another port's cookie", { ...json, cookie: `oras-token-1=${token}` }],
    ] as const) {
      const { status, result } = await call('registries.list', undefined, headers);
      expect(status, what).toBe(401);
      expect(result, what).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect((await send('GET', '/')).status).toBe(401);
    expect((await send('GET', '/assets/app.js')).status).toBe(401);
    expect((await send('GET', '/api/events')).status).toBe(401);
    expect((await send('GET', '/?token=wrong')).status).toBe(401);
    expect((await send('POST', '/api/upload', { 'x-oras-file-name': 'a' }, 'data')).status).toBe(401);
  });

  it('answers 403 to a foreign Origin or another site, even with the right token', async () => {
    for (const origin of ['https://evil.example', 'http://127.0.0.1:1', 'http://localhost:' + mode.server.port, 'null']) {
      const { status, result } = await call('registries.list', undefined, withToken({ origin }));
      expect(status, origin).toBe(403);
      expect(result.error?.code).toBe('DENIED');
    }
    for (const site of ['cross-site', 'same-site']) {
      expect((await call('registries.list', undefined, withToken({ 'sec-fetch-site': site }))).status, site).toBe(403);
    }
    expect((await call('registries.list', undefined, withToken({ origin }))).status).toBe(200);
  });

  it('refuses another Host name (DNS rebinding), even with the right token', async () => {
    for (const host of ['evil.example:' + mode.server.port, `localhost:${mode.server.port}`, '127.0.0.1', `127.0.0.1:${mode.server.port + 1}`, `[::1]:${mode.server.port}`]) {
      const { status, result } = await call('registries.list', undefined, withToken({ host }));
      expect(status, host).toBe(403);
      expect(result.error?.code).toBe('DENIED');
    }
    expect((await send('GET', `/?token=${token}`, { host: `rebind.example:${mode.server.port}` })).status).toBe(403);
  });

  it('turns the printed URL into an HttpOnly, SameSite=Strict cookie and serves the page with its CSP', async () => {
    const first = await send('GET', `/?token=${token}`, { 'sec-fetch-site': 'none' });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']![0]!;
    expect(cookie).toMatch(new RegExp(`^oras-token-${mode.server.port}=${token}; Path=/; HttpOnly; SameSite=Strict$`));
    const pair = cookie.split(';')[0]!;
    const sneaky = await send('GET', `//evil.example/path?token=${token}&x=1`);
    expect(sneaky.headers.location).toBe('/evil.example/path?x=1');
    const page = await send('GET', '/', { cookie: pair });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>ORAS Desktop</title>');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self';/);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const script = await send('GET', '/assets/app.js', { cookie: pair, origin, 'sec-fetch-site': 'same-origin' });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await send('GET', '/../../etc/passwd', { cookie: pair })).status).toBe(404);
    expect((await send('GET', '/%2e%2e/%2e%2e/etc/passwd', { cookie: pair })).status).toBe(404);
    const viaCookie = await call('app.info', undefined, { ...json, cookie: pair, origin });
    expect(viaCookie.result).toEqual({ ok: true, value: { version: '0.0.0-test', platform: process.platform, mode: 'browser' } });
  });

  it('answers malformed API calls with an error envelope', async () => {
    expect((await send('POST', '/api/registries.list', { 'x-oras-token': token, 'content-type': 'text/plain' }, '{}')).status).toBe(415);
    const badJson = await send('POST', '/api/registries.add', withToken(), '{"registry":');
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const huge = await send('POST', '/api/registries.add', withToken(), JSON.stringify({ registry: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    const unknown = await call('registries.drop', {});
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const invalid = await call('registries.add', { registry: 'https://x', secret: PASSWORD });
    expect(invalid.result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect((await send('GET', '/api/registries.list', withToken())).status).toBe(405);
    const byPath = await call('files.stage', { paths: ['/etc/passwd'] });
    expect(byPath.result).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
  });
});

describe('browser mode runs the handlers', () => {
  it('lists the local store, its folder created in the data folder (a folder of layouts, one per repository)', async () => {
    const list = await api().listRegistries();
    expect(list).toEqual({
      ok: true,
      value: [{ id: 'local', kind: 'local', label: 'Local OCI layout', path: path.join(dataDir, 'oci-layout'), options: {} }],
    });
    expect((await stat(path.join(dataDir, 'oci-layout'))).isDirectory()).toBe(true);
  });

  it('adds a registry only with the right password, then logs out and removes it', async () => {
    const oras = api();
    const wrong = await oras.addRegistry({ registry: registry.host, username: USER, secret: WRONG });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(!wrong.ok && wrong.error.message).toContain('nothing was saved');
    const afterWrong = await oras.listRegistries();
    expect(afterWrong.ok && afterWrong.value.map((e) => e.id)).toEqual(['local']);
    expect(await readdir(dataDir)).not.toContain('settings.json');

    const tested = await oras.testRegistry({ registry: registry.host, username: USER, secret: PASSWORD });
    expect(tested).toEqual({ ok: true, value: { ok: true } });
    const stillNone = await oras.listRegistries();
    expect(stillNone.ok && stillNone.value).toHaveLength(1);

    const added = await oras.addRegistry({ registry: registry.host, username: USER, secret: PASSWORD });
    const entry: RegistryEntry = { id: registry.host, kind: 'remote', label: registry.host, username: USER, location: 'keychain', options: {} };
    expect(added).toEqual({ ok: true, value: entry });
    expect(await oras.listRegistries()).toMatchObject({ ok: true, value: [{ id: 'local' }, entry] });
    // The saved login is what a test without a password checks.
    expect(await oras.testRegistry({ registry: registry.host })).toEqual({ ok: true, value: { ok: true } });
    expect(await oras.addRegistry({ registry: registry.host, username: USER, secret: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_EXISTS' },
    });

    const loggedOut = await oras.logoutRegistry({ registry: registry.host });
    expect(loggedOut).toEqual({ ok: true, value: { id: registry.host, kind: 'remote', label: registry.host, options: {} } });
    const anonymousTest = await oras.testRegistry({ registry: registry.host });
    expect(anonymousTest).toEqual({ ok: true, value: { ok: true } }); // it answers; a login is another matter

    expect(await oras.removeRegistry({ registry: registry.host })).toEqual({ ok: true, value: { removed: true } });
    expect(await oras.listRegistries()).toMatchObject({ ok: true, value: [{ id: 'local' }] });
    expect(await oras.removeRegistry({ registry: registry.host })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('streams job events to the page over Server-Sent Events', async () => {
    const oras = api();
    const seen: Events['job.state'][] = [];
    const progress: Events['job.progress'][] = [];
    // Node 20 has no EventSource: read the stream with fetch, as a minimal one would.
    const controller = new AbortController();
    const res = await fetch(`${origin}/api/events`, { headers: { 'x-oras-token': token }, signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = Readable.fromWeb(res.body as never);
    let buffer = '';
    const got = new Promise<void>((resolve) => {
      reader.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event === 'job.state') seen.push(JSON.parse(data!));
          if (event === 'job.progress') progress.push(JSON.parse(data!));
          if (seen.length === 4) resolve();
        }
      });
    });
    reader.on('error', () => {});
    await new Promise((r) => setTimeout(r, 50)); // the subscription is made when the stream opens

    const done = mode.services.jobs.start('push', async (ctx) => {
      ctx.progress({ bytes: 5, total: 10 });
      return 'pushed';
    });
    const cancelled = mode.services.jobs.start('pull', (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))));
    expect(await oras.cancelJob({ jobId: cancelled.jobId })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await oras.cancelJob({ jobId: cancelled.jobId })).toEqual({ ok: true, value: { cancelled: false } });
    await Promise.all([done.result, cancelled.result]);
    await got;
    controller.abort();
    expect(seen.filter((e) => e.jobId === done.jobId).map((e) => e.state)).toEqual(['running', 'done']);
    expect(seen.filter((e) => e.jobId === cancelled.jobId).map((e) => e.state)).toEqual(['running', 'cancelled']);
    expect(progress).toContainEqual({ jobId: done.jobId, bytes: 5, total: 10 });
  });

  it('receives dropped files by upload into a private staging folder, under safe names', async () => {
    const oras = api();
    const files = [new File(['🚀'], '../../rocket.txt'), new File([Buffer.alloc(256 * 1024, 7)], 'big.bin')];
    const staged = await oras.stageFiles(files);
    expect(staged).toMatchObject({
      ok: true,
      value: [
        { name: 'rocket.txt', size: 4, kind: 'file' },
        { name: 'big.bin', size: 256 * 1024, kind: 'file' },
      ],
    });
    const dir = mode.services.staging.stagingDir!;
    expect(path.dirname(dir)).toBe(stagingParent);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const first = staged.ok ? mode.services.staging.resolve(staged.value[0]!.id).path : '';
    expect(first.startsWith(dir + path.sep)).toBe(true);
  });

  it('receives a large upload whole: hashed on a thread of its own, the same bytes staged', async () => {
    const bytes = randomBytes(40 * 1024 * 1024);
    const staged = await api().stageFiles([new File([bytes], 'large.bin')]);
    expect(staged).toMatchObject({ ok: true, value: [{ name: 'large.bin', size: bytes.byteLength, kind: 'file' }] });
    const at = staged.ok ? mode.services.staging.resolve(staged.value[0]!.id).path : '';
    expect(createHash('sha256').update(await readFile(at)).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('hands a file to the browser once, as a download', async () => {
    const offer = mode.services.downloads.offer({ name: 'blob ☃.bin', size: 3, open: async () => Readable.from([Buffer.from('abc')]) });
    const url = `/api/download/${offer.id}`;
    expect((await send('GET', url)).status).toBe(401);
    const got = await send('GET', url, { 'x-oras-token': token });
    expect(got.status).toBe(200);
    expect(got.body).toBe('abc');
    expect(got.headers['content-disposition']).toBe(`attachment; filename="blob _.bin"; filename*=UTF-8''blob%20%E2%98%83.bin`);
    expect((await send('GET', url, { 'x-oras-token': token })).status).toBe(404);
  });

  it('never sends a password back, nor writes one in the data folder', async () => {
    const needles = [...secretForms(USER, PASSWORD), ...secretForms(USER, WRONG)];
    for (const body of bodies) for (const needle of needles) expect(body).not.toContain(needle);
    expect(bodies.length).toBeGreaterThan(20);
    expect(await findOnDisk([dataDir, stagingParent], needles)).toEqual([]);
  });
});

describe('stopping browser mode', () => {
  it('removes the staging folder and stops listening', async () => {
    const dir = mode.services.staging.stagingDir!;
    await mode.close();
    await expect(stat(dir)).rejects.toThrow();
    await expect(send('GET', '/')).rejects.toThrow();
  });
});
