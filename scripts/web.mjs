#!/usr/bin/env node
// web.mjs — `npm run web -- [--port N] [--no-open] [--data-dir DIR]`: browser mode.
// Builds what is missing or stale (dist/web.js always, it takes a moment; the renderer
// when out/renderer is older than its sources), then runs `node dist/web.js` with the
// arguments, passing Ctrl+C on so it can remove its staging folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error(`npm run web: ${command} ${args.join(' ')} failed`);
    process.exit(1);
  }
}

const index = join(root, 'out/renderer/index.html');
const sources = Math.max(newest(join(root, 'src/renderer')), newest(join(root, 'src/shared')));
if (!existsSync(index) || statSync(index).mtimeMs < sources) {
  console.error('npm run web: building the app (electron-vite build)…');
  run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
}
run(process.execPath, [join(root, 'scripts/build-cli.mjs'), '--web-only']);

const child = spawn(process.execPath, [join(root, 'dist/web.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
