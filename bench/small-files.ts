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
 * A third side sends the same requests from a bare undici script and does nothing
 * else: its ratio to the seed is the floor of the registry and of Node under any
 * client of ours, printed in the same run so that a goal below it reads as such.
 *
 * Every push sends files of its own, new random content, so no side finds blobs
 * another (or an earlier run) left in the registry; which side goes first alternates
 * from run to run. Every pull reads the artifact our push of that run made (the seed's
 * pull reads it as it would any OCI artifact with titled layers). Without the seed's
 * binary the comparison is skipped, and the rows say so.
 */

const RUNS = Number(process.env.BENCH_SMALL_RUNS ?? 2);
const FILE_BYTES = 4096;
const ORAS = resolve('bin/oras.js');
const SEED_DIR = resolve('../shared/peers/seed-oras');
const BARE_PUSH = resolve('bench/bare-undici-push.mjs');
const BARE_PULL = resolve('bench/bare-undici-pull.mjs');
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

/** One client of the comparison: how it pushes its own files and pulls our push back. */
interface Side {
  push(run: number): Promise<Measured>;
  pull(run: number): Promise<Measured>;
  pushes: Measured[];
  pulls: Measured[];
}

/**
 * smallFilesBenchmarks pushes and pulls `count` files of 4 KiB with our CLI and, when
 * built, the seed's library; next to them, the same requests sent by a bare undici
 * script (bench/bare-undici-push.mjs and -pull.mjs: no engine, nothing but the
 * requests), the floor any Node client stands on against this registry.
 */
export async function smallFilesBenchmarks(work: string, registryHost: string, count: number): Promise<SmallFilesRow[]> {
  const seed = seedBinary();
  const folder = (side: string, run: number): string => join(work, `small-files-${run}-${side}`);
  const pulled = (side: string, run: number): string => join(work, `pulled-${run}-${side}`);
  // Every side pulls what our push of the run made (the seed's pull reads it as it
  // would any OCI artifact with titled layers).
  const ourRepo = (run: number): string => `bench/small-${run}`;
  const checked = async (side: string, run: number, measured: Measured): Promise<Measured> => {
    const got = await pulledCount(pulled(side, run));
    if (got !== count) throw new Error(`${side} pulled ${got} of ${count} files`);
    return measured;
  };
  const side = (push: Side['push'], pull: Side['pull']): Side => ({ push, pull, pushes: [], pulls: [] });
  const ours = side(
    async (run) => {
      const names = await writeSmallFiles(folder('ours', run), count);
      return measure('node', [ORAS, 'push', `${registryHost}/${ourRepo(run)}:v1`, ...names], { cwd: folder('ours', run) });
    },
    async (run) => checked('ours', run, await measure('node', [ORAS, 'pull', `${registryHost}/${ourRepo(run)}:v1`, '-o', pulled('ours', run)])),
  );
  const bare = side(
    async (run) => {
      await writeSmallFiles(folder('bare', run), count);
      return measure('node', [BARE_PUSH, registryHost, folder('bare', run)]);
    },
    async (run) => checked('bare', run, await measure('node', [BARE_PULL, registryHost, ourRepo(run), 'v1', pulled('bare', run)])),
  );
  const theirs = side(
    async (run) => {
      const names = await writeSmallFiles(folder('seed', run), count);
      return measure(seed.path!, ['-registry', registryHost, '-repo', `${ourRepo(run)}-seed`, '-tag', 'v1', 'push', ...names], { cwd: folder('seed', run) });
    },
    async (run) => checked('seed', run, await measure(seed.path!, ['-registry', registryHost, '-repo', ourRepo(run), '-tag', 'v1', 'pull', pulled('seed', run)])),
  );
  // All pushes come before the pulls, which read what our push made.
  const others = seed.path ? [theirs, bare] : [bare];

  for (let run = 0; run < RUNS; run++) {
    // Taking turns at going first: a registry warmed by the command before it (its
    // page cache, its Go heap) then favours no side.
    const order = run % 2 === 0 ? [...others, ours] : [ours, ...others];
    for (const side of order) side.pushes.push(await side.push(run));
    for (const side of order) side.pulls.push(await side.pull(run));
    for (const name of ['ours', 'bare', 'seed']) {
      await rm(folder(name, run), { recursive: true, force: true });
      await rm(pulled(name, run), { recursive: true, force: true });
    }
  }

  const label = `${count} x 4 KiB`;
  const runs = `best of ${RUNS}`;
  const oursPush = best(ours.pushes);
  const oursPull = best(ours.pulls);
  const barePush = best(bare.pushes);
  const barePull = best(bare.pulls);
  const rows: SmallFilesRow[] = [];
  if (!seed.path) {
    rows.push({ name: `oras push ${label}`, measured: oursPush, note: `CPU ${cpu(oursPush)}; ${runs}; ${CONCURRENCY}; ${seed.why}` });
    rows.push({ name: `bare undici push ${label}`, measured: barePush, note: `CPU ${cpu(barePush)}; ${runs}; the requests alone` });
    rows.push({ name: `oras pull ${label}`, measured: oursPull, note: `CPU ${cpu(oursPull)}; ${runs}; ${seed.why}` });
    rows.push({ name: `bare undici pull ${label}`, measured: barePull, note: `CPU ${cpu(barePull)}; ${runs}; the requests alone` });
    return rows;
  }
  const seedPush = best(theirs.pushes);
  const seedPull = best(theirs.pulls);
  const versusSeed = (m: Measured, seedM: Measured): string =>
    `${ratio(m.seconds, seedM.seconds)} seed wall, ${ratio(m.cpuSeconds, seedM.cpuSeconds)} seed CPU`;
  rows.push({ name: `seed library push ${label}`, measured: seedPush, note: `CPU ${cpu(seedPush)}; ${runs}; oras-go's unbounded parallelism` });
  rows.push({
    name: `oras push ${label}`,
    measured: oursPush,
    note: `CPU ${cpu(oursPush)}; ${ratio(oursPush.seconds, seedPush.seconds)} seed wall (goal 0.7x), ${ratio(oursPush.cpuSeconds, seedPush.cpuSeconds)} seed CPU (goal 1.5x); ${CONCURRENCY}`,
  });
  rows.push({
    name: `bare undici push ${label}`,
    measured: barePush,
    note: `CPU ${cpu(barePush)}; ${versusSeed(barePush, seedPush)}: the floor, the requests alone (self-mount POST + PUT, 16 at once)`,
  });
  rows.push({ name: `seed library pull ${label}`, measured: seedPull, note: `CPU ${cpu(seedPull)}; ${runs}` });
  rows.push({
    name: `oras pull ${label}`,
    measured: oursPull,
    note: `CPU ${cpu(oursPull)}; ${ratio(oursPull.seconds, seedPull.seconds)} seed wall (goal 1.0x), ${ratio(oursPull.cpuSeconds, seedPull.cpuSeconds)} seed CPU`,
  });
  rows.push({
    name: `bare undici pull ${label}`,
    measured: barePull,
    note: `CPU ${cpu(barePull)}; ${versusSeed(barePull, seedPull)}: the floor, the requests alone (GET, check, write; 16 at once)`,
  });
  return rows;
}
