import path from 'node:path';
import { version } from '../../../package.json';
import { createAppLogins } from '../services/logins';
import { WEB_USAGE, WebUsageError, runWeb, stopOnSignals } from './run';

/**
 * The entry of `npm run web` (bundled to dist/web.js by scripts/build-cli.mjs): browser
 * mode without Electron. The built renderer is looked for in `out/renderer` next to
 * `dist/`, or where ORAS_DESKTOP_RENDERER_DIR says.
 */
const rendererRoot =
  process.env['ORAS_DESKTOP_RENDERER_DIR'] || path.join(import.meta.dirname, '..', 'out', 'renderer');

try {
  const mode = await runWeb({ argv: process.argv.slice(2), rendererRoot, version, logins: createAppLogins() });
  if (mode) stopOnSignals(mode);
} catch (error) {
  if (error instanceof WebUsageError) {
    process.stderr.write(`oras-desktop web: ${error.message}\n\n${WEB_USAGE}`);
    process.exit(2);
  }
  process.stderr.write(`oras-desktop web: ${(error as Error).message}\n`);
  process.exit(1);
}
