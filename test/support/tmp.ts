import { afterAll } from 'vitest';
import { makeTempDir, removeTempDir } from './temp-dir';

export { makeTempDir, removeTempDir };

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
