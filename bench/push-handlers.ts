import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Result, StagedFile } from '../src/shared/contract';
import { WEB_FILE_NAME_HEADER, WEB_TOKEN_HEADER, WEB_UPLOAD_PATH } from '../src/shared/web-protocol';
import { startBrowserMode } from '../src/main/web/browser-mode';
import type { JobOutcome, PushStarted } from '../src/shared/push';
import { browseApp, memoryLogins } from '../test/support/browse-app';
import { makeTempDir } from '../test/support/tmp';
import { measure, row } from './measure';

/**
 * "A 1 GiB push through the handlers (the composer's path)": a fresh process stages
 * the file by path (as Electron does), previews the draft (hashing it, as the composer
 * does before the user presses Push) and pushes it through the very handlers the app
 * binds, waiting for the job. Run under GNU time by bench/run.ts for its peak memory,
 * next to `oras push` of the same file.
 */

export const PUSH_HANDLERS_FLAG = '--push-handlers';
export const PUSH_WEB_FLAG = '--push-web';

/** pushThroughHandlers is the child's work; prints one JSON line with the digest and the preview's share of the time. */
export async function pushThroughHandlers(registryHost: string, file: string, repository: string): Promise<void> {
  const dataDir = await makeTempDir('oras-bench-push-');
  const app = browseApp({ dataDir, logins: memoryLogins() });
  try {
    const started = performance.now();
    const [staged] = await app.call('files.stage', { paths: [file] });
    await previewAndPush(app.call, registryHost, staged, repository, { stageSeconds: (performance.now() - started) / 1000 });
  } finally {
    await app.services.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * pushThroughBrowserMode is browser mode's path: the server on loopback in this
 * process, the file uploaded to it as a stream by another process (curl, as the
 * browser sends a dropped file), then preview and push over HTTP. The peak RSS is the
 * server's.
 */
export async function pushThroughBrowserMode(registryHost: string, file: string, repository: string): Promise<void> {
  const dataDir = await makeTempDir('oras-bench-web-');
  const rendererRoot = path.join(dataDir, 'renderer');
  await mkdir(rendererRoot);
  await writeFile(path.join(rendererRoot, 'index.html'), '<!doctype html><title>bench</title>');
  const mode = await startBrowserMode({ dataDir, rendererRoot, logins: memoryLogins(), version: 'bench', port: 0, stagingParent: dataDir, log: () => {} });
  const headers = { [WEB_TOKEN_HEADER]: mode.server.token };
  const call = async (channel: string, request: unknown): Promise<any> => {
    const res = await fetch(`${mode.server.origin}/api/${channel}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(request) });
    const result = (await res.json()) as Result<unknown>;
    if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
    return result.value;
  };
  try {
    const started = performance.now();
    // The upload comes from another process, as from the browser: curl streams the
    // file from disk (-T, no Expect wait), so this process's RSS and CPU are the server's.
    const uploaded = await new Promise<Result<StagedFile>>((resolve, reject) => {
      execFile(
        'curl',
        ['-sS', '-X', 'POST', '-T', file, '-H', 'Expect:', '-H', `${WEB_TOKEN_HEADER}: ${mode.server.token}`, '-H', `${WEB_FILE_NAME_HEADER}: big.bin`, '-H', 'content-type: application/octet-stream', `${mode.server.origin}${WEB_UPLOAD_PATH}`],
        { maxBuffer: 1024 * 1024 },
        (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as Result<StagedFile>)),
      );
    });
    if (!uploaded.ok) throw new Error(`upload: ${uploaded.error.message}`);
    const uploadSeconds = (performance.now() - started) / 1000;
    await previewAndPush(call, registryHost, uploaded.value, repository, { uploadSeconds });
  } finally {
    await mode.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** previewAndPush previews the one-file draft, pushes it and waits for the job; prints one JSON line. */
async function previewAndPush(
  call: (channel: any, request: unknown) => Promise<any>,
  registryHost: string,
  staged: StagedFile,
  repository: string,
  extra: Record<string, number> = {},
): Promise<void> {
  const draft = {
    files: [{ stagedId: staged.id, title: 'big.bin', mediaType: 'application/octet-stream' }],
    reproducible: true,
    target: { registry: registryHost, repository, tags: ['v1'] },
  };
  const started = performance.now();
  const preview = await call('push.preview', { draft });
  const previewSeconds = (performance.now() - started) / 1000;
  const pushStarted = performance.now();
  const job: PushStarted = await call('push.run', { draft });
  let outcome: JobOutcome;
  for (;;) {
    outcome = await call('push.outcome', { jobId: job.jobId });
    if (outcome.state !== 'running') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  if (outcome.state !== 'done') throw new Error(`push ${outcome.state}: ${outcome.error?.message ?? ''}`);
  if (outcome.digest !== preview.digest) throw new Error(`pushed ${outcome.digest}, previewed ${preview.digest}`);
  const pushSeconds = (performance.now() - pushStarted) / 1000;
  console.log(JSON.stringify({ digest: outcome.digest, previewSeconds, pushSeconds, ...extra }));
}

/**
 * composerBenchmarks measures, in one run against one registry, `oras push` of a file
 * and the composer's two paths with the same file: through the handlers (Electron:
 * staged by path) and through browser mode (uploaded first). Issue 8's goal: each
 * within 1.1x of `oras push`, peak RSS under 250 MiB.
 */
export async function composerBenchmarks(options: { file: string; mib: number; registryHost: string; oras: string; self: string }): Promise<string[][]> {
  const { file, mib, registryHost } = options;
  const push = await measure('node', [options.oras, 'push', `${registryHost}/bench/composer-cli:v1`, `${path.basename(file)}:application/octet-stream`], { cwd: path.dirname(file) });
  const rows = [row(`oras push (${mib} MiB, the composer's reference)`, push)];
  // The composer's path: stage, preview (hashes the file), push through the handlers.
  const viaHandlers = await measure(process.execPath, [options.self, PUSH_HANDLERS_FLAG, registryHost, file, 'bench/handlers']);
  const handlers = lastJson<{ stageSeconds: number; previewSeconds: number; pushSeconds: number }>(viaHandlers.stdout);
  const ratio = (seconds: number): string => `${(seconds / push.seconds).toFixed(2)}x`;
  // The app is running before a file is dropped: its start is not the push's.
  const composerPath = handlers.stageSeconds + handlers.previewSeconds + handlers.pushSeconds;
  rows.push(
    row(
      `push through the handlers (${mib} MiB)`,
      viaHandlers,
      `stage + preview + push ${composerPath.toFixed(2)} s: ${ratio(composerPath)} oras push; the push job ${handlers.pushSeconds.toFixed(2)} s (${ratio(handlers.pushSeconds)}), the preview's hash before it ${handlers.previewSeconds.toFixed(2)} s; ${ratio(viaHandlers.seconds)} with the app's start`,
    ),
  );
  const viaWeb = await measure(process.execPath, [options.self, PUSH_WEB_FLAG, registryHost, file, 'bench/web']);
  const web = lastJson<{ previewSeconds: number; uploadSeconds: number; pushSeconds: number }>(viaWeb.stdout);
  const webPath = web.uploadSeconds + web.previewSeconds + web.pushSeconds;
  rows.push(
    row(
      `browser mode: upload + push (${mib} MiB)`,
      viaWeb,
      `upload + preview + push ${webPath.toFixed(2)} s: ${ratio(webPath)} oras push; the push job ${web.pushSeconds.toFixed(2)} s (${ratio(web.pushSeconds)}); upload ${web.uploadSeconds.toFixed(2)} s, preview ${web.previewSeconds.toFixed(2)} s; ${ratio(viaWeb.seconds)} with the server's start`,
    ),
  );
  return rows;
}

function lastJson<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}
