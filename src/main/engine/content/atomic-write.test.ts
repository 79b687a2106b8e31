import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../digest';
import { isOrasError, OrasError } from '../errors';
import { writeFileAtomic, writeNewFile, writeSmallAtomic, writeStreamAtomic } from './atomic-write';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'atomic-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const expected = (s: string) => ({ digest: digestOf(s), size: Buffer.byteLength(s) });

describe('writeStreamAtomic', () => {
  it('writes verified content and leaves no temp file', async () => {
    const dest = path.join(dir, 'out.txt');
    await writeStreamAtomic(dest, Readable.from([Buffer.from('hello')]), { expected: expected('hello') });
    expect(await readFile(dest, 'utf8')).toBe('hello');
    expect(await readdir(dir)).toEqual(['out.txt']);
  });

  const writers = {
    writeStreamAtomic: (dest: string, content: Readable, options: Parameters<typeof writeStreamAtomic>[2]) => writeStreamAtomic(dest, content, options),
    writeSmallAtomic: (dest: string, content: Readable, options: Parameters<typeof writeStreamAtomic>[2]) => writeSmallAtomic(dest, content, 5, options),
  };
  it.each([
    ['truncated', 'hell', 'SIZE_MISMATCH'],
    ['too long', 'hello world', 'SIZE_MISMATCH'],
    ['altered', 'jello', 'DIGEST_MISMATCH'],
  ].flatMap((c) => Object.keys(writers).map((w) => [...c, w] as const)))('refuses %s content and keeps the old file (%s, %s, %s)', async (_name, body, code, writer) => {
    const dest = path.join(dir, 'out.txt');
    await writeFile(dest, 'old');
    const err = await writers[writer as keyof typeof writers](dest, Readable.from([Buffer.from(body)]), { expected: expected('hello') }).catch((e: unknown) => e);
    expect(isOrasError(err, code as 'SIZE_MISMATCH')).toBe(true);
    expect(await readFile(dest, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['out.txt']);
  });

  it('stops on abort and removes the temp file', async () => {
    const dest = path.join(dir, 'out.txt');
    const controller = new AbortController();
    const slow = new Readable({ read() {} });
    slow.push('partial');
    const writing = writeStreamAtomic(dest, slow, { expected: expected('partial and more'), signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(writing).rejects.toSatisfy((e: unknown) => isOrasError(e, 'ABORTED'));
    expect(await readdir(dir)).toEqual([]);
  });

  it('removes the temp file when beforeRename refuses', async () => {
    const dest = path.join(dir, 'out.txt');
    const refusal = new OrasError('ALREADY_EXISTS', 'exists');
    await expect(
      writeStreamAtomic(dest, Readable.from([Buffer.from('x')]), {
        beforeRename: async () => {
          throw refusal;
        },
      }),
    ).rejects.toBe(refusal);
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a missing folder as NOT_FOUND naming the path', async () => {
    const dest = path.join(dir, 'missing', 'out.txt');
    await expect(writeStreamAtomic(dest, Readable.from([Buffer.from('x')]))).rejects.toThrowError(/missing/);
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole', async () => {
    const dest = path.join(dir, 'index.json');
    await writeFileAtomic(dest, '{"a":1}');
    await writeFileAtomic(dest, '{"a":2}');
    expect(await readFile(dest, 'utf8')).toBe('{"a":2}');
    expect(await readdir(dir)).toEqual(['index.json']);
  });
});

describe('writeSmallAtomic', () => {
  it('writes small content read whole, verified, with no temp file left', async () => {
    const dest = path.join(dir, 'out.txt');
    await writeSmallAtomic(dest, Readable.from([Buffer.from('hel'), Buffer.from('lo')]), 5, { expected: expected('hello') });
    expect(await readFile(dest, 'utf8')).toBe('hello');
    expect(await readdir(dir)).toEqual(['out.txt']);
  });

  it('checks the size alone when the stream checks itself, and refuses at the last moment when told', async () => {
    const dest = path.join(dir, 'out.txt');
    const short = await writeSmallAtomic(dest, Readable.from([Buffer.from('hell')]), 5).catch((e: unknown) => e);
    expect(isOrasError(short, 'SIZE_MISMATCH')).toBe(true);
    const refused = await writeSmallAtomic(dest, Readable.from([Buffer.from('hello')]), 5, {
      beforeRename: async () => {
        throw new OrasError('ALREADY_EXISTS', 'appeared meanwhile');
      },
    }).catch((e: unknown) => e);
    expect(isOrasError(refused, 'ALREADY_EXISTS')).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('stops when aborted while waiting for content', async () => {
    const controller = new AbortController();
    const pending = writeSmallAtomic(path.join(dir, 'out.txt'), new Readable({ read() {} }), 5, { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(isOrasError(await pending, 'ABORTED')).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('writeNewFile', () => {
  it('writes the bytes in place, with no temp file', async () => {
    const dest = path.join(dir, 'new.txt');
    expect(await writeNewFile(dest, Buffer.from('hello'))).toBe(true);
    expect(await readFile(dest, 'utf8')).toBe('hello');
    expect(await readdir(dir)).toEqual(['new.txt']);
  });

  it('writes nothing where anything is: a file, a folder, a symlink, even a dangling one', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'atomic-write-outside-'));
    try {
      await writeFile(path.join(dir, 'file'), 'mine');
      await mkdir(path.join(dir, 'folder'));
      await writeFile(path.join(outside, 'secret'), 'untouched');
      await symlink(path.join(outside, 'secret'), path.join(dir, 'link'));
      await symlink(path.join(outside, 'planted'), path.join(dir, 'dangling'));
      for (const name of ['file', 'folder', 'link', 'dangling']) expect(await writeNewFile(path.join(dir, name), Buffer.from('pwned'))).toBe(false);
      expect(await readFile(path.join(dir, 'file'), 'utf8')).toBe('mine');
      expect(await readdir(outside)).toEqual(['secret']);
      expect(await readFile(path.join(outside, 'secret'), 'utf8')).toBe('untouched');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('says why it cannot write, and does not start when aborted', async () => {
    const missing = await writeNewFile(path.join(dir, 'no', 'such', 'folder.txt'), Buffer.from('x')).catch((e: unknown) => e);
    expect(isOrasError(missing, 'NOT_FOUND')).toBe(true);
    const controller = new AbortController();
    controller.abort();
    const aborted = await writeNewFile(path.join(dir, 'a.txt'), Buffer.from('x'), controller.signal).catch((e: unknown) => e);
    expect(isOrasError(aborted, 'ABORTED')).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });
});
