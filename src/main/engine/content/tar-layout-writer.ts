import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { OrasError, throwIfAborted } from '../errors';
import { writeStreamAtomic } from './atomic-write';
import { fsError } from './fs-error';
import { loadTar } from './tar-module';

/**
 * writeLayoutTar writes the OCI layout folder `dir` as a plain tar archive at `dest`,
 * as ORAS 1.3's `oras backup --output x.tar` does (Go's `tar.Writer.AddFS`: members
 * named from the layout's root, `blobs/`, `blobs/sha256/<hex>`, `index.json`,
 * `oci-layout`, folders before what they hold, in name order). The archive streams
 * from disk through node-tar 1 MiB at a time into a temp file beside `dest`, renamed
 * into place only once complete: a failure or cancel leaves no partial archive, and an
 * archive already at `dest` stays as it was until then. Answers the archive's size.
 */
export async function writeLayoutTar(dir: string, dest: string, options: { signal?: AbortSignal } = {}): Promise<{ size: number }> {
  const { signal } = options;
  const names = await listLayout(dir, signal);
  const { Pack } = await loadTar();
  const pack = new Pack({
    cwd: dir,
    // No owner names or ids, access or change times: the archive says nothing of this machine.
    portable: true,
    noDirRecurse: true,
    strict: true,
    // node-tar reads up to 16 MiB at a time by default; 1 MiB keeps memory low.
    maxReadSize: 1024 * 1024,
  });
  for (const name of names) pack.add(name);
  pack.end();
  const source = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of pack) yield chunk as Buffer;
  };
  await writeStreamAtomic(dest, Readable.from(source()), { what: `the archive ${dest}`, signal });
  const written = await stat(dest).catch((err: unknown) => {
    throw fsError(err, 'read', dest);
  });
  return { size: written.size };
}

/**
 * listLayout names every folder and file below `dir` in walk order (sorted, folders
 * before their content). Only files and folders are expected in a layout this process
 * wrote; anything else is refused rather than packed.
 */
async function listLayout(dir: string, signal?: AbortSignal): Promise<string[]> {
  const names: string[] = [];
  const visit = async (rel: string[]): Promise<void> => {
    const entries = (await readdir(path.join(dir, ...rel)).catch((err: unknown) => {
      throw fsError(err, 'read folder', path.join(dir, ...rel));
    })).sort();
    for (const entry of entries) {
      throwIfAborted(signal);
      const child = [...rel, entry];
      const info = await lstat(path.join(dir, ...child));
      if (info.isDirectory()) {
        names.push(child.join('/'));
        await visit(child);
      } else if (info.isFile()) {
        names.push(child.join('/'));
      } else {
        throw new OrasError('UNSUPPORTED', `${path.join(dir, ...child)} is neither a file nor a folder; an OCI layout archive holds only those`);
      }
    }
  };
  await visit([]);
  return names;
}
