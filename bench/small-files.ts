import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_CLI_CONCURRENCY, SMALL_BLOB_CONCURRENCY } from '../src/cli/options';
import { measure, type Measured } from './measure';

/**
 * Many small files, ours against the seed's own library in the same run (issue 11 §1):
 * `oras push` of SMALL_FILES files of 4 KiB and `oras pull` of them back, and the same
 * work through `seedoras` (oras-go 1.1.1 behind a tiny command,
 * ../shared/peers/seed-oras). Each side runs `BENCH_SMALL_RUNS` times (default 2),
 * taking turns so that a busy moment of the shared machine hits both; a row gives the
 * best wall time and the best CPU time (user + system of the process) of its runs, and
 * the ratio ours/seed next to the goal: push at most 0.7x the seed's wall and 1.5x its
 * CPU, pull at most 1.0x its wall.
 *
 * Every push sends files of its own, new random content, so neither side finds blobs
 * the other (or an earlier run) left in the registry; which side goes first alternates
 * from run to run. Both pull the artifact our push of that run made (the seed's pull
 * reads it as it would any OCI artifact with titled layers). Without the seed's binary
 * the comparison is skipped, and the rows say so.
 */

const RUNS = Number(process.env.BENCH_SMALL_RUNS ?? 2);
const FILE_BYTES = 4096;
const ORAS = resolve('bin/oras.js');
const SEED_DIR = resolve('../shared/peers/seed-oras');
const SEED_BINARY = process.env.SEEDORAS ?? '/tmp/seed-oras/seedoras';
/** The CLI's defaults, which the bench runs with: --concurrency not given. */
const CONCURRENCY = `${DEFAULT_CLI_CONCURRENCY} transfers + ${SMALL_BLOB_CONCURRENCY} small at once`;

export interface SmallFilesRow {
  name: string;
  measured: Measured;
  note: string;
}

/**
 * seedBinary finds `seedoras`, building it with the peer's build.sh when Go and
 * Debian's oras-go are installed; undefined (with the reason) when it cannot be had.
 */
export function seedBinary(): { path?: string; why?: string } {
  if (existsSync(SEED_BINARY)) return { path: SEED_BINARY };
  const build = join(SEED_DIR, 'build.sh');
  if (!existsSync(build)) return { why: `seed library not built: skipped (no ${build})` };
  const built = spawnSync('bash', [build, SEED_BINARY], { encoding: 'utf8' });
  if (built.status === 0 && existsSync(SEED_BINARY)) return { path: SEED_BINARY };
  const said = (built.stderr || built.stdout || '').trim().split('\n').pop() ?? '';
  return { why: `seed library not built: skipped (${said || 'build.sh failed'}; apt-get install -y golang-go golang-oras-oras-go-dev)` };
}

async function writeSmallFiles(dir: string, count: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `f${String(i).padStart(5, '0')}.bin`;
    await writeFile(join(dir, name), randomBytes(FILE_BYTES));
    names.push(name);
  }
  return names;
}

/** best keeps the lowest wall time and the lowest CPU time of several runs of one command. */
function best(runs: Measured[]): Measured {
  const cpu = runs.map((r) => r.cpuSeconds ?? NaN).filter((c) => !Number.isNaN(c));
  return {
    seconds: Math.min(...runs.map((r) => r.seconds)),
    peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
    stdout: runs.at(-1)?.stdout ?? '',
    ...(cpu.length ? { cpuSeconds: Math.min(...cpu) } : {}),
  };
}

async function pulledCount(dir: string): Promise<number> {
  return (await readdir(dir)).filter((name) => name.endsWith('.bin')).length;
}

function cpu(m: Measured): string {
  return m.cpuSeconds === undefined ? '?' : `${m.cpuSeconds.toFixed(2)} s`;
}

function ratio(ours: number | undefined, seed: number | undefined): string {
  return ours === undefined || seed === undefined || seed === 0 ? '?' : `${(ours / seed).toFixed(2)}x`;
}

/** smallFilesBenchmarks pushes and pulls `count` files of 4 KiB with our CLI and, when built, the seed's library. */
export async function smallFilesBenchmarks(work: string, registryHost: string, count: number): Promise<SmallFilesRow[]> {
  const seed = seedBinary();
  const ours = { push: [] as Measured[], pull: [] as Measured[] };
  const theirs = { push: [] as Measured[], pull: [] as Measured[] };

  for (let run = 0; run < RUNS; run++) {
    const repo = `bench/small-${run}`;
    const oursDir = join(work, `small-files-${run}`);
    const seedDir = join(work, `small-files-${run}-seed`);
    const ourOut = join(work, `pulled-ours-${run}`);
    const seedOut = join(work, `pulled-seed-${run}`);
    const pushOurs = async (): Promise<void> => {
      const names = await writeSmallFiles(oursDir, count);
      ours.push.push(await measure('node', [ORAS, 'push', `${registryHost}/${repo}:v1`, ...names], { cwd: oursDir }));
    };
    const pushSeed = async (): Promise<void> => {
      const names = await writeSmallFiles(seedDir, count);
      theirs.push.push(await measure(seed.path!, ['-registry', registryHost, '-repo', `${repo}-seed`, '-tag', 'v1', 'push', ...names], { cwd: seedDir }));
    };
    const pullOurs = async (): Promise<void> => {
      ours.pull.push(await measure('node', [ORAS, 'pull', `${registryHost}/${repo}:v1`, '-o', ourOut]));
      if ((await pulledCount(ourOut)) !== count) throw new Error(`oras pulled ${await pulledCount(ourOut)} of ${count} files`);
    };
    const pullSeed = async (): Promise<void> => {
      theirs.pull.push(await measure(seed.path!, ['-registry', registryHost, '-repo', repo, '-tag', 'v1', 'pull', seedOut]));
      if ((await pulledCount(seedOut)) !== count) throw new Error(`seedoras pulled ${await pulledCount(seedOut)} of ${count} files`);
    };
    // Taking turns at going first: a registry warmed by the command before it (its
    // page cache, its Go heap) then favours neither side.
    const seedFirst = run % 2 === 0;
    if (!seed.path) await pushOurs();
    else if (seedFirst) await pushSeed().then(pushOurs);
    else await pushOurs().then(pushSeed);
    if (!seed.path) await pullOurs();
    else if (seedFirst) await pullSeed().then(pullOurs);
    else await pullOurs().then(pullSeed);
    for (const dir of [oursDir, seedDir, ourOut, seedOut]) await rm(dir, { recursive: true, force: true });
  }

  const label = `${count} x 4 KiB`;
  const oursPush = best(ours.push);
  const oursPull = best(ours.pull);
  const rows: SmallFilesRow[] = [];
  const runs = `best of ${RUNS}`;
  if (!seed.path) {
    rows.push({ name: `oras push ${label}`, measured: oursPush, note: `CPU ${cpu(oursPush)}; ${runs}; ${CONCURRENCY}; ${seed.why}` });
    rows.push({ name: `oras pull ${label}`, measured: oursPull, note: `CPU ${cpu(oursPull)}; ${runs}; ${seed.why}` });
    return rows;
  }
  const seedPush = best(theirs.push);
  const seedPull = best(theirs.pull);
  rows.push({ name: `seed library push ${label}`, measured: seedPush, note: `CPU ${cpu(seedPush)}; ${runs}; oras-go's unbounded parallelism` });
  rows.push({
    name: `oras push ${label}`,
    measured: oursPush,
    note: `CPU ${cpu(oursPush)}; ${ratio(oursPush.seconds, seedPush.seconds)} seed wall (goal 0.7x), ${ratio(oursPush.cpuSeconds, seedPush.cpuSeconds)} seed CPU (goal 1.5x); ${CONCURRENCY}`,
  });
  rows.push({ name: `seed library pull ${label}`, measured: seedPull, note: `CPU ${cpu(seedPull)}; ${runs}` });
  rows.push({
    name: `oras pull ${label}`,
    measured: oursPull,
    note: `CPU ${cpu(oursPull)}; ${ratio(oursPull.seconds, seedPull.seconds)} seed wall (goal 1.0x), ${ratio(oursPull.cpuSeconds, seedPull.cpuSeconds)} seed CPU`,
  });
  return rows;
}
