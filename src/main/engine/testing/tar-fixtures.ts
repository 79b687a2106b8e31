import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header, type HeaderData } from 'tar';

/*
 * Fixtures for the content stores' tests: hand-made archives, including the malicious ones
 * no honest packer writes. Nothing outside tests imports this file.
 */

/** TarEntry is one hand-written tar entry; `body` makes it a file of that content. */
export interface TarEntry extends HeaderData {
  body?: string | Buffer;
}

/** tarOf writes `entries` as a plain tar, names and links exactly as given. */
export function tarOf(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const { body, ...data } of entries) {
    const content = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
    const header = new Header({
      type: body === undefined && data.linkpath === undefined ? 'Directory' : 'File',
      mode: 0o644,
      mtime: new Date(0),
      ...data,
      size: content.length,
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** tgzOf is tarOf, gzipped. */
export function tgzOf(entries: TarEntry[]): Buffer {
  return gzipSync(tarOf(entries));
}

/** snapshot describes a folder tree: each path's kind and content or link target. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const visit = async (rel: string): Promise<void> => {
    for (const name of (await readdir(path.join(dir, rel))).sort()) {
      const child = rel === '' ? name : `${rel}/${name}`;
      const full = path.join(dir, child);
      const stats = await lstat(full);
      if (stats.isSymbolicLink()) out[child] = `link:${await readlink(full)}`;
      else if (stats.isDirectory()) {
        out[child] = 'dir';
        await visit(child);
      } else out[child] = `file:${(await readFile(full)).toString('base64')}`;
    }
  };
  await visit('');
  return out;
}
