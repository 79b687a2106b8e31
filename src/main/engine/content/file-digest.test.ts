import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOrasError } from '../errors';
import { digestFile, FILE_DIGEST_READ } from './file-digest';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'file-digest-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

describe('digestFile', () => {
  it.each([
    ['empty', 0],
    ['one byte', 1],
    ['exactly one read', FILE_DIGEST_READ],
    ['two reads and a bit, the buffers taking turns', 2 * FILE_DIGEST_READ + 7],
  ])('hashes a file: %s', async (_name, size) => {
    const data = randomBytes(size);
    const file = path.join(dir, 'f.bin');
    await writeFile(file, data);
    const totals: number[] = [];
    expect(await digestFile(file, { onBytes: (n) => totals.push(n) })).toEqual({ digest: sha256(data), size });
    expect(totals.at(-1) ?? 0).toBe(size);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
  });

  it('takes another algorithm', async () => {
    const file = path.join(dir, 'f.txt');
    await writeFile(file, 'hello');
    expect((await digestFile(file, { algorithm: 'sha512' })).digest).toBe(`sha512:${createHash('sha512').update('hello').digest('hex')}`);
  });

  it('says a missing file is missing, and stops when aborted', async () => {
    const missing = await digestFile(path.join(dir, 'nope')).catch((e: unknown) => e);
    expect(isOrasError(missing, 'NOT_FOUND')).toBe(true);
    const file = path.join(dir, 'big.bin');
    await writeFile(file, randomBytes(3 * FILE_DIGEST_READ));
    const controller = new AbortController();
    const stopped = await digestFile(file, { signal: controller.signal, onBytes: () => controller.abort() }).catch((e: unknown) => e);
    expect(isOrasError(stopped, 'ABORTED')).toBe(true);
  });
});
