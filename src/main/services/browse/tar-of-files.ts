import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import type { Descriptor } from '../../engine/descriptor';

/** TarFile is one entry of the archive: a checked relative name and the blob it holds. */
export interface TarFile {
  name: string;
  desc: Descriptor;
}

/**
 * tarOfFiles streams a tar of `files`, one entry after the other, each read from
 * `open` (which verifies size and digest as the bytes pass). Nothing is buffered
 * beyond a chunk; a failure or an abort destroys the archive stream with the error,
 * so whoever reads it (a browser download) fails rather than keeping a short archive.
 * `onBytes` gets the bytes of content (not headers) written so far.
 */
export function tarOfFiles(
  files: TarFile[],
  open: (desc: Descriptor) => Promise<Readable>,
  onBytes: (done: number) => void = () => {},
): Readable {
  // tar-stream's streams are streamx streams: bridged to Node's by async iteration.
  const archive = pack();
  let done = 0;
  (async () => {
    for (const file of files) {
      const source = await open(file.desc);
      let settle!: (error?: Error | null) => void;
      const finished = new Promise<void>((resolve, reject) => {
        settle = (error) => (error ? reject(error) : resolve());
      });
      finished.catch(() => {}); // awaited below; a failure before that is reported by the loop
      const entry = archive.entry({ name: file.name, size: file.desc.size, mode: 0o644, mtime: new Date(0), type: 'file' }, (error) => settle(error));
      entry.on('error', () => {}); // the loop below reports it, through the archive
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          done += chunk.byteLength;
          onBytes(done);
          if (!entry.write(chunk)) await new Promise<void>((resolve) => entry.once('drain', () => resolve()));
        }
      } catch (error) {
        entry.destroy(error as Error);
        throw error;
      }
      (entry as unknown as { end(): void }).end();
      await finished;
    }
    archive.finalize();
  })().catch((error: unknown) => archive.destroy(error as Error));
  return Readable.from(archive as AsyncIterable<Buffer>, { objectMode: false });
}
