import { open, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../digest';
import { FileAppender, HashBehind } from './hash-behind';

describe('HashBehind and FileAppender', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hash-behind-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('hashes a file as it is written, piece by piece, to the same digest as the whole', async () => {
    const file = path.join(dir, 'written.bin');
    const handle = await open(file, 'wx');
    const behind = new HashBehind(file);
    const told: number[] = [];
    const appender = new FileAppender(handle, 1024 * 1024, (total) => {
      told.push(total);
      behind.written(total);
    });
    const pieces = Array.from({ length: 100 }, (_, i) => Buffer.alloc(100_000 + i, i));
    await pipeline(Readable.from(pieces), appender);
    await handle.close();
    const whole = Buffer.concat(pieces);
    expect(told.at(-1)).toBe(whole.byteLength);
    expect(told).toEqual([...told].sort((a, b) => a - b));
    expect(await behind.finish(appender.bytesWritten)).toEqual({ digest: digestOf(whole), size: whole.byteLength });
    expect((await readFile(file)).equals(whole)).toBe(true);
  });

  it('says so when the file is shorter than the bytes said to be written', async () => {
    const file = path.join(dir, 'short.bin');
    await writeFile(file, 'abc');
    const behind = new HashBehind(file);
    await expect(behind.finish(10)).rejects.toThrow(/cannot hash .*short\.bin as it is written: it ends at byte 3, before the 10 written/);
  });

  it('says so when the file cannot be read', async () => {
    const behind = new HashBehind(path.join(dir, 'missing.bin'));
    await expect(behind.finish(1)).rejects.toThrow(/cannot hash .*missing\.bin as it is written: ENOENT/);
  });

  it('stops when told, its digest then refused as stopped', async () => {
    const file = path.join(dir, 'stopped.bin');
    await writeFile(file, 'abc');
    const behind = new HashBehind(file);
    behind.stop();
    await expect(behind.finish(3)).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
