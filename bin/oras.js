#!/usr/bin/env node
// The `oras` command: runs the CLI bundled into dist/cli.js by `npm run build:cli`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setShortProcessFlags } from './v8-flags.js';

setShortProcessFlags();

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write(
    'Error: the oras CLI is not built (dist/cli.js is missing).\n' +
      'Run `npm install` (it builds the CLI), or `npm run build:cli` in a checkout that already has node_modules.\n',
  );
  process.exit(1);
}
const { run } = await import(bundle.href);
await run();
