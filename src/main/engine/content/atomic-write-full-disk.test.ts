import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isOrasError } from '../errors';

// A disk that fills up while a small file is written in place: the write fails after
// the file was created.
vi.mock('node:fs', async (original) => ({
  ...(await original<typeof import('node:fs')>()),
  writeSync: () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  },
}));

const { writeNewFile } = await import('./atomic-write');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'atomic-write-full-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeNewFile on a full disk', () => {
  it('says the disk is full and leaves no file behind', async () => {
    const err = await writeNewFile(path.join(dir, 'a.txt'), Buffer.from('hello')).catch((e: unknown) => e);
    expect(isOrasError(err, 'INTERNAL')).toBe(true);
    expect((err as Error).message).toMatch(/disk is full/);
    expect(await readdir(dir)).toEqual([]);
  });
});
