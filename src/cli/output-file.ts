import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeStreamAtomic } from '../main/engine/content/atomic-write';
import type { CliIo } from './io';

/**
 * writeOutput sends content to `-o FILE` (through a temp file and a rename, so a
 * failed download leaves no partial file) or to stdout for `-o -`.
 */
export async function writeOutput(io: CliIo, output: string, content: Readable): Promise<void> {
  if (output === '-') {
    await pipeline(content, io.stdout, { signal: io.signal, end: false });
    return;
  }
  await writeStreamAtomic(path.resolve(io.cwd, output), content, { signal: io.signal });
}
