import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadStarted } from '../src/shared/browse';
import type { JobStateEvent } from '../src/shared/contract';
import { WEB_DOWNLOAD_PREFIX, WEB_TOKEN_HEADER } from '../src/shared/web-protocol';
import type { DesktopDialogs } from '../src/main/services/browse/download-service';
import type { AppServices } from '../src/main/services';
import type { BrowserMode } from '../src/main/web/browser-mode';
import { browseApp, memoryLogins, type BrowseApp } from './support/browse-app';
import { startBrowserModeApp } from './support/browser-mode-app';
import { startFaultProxy, times, type FaultProxy } from './support/fault-proxy';
import { startRegistry, type Registry } from './support/registry';
import { APP_FILES, seedBrowseContent, type SeededContent } from './support/seed-browse';
import { useTempDirs } from './support/tmp';
import { untar } from './support/untar';

/**
 * Downloads as jobs against a real registry behind the fault proxy: in Electron (the
 * dialogs answered by the test) into files and folders, in browser mode over HTTP as
 * the browser fetches them. Bytes are compared; a cancelled or corrupt download must
 * leave no file at all.
 */

const tempDir = useTempDirs('oras-downloads-');
let registry: Registry;
let proxy: FaultProxy;
let seeded: SeededContent;
let host: string;

beforeAll(async () => {
  registry = await startRegistry();
  seeded = await seedBrowseContent(registry.host, { tagCount: 3 });
  proxy = await startFaultProxy(registry.url);
  host = proxy.host;
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

const isBlobGet = (digest: string) => (req: { method: string; url: string }) => req.method === 'GET' && req.url.endsWith(`/blobs/${digest}`);

/** finished waits for a job's final state. */
function finished(services: AppServices, jobId: string): Promise<JobStateEvent> {
  return new Promise((resolve) => {
    const stop = services.events.subscribe((event, payload) => {
      if (event !== 'job.state') return;
      const state = payload as JobStateEvent;
      if (state.jobId === jobId && state.state !== 'running' && state.state !== 'queued') {
        stop();
        resolve(state);
      }
    });
  });
}

/** firstProgress waits for a job's first progress event. */
function firstProgress(services: AppServices, jobId: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = services.events.subscribe((event, payload) => {
      if (event === 'job.progress' && (payload as { jobId: string }).jobId === jobId) {
        stop();
        resolve();
      }
    });
  });
}

describe('in Electron (save dialogs)', () => {
  let app: BrowseApp;
  let folder: string;
  let answer: { file?: string; folder?: string };

  beforeAll(async () => {
    const dialogs: DesktopDialogs = {
      saveFile: async () => answer.file,
      pickFolder: async () => answer.folder,
    };
    app = browseApp({ dataDir: await tempDir(), logins: memoryLogins(), dialogs });
  });

  afterAll(async () => {
    await app?.services.dispose();
    proxy.inject();
  });

  const fresh = async () => {
    folder = await tempDir();
    return folder;
  };

  it('saves a blob where the user chose, as a job with a title, bytes verified', async () => {
    const file = path.join(await fresh(), 'rocket.txt');
    answer = { file };
    const states: JobStateEvent[] = [];
    const stop = app.services.events.subscribe((event, payload) => event === 'job.state' && states.push(payload as JobStateEvent));
    const layer = seeded.app.layers['rocket.txt'];
    const started: DownloadStarted = await app.call('downloads.blob', { registry: host, repository: 'team-a/app', digest: layer.digest, name: 'rocket.txt' });
    expect(started).toMatchObject({ savedTo: file, jobId: expect.any(String) });
    expect((await finished(app.services, started.jobId!)).state).toBe('done');
    stop();
    expect(states[0]).toMatchObject({ kind: 'download', title: 'Download rocket.txt', state: 'running' });
    expect(await readFile(file, 'utf8')).toBe(APP_FILES['rocket.txt']);
    expect(await readdir(folder)).toEqual(['rocket.txt']);
  });

  it('answers cancelled when the user closes the dialog, and proposes only plain file names', async () => {
    answer = {};
    const layer = seeded.app.layers['notes.md'];
    expect(await app.call('downloads.blob', { registry: host, repository: 'team-a/app', digest: layer.digest })).toEqual({ cancelled: true });
    expect(await app.call('downloads.pull', { registry: host, repository: 'team-a/app', reference: 'v1.0' })).toEqual({ cancelled: true });
    // A hostile name is made a plain file name before the dialog proposes it.
    let proposed: string | undefined;
    const dialogs = app.services.downloadJobs as unknown as { options: { dialogs: DesktopDialogs } };
    const saveFile = dialogs.options.dialogs.saveFile;
    dialogs.options.dialogs.saveFile = async (name) => {
      proposed = name;
      return undefined;
    };
    expect(await app.call('downloads.blob', { registry: host, repository: 'team-a/app', digest: layer.digest, name: '../../.bashrc' })).toEqual({ cancelled: true });
    expect(proposed).toBe('_.._.bashrc');
    dialogs.options.dialogs.saveFile = saveFile;
  });

  it('pulls every file of an artifact into the chosen folder', async () => {
    answer = { folder: await fresh() };
    const started: DownloadStarted = await app.call('downloads.pull', { registry: host, repository: 'team-a/app', reference: 'v1.0' });
    expect((await finished(app.services, started.jobId!)).state).toBe('done');
    expect((await readdir(folder)).sort()).toEqual(Object.keys(APP_FILES).sort());
    for (const [name, text] of Object.entries(APP_FILES)) expect(await readFile(path.join(folder, name), 'utf8')).toBe(text);
  });

  it('refuses to pull over files that are there, leaving them and nothing else', async () => {
    answer = { folder: await fresh() };
    await writeFile(path.join(folder, 'notes.md'), 'mine');
    const started: DownloadStarted = await app.call('downloads.pull', { registry: host, repository: 'team-a/app', reference: 'v1.0' });
    const end = await finished(app.services, started.jobId!);
    expect(end).toMatchObject({ state: 'failed', error: { code: 'ALREADY_EXISTS' } });
    expect(await readdir(folder)).toEqual(['notes.md']);
    expect(await readFile(path.join(folder, 'notes.md'), 'utf8')).toBe('mine');
  });

  it('leaves no file when the download is cancelled', async () => {
    const big = seeded.cli.big;
    proxy.inject((req) => (isBlobGet(big.digest)(req) ? { kind: 'throttle', bytesPerSecond: 64 * 1024 } : undefined));
    answer = { file: path.join(await fresh(), 'big.bin') };
    const started: DownloadStarted = await app.call('downloads.blob', { registry: host, repository: 'team-a/tools/cli', digest: big.digest, name: 'big.bin' });
    await firstProgress(app.services, started.jobId!);
    expect(await app.call('jobs.cancel', { jobId: started.jobId })).toEqual({ cancelled: true });
    expect((await finished(app.services, started.jobId!)).state).toBe('cancelled');
    expect(await readdir(folder)).toEqual([]);
    proxy.inject();
  }, 30_000);

  it('fails a corrupt blob and leaves no file', async () => {
    const big = seeded.cli.big;
    proxy.inject((req) => (isBlobGet(big.digest)(req) ? { kind: 'corrupt', atByte: 1000 } : undefined));
    answer = { file: path.join(await fresh(), 'big.bin') };
    const started: DownloadStarted = await app.call('downloads.blob', { registry: host, repository: 'team-a/tools/cli', digest: big.digest, name: 'big.bin' });
    expect(await finished(app.services, started.jobId!)).toMatchObject({ state: 'failed', error: { code: 'DIGEST_MISMATCH' } });
    expect(await readdir(folder)).toEqual([]);
    proxy.inject();
  });

  it('fails a pull with a corrupt layer and leaves no file', async () => {
    const layer = seeded.app.layers['data.json'];
    proxy.inject((req) => (isBlobGet(layer.digest)(req) ? { kind: 'corrupt', atByte: 3 } : undefined));
    answer = { folder: await fresh() };
    const started: DownloadStarted = await app.call('downloads.pull', { registry: host, repository: 'team-a/app', reference: 'v1.0' });
    expect(await finished(app.services, started.jobId!)).toMatchObject({ state: 'failed' });
    expect(await readdir(folder)).toEqual([]);
    proxy.inject();
  });
});

describe('through a registry that pushes back', () => {
  let app: BrowseApp;

  beforeAll(async () => {
    app = browseApp({ dataDir: await tempDir(), logins: memoryLogins() });
  });

  afterAll(async () => {
    await app?.services.dispose();
    proxy.inject();
  });

  it('waits out 429 with Retry-After while reading tag details', async () => {
    proxy.inject(times(3, { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, (req) => req.method === 'HEAD' && req.url.includes('/manifests/')));
    const before = proxy.requests.length;
    const started = performance.now();
    const details = (await app.call('browse.tagDetails', { registry: host, repository: 'team-a/app', tags: ['v1.0', 'latest'] })) as Array<{ digest?: string; error?: unknown }>;
    expect(details.every((d) => d.digest === seeded.app.manifest.digest && !d.error)).toBe(true);
    expect(proxy.requests.slice(before).filter((r) => r.status === 429)).toHaveLength(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    proxy.inject();
  }, 30_000);

  it('previews a large blob with one Range request for the first 64 KiB', async () => {
    const before = proxy.requests.length;
    const preview = await app.call('browse.blob', { registry: host, repository: 'team-a/tools/cli', digest: seeded.cli.big.digest });
    expect(preview.complete).toBe(false);
    const gets = proxy.requests.slice(before).filter(isBlobGet(seeded.cli.big.digest));
    expect(gets).toHaveLength(1);
    expect(gets[0]?.headers.range).toBe('bytes=0-65535');
  });
  it('takes the first 64 KiB from a registry that ignores Range and sends the whole blob', async () => {
    const big = seeded.cli.big;
    proxy.inject((req) => (isBlobGet(big.digest)(req) ? { kind: 'status', status: 200, body: 'a'.repeat(200_000), headers: { 'content-type': 'application/octet-stream' } } : undefined));
    const preview = await app.call('browse.blob', { registry: host, repository: 'team-a/tools/cli', digest: big.digest });
    expect(preview).toMatchObject({ size: big.size, complete: false });
    expect(Buffer.from(preview.head, 'base64').toString()).toBe('a'.repeat(64 * 1024));
    proxy.inject();
  });
});

describe('in browser mode (browser downloads)', () => {
  let mode: BrowserMode;

  beforeAll(async () => {
    ({ mode } = await startBrowserModeApp(tempDir));
  });

  afterAll(async () => {
    await mode?.close();
    proxy.inject();
  });

  const api = async (channel: string, request: unknown) => {
    const res = await fetch(`${mode.server.origin}/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [WEB_TOKEN_HEADER]: mode.server.token },
      body: JSON.stringify(request),
    });
    return (await res.json()) as { ok: boolean; value?: any; error?: { code: string; message: string } };
  };
  const download = (id: string) => fetch(`${mode.server.origin}${WEB_DOWNLOAD_PREFIX}${id}`, { headers: { [WEB_TOKEN_HEADER]: mode.server.token } });

  it('offers a blob once, answering its job’s id; the job waits for the browser, then streams to it', async () => {
    const layer = seeded.app.layers['notes.md'];
    const answer = await api('downloads.blob', { registry: host, repository: 'team-a/app', digest: layer.digest, name: 'notes.md' });
    expect(answer.value).toMatchObject({ jobId: expect.any(String), browserDownload: { name: 'notes.md', size: layer.size } });
    const done = finished(mode.services, answer.value.jobId);
    const res = await download(answer.value.browserDownload.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('filename="notes.md"');
    expect(await res.text()).toBe(APP_FILES['notes.md']);
    expect((await done).state).toBe('done');
    expect((await download(answer.value.browserDownload.id)).status).toBe(404);
  });

  it('withdraws the offer when its job is cancelled before the browser fetched it', async () => {
    const layer = seeded.app.layers['notes.md'];
    const answer = await api('downloads.blob', { registry: host, repository: 'team-a/app', digest: layer.digest, name: 'notes.md' });
    const end = finished(mode.services, answer.value.jobId);
    expect((await api('jobs.cancel', { jobId: answer.value.jobId })).value).toEqual({ cancelled: true });
    expect((await end).state).toBe('cancelled');
    expect((await download(answer.value.browserDownload.id)).status).toBe(404);
  });

  it('strips a hostile name down to a file name', async () => {
    const layer = seeded.app.layers['notes.md'];
    expect((await api('downloads.blob', { registry: host, repository: 'team-a/app', digest: layer.digest, name: '..\\..\\evil' })).value.browserDownload.name).toBe('_.._evil');
    const answer = await api('downloads.blob', { registry: host, repository: 'team-a/app', digest: layer.digest, name: '.hidden name' });
    expect(answer.value.browserDownload.name).toBe('hidden name');
    mode.services.jobs.cancelAll(); // both offers' jobs wait for a fetch that never comes
  });

  it('pulls all files as one tar, each entry verified', async () => {
    const answer = await api('downloads.pull', { registry: host, repository: 'team-a/app', reference: 'v1.0' });
    expect(answer.value.browserDownload.name).toBe('team-a_app_v1.0.tar');
    const res = await download(answer.value.browserDownload.id);
    expect(res.headers.get('content-type')).toBe('application/x-tar');
    const files = await untar(Buffer.from(await res.arrayBuffer()));
    expect(files).toEqual(Object.fromEntries(Object.entries(APP_FILES).map(([n, t]) => [n, t])));
  });

  it('breaks the browser download of a corrupt blob (the last bytes never go out) and fails the job', async () => {
    const big = seeded.cli.big;
    proxy.inject((req) => (isBlobGet(big.digest)(req) ? { kind: 'corrupt', atByte: 5000 } : undefined));
    const states: JobStateEvent[] = [];
    const stop = mode.services.events.subscribe((event, payload) => event === 'job.state' && states.push(payload as JobStateEvent));
    const answer = await api('downloads.blob', { registry: host, repository: 'team-a/tools/cli', digest: big.digest });
    const res = await download(answer.value.browserDownload.id);
    await expect(res.arrayBuffer()).rejects.toThrow();
    await expect.poll(() => states.find((s) => s.state !== 'running')).toMatchObject({ state: 'failed', error: { code: 'DIGEST_MISMATCH' } });
    stop();
    proxy.inject();
  });

  it('breaks the browser download when its job is cancelled', async () => {
    const big = seeded.cli.big;
    proxy.inject((req) => (isBlobGet(big.digest)(req) ? { kind: 'throttle', bytesPerSecond: 64 * 1024 } : undefined));
    const states: JobStateEvent[] = [];
    const stop = mode.services.events.subscribe((event, payload) => event === 'job.state' && states.push(payload as JobStateEvent));
    const answer = await api('downloads.blob', { registry: host, repository: 'team-a/tools/cli', digest: big.digest });
    const res = await download(answer.value.browserDownload.id);
    expect(states.find((s) => s.state === 'running')).toMatchObject({ jobId: answer.value.jobId, title: `Download ${big.digest.slice('sha256:'.length)}` });
    expect((await api('jobs.cancel', { jobId: answer.value.jobId })).value).toEqual({ cancelled: true });
    await expect(res.arrayBuffer()).rejects.toThrow();
    await expect.poll(() => states.find((s) => s.state !== 'running')?.state).toBe('cancelled');
    stop();
    proxy.inject();
  }, 30_000);
});
