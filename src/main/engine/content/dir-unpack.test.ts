import { createReadStream } from 'node:fs';
import { link, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../digest';
import { isOrasError } from '../errors';
import { packDirectory } from './dir-pack';
import { unpackDirectory } from './dir-unpack';
import { snapshot, tarOf, tgzOf, type TarEntry } from '../testing/tar-fixtures';

let work: string;
let dest: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'dir-unpack-'));
  dest = path.join(work, 'dest');
  await mkdir(dest);
  await writeFile(path.join(work, 'sentinel'), 'untouched');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function unpack(entries: TarEntry[], prefix = 'dir'): Promise<void> {
  return unpackDirectory(Readable.from([tgzOf(entries)]), dest, prefix);
}

async function expectRefused(promise: Promise<unknown>, code = 'UNSAFE_PATH'): Promise<Error> {
  const err = await promise.catch((e: unknown) => e);
  expect(isOrasError(err), String(err)).toBe(true);
  expect((err as { code: string }).code, (err as Error).message).toBe(code);
  // nothing was written next to the destination
  expect((await readdir(work)).sort()).toEqual(['dest', 'sentinel']);
  expect(await readFile(path.join(work, 'sentinel'), 'utf8')).toBe('untouched');
  return err as Error;
}

describe('unpackDirectory', () => {
  it('round-trips a packed folder with identical bytes, links and empty folders', async () => {
    const src = path.join(work, 'src');
    await mkdir(path.join(src, 'sub', 'empty'), { recursive: true });
    await writeFile(path.join(src, 'a.txt'), 'ay');
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    await writeFile(path.join(src, 'sub', 'big.bin'), big);
    await symlink('../a.txt', path.join(src, 'sub', 'to-a'));
    await link(path.join(src, 'a.txt'), path.join(src, 'hard'));
    const tgz = path.join(work, 'src.tgz');
    const packed = await packDirectory(src, 'src', tgz);
    const out = path.join(dest, 'src');
    await mkdir(out);
    await unpackDirectory(createReadStream(tgz), out, 'src', { tarDigest: packed.tarDigest });
    expect(await snapshot(out)).toEqual(await snapshot(src));
  });

  it('restores file modes without setuid bits', async () => {
    await unpack([{ path: 'dir/run.sh', body: '#!/bin/sh', mode: 0o4755 }]);
    expect((await stat(path.join(dest, 'run.sh'))).mode & 0o7777).toBe(0o755);
  });

  it('accepts the prefix folder entry and names with "./"', async () => {
    await unpack([{ path: 'dir/' }, { path: './dir/x.txt', body: 'x' }, { path: 'dir/sub/./y.txt', body: 'y' }]);
    expect(await snapshot(dest)).toEqual({ 'sub': 'dir', 'sub/y.txt': `file:${Buffer.from('y').toString('base64')}`, 'x.txt': `file:${Buffer.from('x').toString('base64')}` });
  });

  it('checks the uncompressed tar against the annotation digest', async () => {
    const entries = [{ path: 'dir/a.txt', body: 'a' }];
    const good = digestOf(tarOf(entries));
    await unpackDirectory(Readable.from([tgzOf(entries)]), dest, 'dir', { tarDigest: good });
    await rm(dest, { recursive: true });
    await mkdir(dest);
    const err = await unpackDirectory(Readable.from([tgzOf(entries)]), dest, 'dir', { tarDigest: digestOf('other') }).catch((e: unknown) => e);
    expect(isOrasError(err, 'DIGEST_MISMATCH')).toBe(true);
  });

  describe('refuses malicious archives', () => {
    it.each([
      ['a parent-relative name', '../evil'],
      ['an escaping name under the prefix', 'dir/../../evil'],
      ['an absolute name', '/tmp/evil'],
      ['a Windows absolute name', 'C:\\evil'],
      ['a backslash escape', 'dir\\..\\..\\evil'],
      ['a name outside the prefix', 'other/evil'],
    ])('%s', async (_name, entryPath) => {
      await expectRefused(unpack([{ path: entryPath, body: 'pwned' }]));
    });

    it('a symlink to an absolute path', async () => {
      await expectRefused(unpack([{ path: 'dir/l', type: 'SymbolicLink', linkpath: '/etc' }]));
    });

    it('a symlink climbing out', async () => {
      await expectRefused(unpack([{ path: 'dir/sub/l', type: 'SymbolicLink', linkpath: '../../sentinel' }]));
    });

    it('a symlink escaping through another symlink', async () => {
      await expectRefused(
        unpack([
          { path: 'dir/a/' },
          { path: 'dir/a/up', type: 'SymbolicLink', linkpath: '..' },
          { path: 'dir/x', type: 'SymbolicLink', linkpath: 'a/up/..' },
        ]),
      );
    });

    it('a file written through a symlink made by an earlier entry', async () => {
      await mkdir(path.join(work, 'elsewhere'));
      const err = await unpackDirectory(
        Readable.from([
          tgzOf([
            { path: 'dir/sub/' },
            { path: 'dir/l', type: 'SymbolicLink', linkpath: 'sub' },
            { path: 'dir/l/x', body: 'through the link' },
          ]),
        ]),
        dest,
        'dir',
      ).catch((e: unknown) => e);
      expect(isOrasError(err, 'UNSAFE_PATH')).toBe(true);
      await expect(stat(path.join(dest, 'sub', 'x'))).rejects.toThrow();
    });

    it('a hard link to a file outside', async () => {
      await expectRefused(unpack([{ path: 'dir/h', type: 'Link', linkpath: '../sentinel' }]));
      await expectRefused(unpack([{ path: 'dir/h', type: 'Link', linkpath: '/etc/passwd' }]));
    });

    it('a hard link to something not unpacked before it', async () => {
      await expectRefused(unpack([{ path: 'dir/h', type: 'Link', linkpath: 'dir/missing' }]));
    });
  });

  it('replaces an earlier entry of the same name instead of writing through it', async () => {
    await unpack([
      { path: 'dir/f', body: 'original' },
      { path: 'dir/h', type: 'Link', linkpath: 'dir/f' },
      { path: 'dir/h', body: 'replacement' },
    ]);
    expect(await readFile(path.join(dest, 'f'), 'utf8')).toBe('original');
    expect(await readFile(path.join(dest, 'h'), 'utf8')).toBe('replacement');
  });

  it('skips devices and pipes', async () => {
    await unpack([{ path: 'dir/fifo', type: 'FIFO' }, { path: 'dir/a', body: 'a' }]);
    expect(Object.keys(await snapshot(dest))).toEqual(['a']);
  });

  it('refuses data that is not gzip', async () => {
    const err = await unpackDirectory(Readable.from([Buffer.from('plain text, not gzip')]), dest, 'dir').catch((e: unknown) => e);
    expect(isOrasError(err, 'INVALID_ARGUMENT')).toBe(true);
    expect((err as Error).message).toMatch(/gzip/);
  });

  it('refuses a truncated archive', async () => {
    const tgz = tgzOf([{ path: 'dir/big', body: Buffer.alloc(100_000, 1) }]);
    const { gunzipSync, gzipSync } = await import('node:zlib');
    const truncated = gzipSync(gunzipSync(tgz).subarray(0, 50_000));
    const err = await unpackDirectory(Readable.from([truncated]), dest, 'dir').catch((e: unknown) => e);
    expect(isOrasError(err), String(err)).toBe(true);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const slow = new Readable({ read() {} });
    const tgz = tgzOf([{ path: 'dir/a', body: Buffer.alloc(200_000, 7) }]);
    slow.push(tgz.subarray(0, 100));
    const unpacking = unpackDirectory(slow, dest, 'dir', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const err = await unpacking.catch((e: unknown) => e);
    expect(isOrasError(err, 'ABORTED')).toBe(true);
  });
});
