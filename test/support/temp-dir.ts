import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary folders for tests and benchmarks, without the test runner: each is removed
 * by whoever made it (stop(), afterAll); whatever is still there when the process
 * exits is removed then, so a failed or interrupted run does not leave registries'
 * data behind in /tmp. The benchmark's processes load this and not vitest (tmp.ts adds
 * `useTempDirs`, which needs vitest's afterAll).
 */

const live = new Set<string>();

process.once('exit', () => {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
});

/** makeTempDir creates `$TMPDIR/<prefix>XXXXXX`. */
export async function makeTempDir(prefix = 'oras-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  live.add(dir);
  return dir;
}

/** removeTempDir deletes a folder made by makeTempDir (or any folder; missing is fine). */
export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  live.delete(dir);
}
