import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../digest';
import { DigestCache } from './digest-cache';
import { FileStore } from './file-store';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'digest-cache-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('DigestCache', () => {
  it('forgets a file whose size, mtime or inode changed, and the oldest beyond its bound', () => {
    const cache = new DigestCache(2);
    cache.set('/a', { size: 1, mtimeMs: 10, ino: 5 }, 'sha256:aa');
    expect(cache.get('/a', { size: 1, mtimeMs: 10, ino: 5 })).toEqual({ digest: 'sha256:aa', size: 1 });
    expect(cache.get('/a', { size: 1, mtimeMs: 11, ino: 5 })).toBeUndefined();
    cache.set('/a', { size: 1, mtimeMs: 10, ino: 5 }, 'sha256:aa');
    expect(cache.get('/a', { size: 1, mtimeMs: 10, ino: 6 })).toBeUndefined();
    cache.set('/a', { size: 1, mtimeMs: 10 }, 'sha256:aa');
    cache.set('/b', { size: 1, mtimeMs: 10 }, 'sha256:bb');
    cache.set('/c', { size: 1, mtimeMs: 10 }, 'sha256:cc');
    expect(cache.size).toBe(2);
    expect(cache.get('/a', { size: 1, mtimeMs: 10 })).toBeUndefined();
  });

  it('lets a FileStore skip reading an unchanged file, and the push still catches a file changed behind its back', async () => {
    const file = path.join(work, 'big.bin');
    await writeFile(file, 'first content');
    await utimes(file, 1_700_000_000, 1_700_000_000);
    const cache = new DigestCache();
    const seen: number[] = [];
    const one = new FileStore(work, { digestCache: cache });
    const desc = await one.add('big.bin', '', file, { onBytes: (n) => seen.push(n) });
    await one.close();
    expect(desc.digest).toBe(digestOf(new TextEncoder().encode('first content')));
    expect(seen.at(-1)).toBe(13);

    // Same size, same mtime: the cache answers without reading (no onBytes calls).
    await writeFile(file, 'other content');
    await utimes(file, 1_700_000_000, 1_700_000_000);
    seen.length = 0;
    const two = new FileStore(work, { digestCache: cache });
    const again = await two.add('big.bin', '', file, { onBytes: (n) => seen.push(n) });
    expect(again.digest).toBe(desc.digest);
    expect(seen).toEqual([]);
    await expect(async () => {
      for await (const _ of await two.fetch(again)) void _;
    }).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    await two.close();
  });
});
