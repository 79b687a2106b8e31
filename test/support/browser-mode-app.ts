import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startBrowserMode, type BrowserMode } from '../../src/main/web/browser-mode';
import { createBrowserApi } from '../../src/shared/browser-bridge';
import type { OrasApi, Result } from '../../src/shared/contract';
import type { JobOutcome } from '../../src/shared/push';
import { memoryLogins } from './browse-app';

export interface BrowserModeApp {
  mode: BrowserMode;
  /** oras is the page's `window.oras` shim, talking HTTP to `mode` as the browser would. */
  oras: OrasApi;
}

/**
 * startBrowserModeApp serves browser mode on a free loopback port over fresh temp
 * folders (data, a placeholder renderer, staging) with logins in memory, and returns
 * the shim over it: the composer's path as the page sends it, without a browser.
 * `tempDir` comes from useTempDirs, so the folders go with the test file.
 */
export async function startBrowserModeApp(tempDir: () => Promise<string>): Promise<BrowserModeApp> {
  const rendererRoot = await tempDir();
  await mkdir(path.join(rendererRoot, 'assets'));
  await writeFile(path.join(rendererRoot, 'index.html'), '<!doctype html><title>ORAS Desktop</title>');
  const mode = await startBrowserMode({
    dataDir: await tempDir(),
    rendererRoot,
    logins: memoryLogins(),
    version: '0.0.0-test',
    port: 0,
    stagingParent: await tempDir(),
    log: () => {},
  });
  const oras = createBrowserApi({ baseUrl: mode.server.origin, token: mode.server.token, version: '0.0.0-test' });
  return { mode, oras };
}

/** value unwraps a shim answer, failing the test with the error's code and message. */
export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** jobOutcome polls a job until it is no longer running and returns how it ended. */
export async function jobOutcome(oras: OrasApi, jobId: string): Promise<JobOutcome> {
  for (;;) {
    const outcome = value(await oras.jobOutcome({ jobId }));
    if (outcome.state !== 'running') return outcome;
    await new Promise((r) => setTimeout(r, 25));
  }
}
