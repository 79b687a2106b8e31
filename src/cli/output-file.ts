import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic, writeStreamAtomic } from '../main/engine/content/atomic-write';
import type { Fetcher } from '../main/engine/content/storage';
import type { Descriptor } from '../main/engine/descriptor';
import { fetchBytes } from '../main/engine/oras/bytes';
import type { CliIo } from './io';
import { terminalView } from './terminal-text';

/**
 * writeOutput sends content to `-o FILE` (through a temp file and a rename, so a
 * failed download leaves no partial file) or to stdout for `-o -`: the exact bytes
 * to a pipe or file, a terminal-safe view (see terminalView) to a terminal, where a
 * registry's bytes would otherwise be obeyed as escape sequences.
 */
export async function writeOutput(io: CliIo, output: string, content: Readable): Promise<void> {
  if (output === '-') {
    if (io.stdout.isTTY === true) await pipeline(content, terminalView(), io.stdout, { signal: io.signal, end: false });
    else await pipeline(content, io.stdout, { signal: io.signal, end: false });
    return;
  }
  await writeStreamAtomic(path.resolve(io.cwd, output), content, { signal: io.signal });
}

/**
 * pushedManifest reads the manifest a push or attach just packed (it is in the local
 * store, capped like every manifest) and, for `--export-manifest FILE`, writes it there.
 * The bytes are returned for callers that need more from them.
 */
export async function pushedManifest(io: CliIo, store: Fetcher, root: Descriptor, exportTo: string | undefined): Promise<Uint8Array> {
  const bytes = await fetchBytes(store, root, { signal: io.signal });
  if (exportTo !== undefined) await writeFileAtomic(path.resolve(io.cwd, exportTo), bytes);
  return bytes;
}
