// build-types writes the library's type declarations (dist/types/, package.json `types`)
// with tsc -p tsconfig.lib.json, then makes them work under every moduleResolution a
// user's project may pick:
//
// - The sources import without extensions (`./main/engine`), as moduleResolution
//   "bundler" allows. A project on "node16"/"nodenext" resolves the declarations of this
//   ES module package as Node would, and there `./main/engine` finds nothing: every type
//   behind it silently becomes `any`. So each relative specifier is rewritten to the file
//   Node would load, `./main/engine/index.js` (TypeScript maps it to the `.d.ts`).
// - It is written to a fresh folder and moved into place, so no declaration of a module
//   that no longer exists is left behind.
//
//   node scripts/build-types.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'types');
const staging = join(root, 'dist', `types.${process.pid}.tmp`);

rmSync(staging, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.lib.json', '--outDir', staging], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) {
  rmSync(staging, { recursive: true, force: true });
  console.error('build-types: tsc -p tsconfig.lib.json failed');
  process.exit(1);
}

/** declarations lists every .d.ts under `dir`. */
function declarations(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarations(path);
    return entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

// `from '…'`, `import '…'` and `import('…')` with a relative specifier.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?(?:\/[^'"]*)?)\2/g;

/** nodeSpecifier is `specifier` (relative to `file`) as Node resolves it: with its file name. */
function nodeSpecifier(file, specifier) {
  if (/\.(?:js|json)$/.test(specifier)) return specifier;
  const target = join(dirname(file), specifier);
  if (existsSync(`${target}.d.ts`)) return `${specifier}.js`;
  if (existsSync(join(target, 'index.d.ts'))) return `${specifier.replace(/\/$/, '')}/index.js`;
  throw new Error(`build-types: ${relative(staging, file)} imports ${specifier}, which has no declaration`);
}

for (const file of declarations(staging)) {
  const text = readFileSync(file, 'utf8');
  const rewritten = text.replace(SPECIFIER, (_, keyword, quote, specifier) => `${keyword}${quote}${nodeSpecifier(file, specifier)}${quote}`);
  if (rewritten !== text) writeFileSync(file, rewritten);
}

rmSync(out, { recursive: true, force: true });
renameSync(staging, out);
console.log(`build-types: src/lib.ts -> ${relative(root, out)}/lib.d.ts`);
