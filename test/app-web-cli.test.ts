import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { bundleNode } from '../scripts/bundle-node.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDirs } from './support/tmp';

/**
 * `npm run web`'s program (src/main/web/cli.ts) as its own process, bundled the way
 * scripts/build-cli.mjs bundles dist/web.js, into a private folder under dist/ (so it
 * finds node_modules). What only a process shows: the printed URL, the exit statuses,
 * Ctrl+C removing the staging folder.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const tempDir = useTempDirs('oras-app-web-cli-');
let bin: string;
let binDir: string;
let rendererRoot: string;

beforeAll(async () => {
  binDir = path.join(ROOT, 'dist', `test-web-${randomBytes(4).toString('hex')}`);
  bin = path.join(binDir, 'web.js');
  await bundleNode(path.join(ROOT, 'src/main/web/cli.ts'), bin);
  rendererRoot = await tempDir();
  await writeFile(path.join(rendererRoot, 'index.html'), '<!doctype html><title>ORAS Desktop</title>');
});
afterAll(async () => {
  await rm(binDir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function start(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run & { tmp: string; home: string }> {
  const tmp = await tempDir();
  const home = await tempDir();
  // A HOME of its own and no D-Bus: the keychain is simply absent, as on a headless host.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    TMPDIR: tmp,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    ORAS_DESKTOP_RENDERER_DIR: rendererRoot,
    ...extraEnv,
  };
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exit, tmp, home };
}

async function urlOf(run: Run): Promise<URL> {
  for (let i = 0; i < 200; i++) {
    const match = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43})$/m.exec(run.stdout());
    if (match) return new URL(match[1]!);
    if (run.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no URL printed:\n${run.stdout()}\n${run.stderr()}`);
}

describe('npm run web (dist/web.js)', () => {
  it('prints its URL with the token, serves the page, and removes the staging folder on Ctrl+C', async () => {
    const dataDir = await tempDir();
    const run = await start(['--no-open', '--port', '0', '--data-dir', dataDir]);
    const url = await urlOf(run);
    expect(run.stdout()).toContain(`Data folder: ${dataDir}`);
    const token = url.searchParams.get('token')!;

    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(303);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(new URL('/', url), { headers: { cookie } })).status).toBe(200);

    const list = await fetch(new URL('/api/registries.list', url), { method: 'POST', headers: { 'content-type': 'application/json', 'x-oras-token': token } });
    expect(await list.json()).toMatchObject({ ok: true, value: [{ id: 'local', path: path.join(dataDir, 'oci-layout') }] });

    const upload = await fetch(new URL('/api/upload', url), { method: 'POST', headers: { 'x-oras-token': token, 'x-oras-file-name': 'a.txt' }, body: 'hello' });
    expect(await upload.json()).toMatchObject({ ok: true, value: { name: 'a.txt', size: 5 } });
    const [staging] = (await readdir(run.tmp)).filter((n) => n.startsWith('oras-desktop-staging-'));
    expect(staging).toBeDefined();
    expect((await stat(path.join(run.tmp, staging!))).mode & 0o777).toBe(0o700);

    // A terminal's Ctrl+C reaches npm, scripts/web.mjs and this process: twice here.
    run.child.kill('SIGINT');
    run.child.kill('SIGINT');
    expect(await run.exit).toEqual({ code: 130, signal: null });
    expect(await readdir(run.tmp)).toEqual([]);
  });

  it('keeps its data in $XDG_CONFIG_HOME/oras-desktop, or ORAS_DESKTOP_DATA_DIR, by default', async () => {
    const run = await start(['--no-open']);
    await urlOf(run);
    expect(run.stdout()).toContain(`Data folder: ${path.join(run.home, '.config', 'oras-desktop')}`);
    run.child.kill('SIGTERM');
    expect(await run.exit).toEqual({ code: 0, signal: null });

    const chosen = await tempDir();
    const viaEnv = await start(['--no-open'], { ORAS_DESKTOP_DATA_DIR: chosen });
    await urlOf(viaEnv);
    expect(viaEnv.stdout()).toContain(`Data folder: ${chosen}`);
    viaEnv.child.kill('SIGTERM');
    await viaEnv.exit;
  });

  it('says what is wrong with its command line (exit 2) or its port (exit 1)', async () => {
    const help = await start(['--help']);
    expect(await help.exit).toEqual({ code: 0, signal: null });
    expect(help.stdout()).toContain('Usage: npm run web -- [--port N] [--no-open] [--data-dir DIR]');

    const bad = await start(['--port', 'eighty']);
    expect((await bad.exit).code).toBe(2);
    expect(bad.stderr()).toContain('--port "eighty": give a port number from 0 to 65535');

    const host = await start(['--host', '0.0.0.0']);
    expect((await host.exit).code).toBe(2);
    expect(host.stderr()).toMatch(/Unknown option '--host'/);

    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const busy = await start(['--no-open', '--port', String(port), '--data-dir', await tempDir()]);
      expect((await busy.exit).code).toBe(1);
      expect(busy.stderr()).toContain(`port ${port} on 127.0.0.1 is in use`);
    } finally {
      taken.close();
    }
  });
});
