import { join } from 'node:path';

/** ROOT is the repository; the e2e specs run the built app from it. */
export const ROOT = join(import.meta.dirname, '..', '..');
export const RENDERER_INDEX = join(ROOT, 'out', 'renderer', 'index.html');
export const WEB_ENTRY = join(ROOT, 'dist', 'web.js');
export const ELECTRON_MAIN = join(ROOT, 'out', 'main', 'index.js');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
