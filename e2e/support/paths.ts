import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * rootFrom is the nearest folder above `start` holding a package.json: the repository,
 * whether this file runs from e2e/support (the specs) or bundled into .bench/ (the bench).
 */
function rootFrom(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/** ROOT is the repository; the e2e specs and the bench run the built app from it. */
export const ROOT = rootFrom(import.meta.dirname);
export const RENDERER_INDEX = join(ROOT, 'out', 'renderer', 'index.html');
export const WEB_ENTRY = join(ROOT, 'dist', 'web.js');
export const ELECTRON_MAIN = join(ROOT, 'out', 'main', 'index.js');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
