// build-cli bundles the `oras` CLI, the library entry and browser mode's server with
// esbuild. Dependencies stay external: they are installed next to dist/ by npm.
// dist/cli.js and dist/lib.js go into the npm package as they are (package.json `files`),
// so they carry no source map: a map would point at sources the package does not hold.
//
//   node scripts/build-cli.mjs             # dist/cli.js, dist/lib.js and dist/web.js
//   node scripts/build-cli.mjs --cli-only  # dist/cli.js only (the CLI tests build this)
//   node scripts/build-cli.mjs --web-only  # dist/web.js only (npm run web builds this)
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleNode } from './bundle-node.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const entries = [
  { in: 'src/cli/main.ts', out: 'dist/cli.js', required: true, sourcemap: false },
  { in: 'src/lib.ts', out: 'dist/lib.js', required: true, sourcemap: false },
  { in: 'src/main/web/cli.ts', out: 'dist/web.js', required: true, sourcemap: true },
];

const only = process.argv.includes('--cli-only') ? 'dist/cli.js' : process.argv.includes('--web-only') ? 'dist/web.js' : undefined;

for (const entry of only ? entries.filter((e) => e.out === only) : entries) {
  const input = join(root, entry.in);
  if (!existsSync(input)) {
    if (entry.required) throw new Error(`build-cli: ${entry.in} is missing`);
    console.warn(`build-cli: ${entry.in} does not exist yet; skipping ${entry.out}`);
    continue;
  }
  await bundleNode(input, join(root, entry.out), { sourcemap: entry.sourcemap });
  if (!entry.sourcemap) rmSync(join(root, `${entry.out}.map`), { force: true });
  console.log(`build-cli: ${entry.in} -> ${entry.out}`);
}
