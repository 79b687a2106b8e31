import { rm } from 'node:fs/promises';
import type { JobOutcome, PushStarted } from '../src/shared/push';
import { browseApp, memoryLogins } from '../test/support/browse-app';
import { makeTempDir } from '../test/support/tmp';

/**
 * "A 1 GiB push through the handlers (the composer's path)": a fresh process stages
 * the file by path (as Electron does), previews the draft (hashing it, as the composer
 * does before the user presses Push) and pushes it through the very handlers the app
 * binds, waiting for the job. Run under GNU time by bench/run.ts for its peak memory,
 * next to `oras push` of the same file.
 */

export const PUSH_HANDLERS_FLAG = '--push-handlers';

/** pushThroughHandlers is the child's work; prints one JSON line with the digest and the preview's share of the time. */
export async function pushThroughHandlers(registryHost: string, file: string, repository: string): Promise<void> {
  const dataDir = await makeTempDir('oras-bench-push-');
  const app = browseApp({ dataDir, logins: memoryLogins() });
  try {
    const [staged] = await app.call('files.stage', { paths: [file] });
    const draft = {
      files: [{ stagedId: staged.id, title: 'big.bin', mediaType: 'application/octet-stream' }],
      reproducible: true,
      target: { registry: registryHost, repository, tags: ['v1'] },
    };
    const started = performance.now();
    const preview = await app.call('push.preview', { draft });
    const previewSeconds = (performance.now() - started) / 1000;
    const job: PushStarted = await app.call('push.run', { draft });
    let outcome: JobOutcome;
    for (;;) {
      outcome = await app.call('push.outcome', { jobId: job.jobId });
      if (outcome.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    if (outcome.state !== 'done') throw new Error(`push ${outcome.state}: ${outcome.error?.message ?? ''}`);
    if (outcome.digest !== preview.digest) throw new Error(`pushed ${outcome.digest}, previewed ${preview.digest}`);
    console.log(JSON.stringify({ digest: outcome.digest, previewSeconds }));
  } finally {
    await app.services.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}
