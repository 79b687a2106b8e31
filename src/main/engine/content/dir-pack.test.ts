import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cp, link, mkdir, mkdtemp, readFile, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestStream } from '../digest';
import { isOrasError } from '../errors';
import { packDirectory, reproducibleTime } from './dir-pack';

let work: string;
let src: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'dir-pack-'));
  src = path.join(work, 'src');
  await mkdir(path.join(src, 'sub', 'deeper'), { recursive: true });
  await mkdir(path.join(src, 'empty'));
  await writeFile(path.join(src, 'b.txt'), 'bee');
  await writeFile(path.join(src, 'a.txt'), 'ay');
  await writeFile(path.join(src, 'sub', 'deeper', 'c.txt'), 'sea');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function entriesOf(tgz: string): Promise<{ path: string; type: string; linkpath?: string; uid?: number }[]> {
  const entries: { path: string; type: string; linkpath?: string; uid?: number }[] = [];
  const parser = new Parser({ strict: true });
  parser.on('entry', (e: ReadEntry) => {
    entries.push({ path: e.path, type: e.type, ...(e.linkpath ? { linkpath: e.linkpath } : {}), uid: e.uid });
    e.resume();
  });
  const done = new Promise((resolve) => parser.on('end', resolve));
  for await (const chunk of createReadStream(tgz).pipe(createGunzip())) parser.write(chunk as Buffer);
  parser.end();
  await done;
  return entries;
}

describe('packDirectory', () => {
  it('packs a folder under the prefix in sorted order, with digests of both layers', async () => {
    const dest = path.join(work, 'out.tgz');
    const result = await packDirectory(src, 'my/dir', dest);
    expect(await entriesOf(dest)).toEqual([
      { path: 'my/dir/', type: 'Directory', uid: undefined },
      { path: 'my/dir/a.txt', type: 'File', uid: undefined },
      { path: 'my/dir/b.txt', type: 'File', uid: undefined },
      { path: 'my/dir/empty/', type: 'Directory', uid: undefined },
      { path: 'my/dir/sub/', type: 'Directory', uid: undefined },
      { path: 'my/dir/sub/deeper/', type: 'Directory', uid: undefined },
      { path: 'my/dir/sub/deeper/c.txt', type: 'File', uid: undefined },
    ]);
    expect(await digestStream(createReadStream(dest))).toEqual({ digest: result.digest, size: result.size });
    expect(await digestStream(createReadStream(dest).pipe(createGunzip()))).toMatchObject({ digest: result.tarDigest });
  });

  it('gives the same digest for the same folder whatever the modification times', async () => {
    const first = await packDirectory(src, 'dir', path.join(work, '1.tgz'));
    await utimes(path.join(src, 'a.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    await utimes(path.join(src, 'sub'), new Date(2002, 1, 1), new Date(2002, 1, 1));
    const second = await packDirectory(src, 'dir', path.join(work, '2.tgz'));
    expect(second).toEqual(first);
    const unreproducible = await packDirectory(src, 'dir', path.join(work, '3.tgz'), { reproducible: false });
    expect(unreproducible.digest).not.toBe(first.digest);
  });

  it('writes byte-identical tars for two copies of a folder with different times, entries sorted, owners and times fixed', async () => {
    const copy = path.join(work, 'copy');
    await cp(src, copy, { recursive: true });
    await utimes(path.join(copy, 'b.txt'), new Date(2011, 1, 1), new Date(2011, 1, 1));
    await utimes(path.join(copy, 'sub', 'deeper'), new Date(2012, 1, 1), new Date(2012, 1, 1));
    await packDirectory(src, 'dir', path.join(work, '1.tgz'));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await packDirectory(copy, 'dir', path.join(work, '2.tgz'));
    const [one, two] = await Promise.all([readFile(path.join(work, '1.tgz')), readFile(path.join(work, '2.tgz'))]);
    expect(Buffer.compare(one, two)).toBe(0);
    const entries: { path: string; mtime?: Date; uid?: number; gid?: number; uname?: string; gname?: string }[] = [];
    const parser = new Parser({ strict: true, onReadEntry: (e: ReadEntry) => {
      entries.push({ path: e.path, mtime: e.mtime, uid: e.uid, gid: e.gid, uname: e.uname, gname: e.gname });
      e.resume();
    } });
    parser.end(await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      createReadStream(path.join(work, '1.tgz')).pipe(createGunzip()).on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
    }));
    expect(entries.map((e) => e.path)).toEqual(['dir/', 'dir/a.txt', 'dir/b.txt', 'dir/empty/', 'dir/sub/', 'dir/sub/deeper/', 'dir/sub/deeper/c.txt']);
    for (const e of entries) {
      // Folder entries carry no time at all (node-tar's portable mode); files the fixed one.
      expect(e.mtime?.getTime()).toBe(e.path.endsWith('/') ? undefined : 0);
      expect(e.uid ?? 0).toBe(0);
      expect(e.gid ?? 0).toBe(0);
      expect(e.uname ?? '').toBe('');
      expect(e.gname ?? '').toBe('');
    }
  });

  it('stores SOURCE_DATE_EPOCH as every entry\'s time when it is set, and refuses a malformed one', async () => {
    expect(reproducibleTime({}).getTime()).toBe(0);
    expect(reproducibleTime({ SOURCE_DATE_EPOCH: '1700000000' }).toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(() => reproducibleTime({ SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(/SOURCE_DATE_EPOCH/);
    const at = reproducibleTime({ SOURCE_DATE_EPOCH: '1700000000' });
    const first = await packDirectory(src, 'dir', path.join(work, '1.tgz'), { mtime: at });
    const second = await packDirectory(src, 'dir', path.join(work, '2.tgz'), { mtime: at });
    const epoch = await packDirectory(src, 'dir', path.join(work, '3.tgz'));
    expect(second).toEqual(first);
    expect(epoch.digest).not.toBe(first.digest);
    const times: number[] = [];
    // Folder entries carry no time at all (node-tar's portable mode): nothing to vary.
    const parser = new Parser({ onReadEntry: (e: ReadEntry) => { if (e.type !== 'Directory') times.push(e.mtime?.getTime() ?? -1); e.resume(); } });
    parser.end(await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      createReadStream(path.join(work, '1.tgz')).pipe(createGunzip()).on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
    }));
    expect(new Set(times)).toEqual(new Set([at.getTime()]));
  });

  it('writes a portable gzip header (OS byte 255)', async () => {
    const dest = path.join(work, 'out.tgz');
    await packDirectory(src, 'dir', dest);
    const head = await new Promise<Buffer>((resolve) => createReadStream(dest, { start: 0, end: 9 }).once('data', (c) => resolve(c as Buffer)));
    expect(head[9]).toBe(255);
    expect(head.readUInt32LE(4)).toBe(0); // no modification time
  });

  it('keeps symlinks that stay inside as links', async () => {
    await symlink('sub/deeper/c.txt', path.join(src, 'to-c'));
    await symlink('../a.txt', path.join(src, 'sub', 'up-a'));
    const dest = path.join(work, 'out.tgz');
    await packDirectory(src, 'dir', dest);
    const links = (await entriesOf(dest)).filter((e) => e.type === 'SymbolicLink');
    expect(links).toEqual([
      { path: 'dir/sub/up-a', type: 'SymbolicLink', linkpath: '../a.txt', uid: undefined },
      { path: 'dir/to-c', type: 'SymbolicLink', linkpath: 'sub/deeper/c.txt', uid: undefined },
    ]);
  });

  it('packs hard links as plain files, as oras-go does', async () => {
    await link(path.join(src, 'a.txt'), path.join(src, 'hard'));
    const dest = path.join(work, 'out.tgz');
    await packDirectory(src, 'dir', dest);
    expect((await entriesOf(dest)).find((e) => e.path === 'dir/hard')?.type).toBe('File');
  });

  it.each([
    ['an absolute symlink', '/etc/passwd', 'evil'],
    ['a symlink climbing out', '../outside', 'evil'],
    ['a nested symlink climbing out', '../../outside', 'sub/evil'],
  ])('refuses %s and leaves no file', async (_name, target, at) => {
    await symlink(target, path.join(src, at));
    const dest = path.join(work, 'out.tgz');
    const err = await packDirectory(src, 'dir', dest).catch((e: unknown) => e);
    expect(isOrasError(err, 'UNSAFE_PATH')).toBe(true);
    expect((err as Error).message).toMatch(/outside the folder being packed/);
    expect(await readdir(work)).toEqual(['src']);
  });

  it('refuses a symlink that escapes through another symlink', async () => {
    await symlink('..', path.join(src, 'sub', 'up')); // sub/up -> the root: inside
    await symlink('sub/up/..', path.join(src, 'evil')); // looks like "sub", lands above the root
    const err = await packDirectory(src, 'dir', path.join(work, 'out.tgz')).catch((e: unknown) => e);
    expect(isOrasError(err, 'UNSAFE_PATH')).toBe(true);
  });

  it('stops when aborted and leaves no file', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await packDirectory(src, 'dir', path.join(work, 'out.tgz'), { signal: controller.signal }).catch((e: unknown) => e);
    expect(isOrasError(err, 'ABORTED')).toBe(true);
    expect(await readdir(work)).toEqual(['src']);
  });

  it('stops when aborted part-way, on every Node, and leaves no file', async () => {
    // Part-way matters since Node 22: stream.pipeline then waits for its source (an
    // async generator reading the tar) to end after the destination fails.
    await writeFile(path.join(src, 'big.bin'), randomBytes(8 * 1024 * 1024));
    const controller = new AbortController();
    const onBytes = (): void => controller.abort();
    const err = await packDirectory(src, 'dir', path.join(work, 'out.tgz'), { signal: controller.signal, onBytes }).catch((e: unknown) => e);
    expect(isOrasError(err, 'ABORTED'), String(err)).toBe(true);
    expect(await readdir(work)).toEqual(['src']);
  });

  it('reports a missing folder as NOT_FOUND', async () => {
    const err = await packDirectory(path.join(work, 'nope'), 'dir', path.join(work, 'out.tgz')).catch((e: unknown) => e);
    expect(isOrasError(err, 'NOT_FOUND')).toBe(true);
  });
});
