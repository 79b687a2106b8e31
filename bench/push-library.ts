import path from 'node:path';
import { DigestCache } from '../src/main/engine/content/digest-cache';
import { FileStore } from '../src/main/engine/content/file-store';
import { push } from '../src/main/engine/oras/push';
import { Registry } from '../src/main/engine/registry/registry';
import { STREAMED_CHUNK_SIZE } from '../src/main/engine/registry/upload-from-source';
import { measure, row, type Measured } from './measure';

/**
 * "A 1 GiB push with the digest known" through the library, the path of a caller that
 * has hashed the file before (the composer's digest cache): a fresh process adds the
 * file to a FileStore (hashing it, untimed), then times push() alone: HEAD, POST, the
 * file read once and hashed once on its way up, in the engine's PATCHes (ranges streamed
 * from the file, none held) or (chunk 0) one PUT. Set beside `curl -T` with the digest
 * known, it shows what the PATCHes cost.
 */

export const PUSH_LIBRARY_FLAG = '--push-library';

/** pushThroughLibrary is the child's work; prints one JSON line with the push's own seconds. */
export async function pushThroughLibrary(registryHost: string, file: string, repository: string, chunkMiB: string): Promise<void> {
  const store = new FileStore(path.dirname(file), { digestCache: new DigestCache() });
  const registry = new Registry(registryHost, { uploadChunkSize: chunkMiB === 'default' ? undefined : Number(chunkMiB) * 1024 * 1024 });
  try {
    const layer = await store.add(path.basename(file), 'application/octet-stream', file);
    const started = performance.now();
    await push(store, registry.repository(repository), 'v1', { layers: [layer], created: false });
    console.log(JSON.stringify({ pushSeconds: (performance.now() - started) / 1000 }));
  } finally {
    await store.close();
    await registry.close();
  }
}

/** libraryRows runs the library push twice, in chunks and in one PUT, each in a fresh repository. */
export async function libraryRows(opts: { file: string; mib: number; registryHost: string; self: string; baseline: Measured }): Promise<string[][]> {
  const rows: string[][] = [];
  for (const [chunkMiB, how] of [['default', `${STREAMED_CHUNK_SIZE / 1024 / 1024} MiB PATCHes`], ['0', 'one PUT']] as const) {
    const run = await measure(process.execPath, [opts.self, PUSH_LIBRARY_FLAG, opts.registryHost, opts.file, `bench/library-${chunkMiB}`, chunkMiB]);
    const { pushSeconds } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { pushSeconds: number };
    const timed = { ...run, seconds: pushSeconds };
    rows.push(row(`library push, digest known, ${how} (${opts.mib} MiB)`, timed, `${(pushSeconds / opts.baseline.seconds).toFixed(2)}x curl -T; push() alone (hashing before it untimed); RSS of the whole process`));
  }
  return rows;
}
