#!/usr/bin/env node
// npm run bench: bundles bench/run.ts (it reuses the test harness that starts a real
// registry) and runs it. Figures are printed as a table and kept in BENCHMARKS.md.
import { bundleNode } from './bundle-node.mjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

mkdirSync('.bench', { recursive: true });
await bundleNode('bench/run.ts', '.bench/run.mjs');
// Apart, so that only its benchmark loads Playwright (bench/run.ts imports it when asked).
await bundleNode('bench/browse-view.ts', '.bench/browse-view.mjs');
const result = spawnSync(process.execPath, ['.bench/run.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
