import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Temporary folders for tests. Each is removed by whoever made it (stop(), afterAll);
 * whatever is still there when the worker exits is removed then, so a failed or
 * interrupted test run does not leave registries' data behind in /tmp.
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

/**
 * useTempDirs returns a maker of temp folders that are all removed after the current
 * file or describe block (it registers afterAll). Call it at collection time:
 *   const tempDir = useTempDirs(); … const dir = await tempDir();
 */
export function useTempDirs(prefix?: string): () => Promise<string> {
  const mine: string[] = [];
  afterAll(async () => {
    await Promise.all(mine.map(removeTempDir));
  });
  return async () => {
    const dir = await makeTempDir(prefix);
    mine.push(dir);
    return dir;
  };
}
