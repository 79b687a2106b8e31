import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RENDERER_INDEX, ROOT, WEB_ENTRY } from './paths';

/** newest is the latest modification time of any file under `paths` (0 for none). */
export function newest(...paths: string[]): number {
  let latest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (!stat.isDirectory()) {
      latest = Math.max(latest, stat.mtimeMs);
      continue;
    }
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      latest = Math.max(latest, newest(join(path, entry.name)));
    }
  }
  return latest;
}

/** isStale: `output` is missing or older than something in `inputs`. */
export function isStale(output: string, inputs: string[]): boolean {
  return !existsSync(output) || statSync(output).mtimeMs < newest(...inputs);
}

function run(what: string, args: string[]): void {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(`e2e setup: ${what} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

const src = (...parts: string[]) => join(ROOT, 'src', ...parts);

/**
 * ensureBuilt builds what the e2e specs run when it is missing or older than its
 * sources: the app (`electron-vite build`: out/main, out/preload, out/renderer) and
 * browser mode's server (`dist/web.js`).
 */
export function ensureBuilt(): void {
  const appInputs = [src('renderer'), src('shared'), src('main'), src('preload'), join(ROOT, 'electron.vite.config.ts')];
  if (isStale(RENDERER_INDEX, appInputs)) {
    run('electron-vite build', [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
  }
  if (isStale(WEB_ENTRY, [src('main'), src('shared'), join(ROOT, 'scripts', 'build-cli.mjs'), join(ROOT, 'package.json')])) {
    run('build of dist/web.js', [join(ROOT, 'scripts', 'build-cli.mjs'), '--web-only']);
  }
}
