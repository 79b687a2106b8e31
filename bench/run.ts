import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { digestStream } from '../src/main/engine/digest';
import { startRegistry } from '../test/support/registry';
import { makeTempDir } from '../test/support/temp-dir';
import { benchBrowseTags, BROWSE_TAGS_FLAG, listTagsThroughHandlers } from './browse-tags';
import { smallFilesBenchmarks } from './small-files';
import { measure, row, type Measured } from './measure';
import { libraryRows, PUSH_LIBRARY_FLAG, pushThroughLibrary } from './push-library';
import { composerBenchmarks, PUSH_HANDLERS_FLAG, PUSH_WEB_FLAG, pushThroughBrowserMode, pushThroughHandlers } from './push-handlers';

/**
 * The benchmarks the engine issue names, against a real registry on loopback:
 * - push and pull of one large file (default 1 GiB; BENCH_SIZE_MIB to change), peak RSS
 *   under 200 MiB and time within 1.15x of `curl -T` of the same file, digest known;
 * - push of 1,000 files of 4 KiB, in files per second;
 * - listing a long tag list;
 * - 10,000 tags listed through the handlers, and in a real Chromium against browser mode:
 *   first rows, rows in the DOM, newest first (bench/browse-view.ts);
 * - the same large file pushed through the handlers (the composer's path), and in browser
 *   mode uploaded to the server then pushed, against `oras push`.
 */
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const SMALL_FILES = Number(process.env.BENCH_SMALL_FILES ?? 1000);
const TAGS = Number(process.env.BENCH_TAGS ?? 2000);
/** Tags of the browse benchmark ("10,000 tags listed through the handlers"). */
const BROWSE_TAGS = Number(process.env.BENCH_BROWSE_TAGS ?? 10_000);
/** BENCH_ONLY=engine, composer, browse-tags, browse-view or small-files (comma-separated) runs only those benchmarks. */
const ONLY = process.env.BENCH_ONLY?.split(',');
const wanted = (name: string) => !ONLY || ONLY.includes(name);
const ORAS = resolve('bin/oras.js');
/** bench/browse-view.ts as scripts/bench.mjs bundles it, next to this file's bundle. */
const BROWSE_VIEW_BUNDLE = './browse-view.mjs';

async function writeLargeFile(path: string, mib: number): Promise<void> {
  const out = createWriteStream(path);
  const block = randomBytes(1024 * 1024);
  for (let i = 0; i < mib; i++) {
    block.writeUInt32LE(i, 0); // every MiB differs, so nothing deduplicates
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * baseline is what the push is held to: the file sent by `curl -T` in one PUT with its
 * digest already known (hashed before the clock starts), the upper bound of a client
 * that knows the digest and reads the file once. POST and PUT are timed, nothing else.
 */
async function baseline(file: string, registryUrl: string): Promise<Measured> {
  const { digest } = await digestStream(createReadStream(file));
  const script = `
    set -e
    location=$(curl -sf -X POST -D - -o /dev/null "$2/v2/bench/baseline/blobs/uploads/" | tr -d '\\r' | sed -n 's/^[Ll]ocation: //p')
    case "$location" in http*) ;; *) location="$2$location" ;; esac
    case "$location" in *\\?*) sep='&' ;; *) sep='?' ;; esac
    curl -sf -T "$1" -H 'Content-Type: application/octet-stream' "$location\${sep}digest=$3" -o /dev/null
  `;
  return measure('bash', ['-c', script, 'baseline', file, registryUrl, digest]);
}

/** engineBenchmarks: push and pull of a large file, many small files, a long tag list (the CLI as a process). */
async function engineBenchmarks(work: string, registry: { host: string; url: string }, rows: string[][]): Promise<void> {
  const big = join(work, 'big.bin');
  await writeLargeFile(big, SIZE_MIB);
  const base = await baseline(big, registry.url);
  rows.push(row(`curl -T, digest known (${SIZE_MIB} MiB)`, base));

  const push = await measure('node', [ORAS, 'push', `${registry.host}/bench/big:v1`, 'big.bin:application/octet-stream'], { cwd: work });
  rows.push(row(`oras push, new file (${SIZE_MIB} MiB)`, push, `${(push.seconds / base.seconds).toFixed(2)}x curl -T; one read, hashed as its chunks go`));
  rows.push(...(await libraryRows({ file: big, mib: SIZE_MIB, registryHost: registry.host, self: process.argv[1]!, baseline: base })));

  const out = join(work, 'pulled');
  const pull = await measure('node', [ORAS, 'pull', `${registry.host}/bench/big:v1`, '-o', out], { cwd: work });
  rows.push(row(`oras pull (${SIZE_MIB} MiB)`, pull, `${(pull.seconds / base.seconds).toFixed(2)}x curl -T (push)`));
  await rm(out, { recursive: true, force: true });
  await rm(big);

  const small = join(work, 'small');
  await mkdir(small);
  const names: string[] = [];
  for (let i = 0; i < SMALL_FILES; i++) {
    const name = `f${String(i).padStart(4, '0')}.bin`;
    await writeFile(join(small, name), randomBytes(4096));
    names.push(name);
  }
  const many = await measure('node', [ORAS, 'push', `${registry.host}/bench/many:v1`, ...names], { cwd: small });
  rows.push(row(`oras push ${SMALL_FILES} x 4 KiB`, many, `${(SMALL_FILES / many.seconds).toFixed(0)} files/s`));

  const tagArgs: string[] = [];
  for (let i = 0; i < TAGS; i++) tagArgs.push(`t${i}`);
  for (let i = 0; i < tagArgs.length; i += 500) {
    await measure('node', [ORAS, 'tag', `${registry.host}/bench/many:v1`, ...tagArgs.slice(i, i + 500)], { cwd: small });
  }
  const list = await measure('node', [ORAS, 'repo', 'tags', `${registry.host}/bench/many`], { cwd: small });
  const listed = list.stdout.trim().split('\n').length;
  rows.push(row(`oras repo tags (${listed} tags)`, list, `${(listed / list.seconds).toFixed(0)} tags/s`));
}

async function main(): Promise<void> {
  const work = await makeTempDir('oras-bench-');
  const registry = await startRegistry();
  const rows: string[][] = [];
  try {
    if (wanted('browse-tags')) {
      // BENCH_SEED=put seeds the tags with PUTs (16 at a time) instead of files in the registry's storage.
      const viaPut = process.env.BENCH_SEED === 'put';
      const browse = await benchBrowseTags(registry.host, BROWSE_TAGS, process.argv[1]!, viaPut ? undefined : registry.dataDir);
      rows.push(row(`seed ${BROWSE_TAGS} tags (${viaPut ? 'PUT, 16 at a time' : 'tag files in the storage'})`, { seconds: browse.seedSeconds, peakRssMiB: NaN, stdout: '' }, `${(BROWSE_TAGS / browse.seedSeconds).toFixed(0)} tags/s`));
      rows.push(row(`${browse.tags} tags listed through the handlers`, browse.measured, `${browse.pages} pages; details of 100 in ${browse.detailsSeconds.toFixed(2)} s, of all in ${browse.allDetailsSeconds.toFixed(1)} s`));
    }
    if (wanted('browse-view')) {
      // Loaded here only, from a bundle of its own (scripts/bench.mjs): bundled in with
      // the rest, Playwright was loaded by every benchmark process at its start, the
      // composer's children included, whose time and memory are measured.
      const { benchBrowseView } = (await import(BROWSE_VIEW_BUNDLE)) as typeof import('./browse-view');
      const view = await benchBrowseView(registry, BROWSE_TAGS);
      const none = { peakRssMiB: NaN, stdout: '' };
      rows.push(row(`Chromium: open ${view.tags} tags to first rows`, { seconds: view.firstRowsMs / 1000, ...none }, `${view.firstRowsMs.toFixed(0)} ms`));
      rows.push(row(`Chromium: scroll ${view.tags} tags to the end and back`, { seconds: NaN, ...none }, `at most ${view.mostRowsInDom} rows in the DOM`));
      rows.push(row(`Chromium: newest first over ${view.tags} tags`, { seconds: view.newestFirstSeconds, ...none }, 'every tag\'s details read, t00004 on top'));
    }
    if (wanted('engine')) await engineBenchmarks(work, registry, rows);
    if (wanted('small-files')) {
      // 1,000 x 4 KiB pushed and pulled by our CLI and by the seed's library, in turns (bench/small-files.ts).
      for (const r of await smallFilesBenchmarks(work, registry.host, SMALL_FILES)) rows.push(row(r.name, r.measured, r.note));
    }
    if (wanted('composer')) {
      const big = join(work, 'composer.bin');
      await writeLargeFile(big, SIZE_MIB);
      rows.push(...(await composerBenchmarks({ file: big, mib: SIZE_MIB, registryHost: registry.host, oras: ORAS, self: process.argv[1]! })));
      await rm(big);
    }
  } finally {
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  }
  const header = ['benchmark', 'seconds', 'peak RSS MiB', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const table = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
  console.log(table);
  await writeFile('.bench/latest.md', `${table}\n`);
}

if (process.argv[2] === BROWSE_TAGS_FLAG) await listTagsThroughHandlers(process.argv[3]!);
else if (process.argv[2] === PUSH_HANDLERS_FLAG) await pushThroughHandlers(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else if (process.argv[2] === PUSH_LIBRARY_FLAG) await pushThroughLibrary(process.argv[3]!, process.argv[4]!, process.argv[5]!, process.argv[6]!);
else if (process.argv[2] === PUSH_WEB_FLAG) await pushThroughBrowserMode(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else await main();
