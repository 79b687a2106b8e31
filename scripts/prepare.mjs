#!/usr/bin/env node
// npm runs `prepare` after `npm install` in a checkout (to build dist/ for bin/oras.js),
// and again on `npm pack` and `npm publish`, right after `prepack` has built the same
// thing: build there once, in `prepack`.
import { spawnSync } from 'node:child_process';

if (['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);
for (const script of ['build:cli', 'build:types']) {
  const run = spawnSync('npm', ['run', script], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
