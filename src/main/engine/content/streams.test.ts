import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../digest';
import { isOrasError } from '../errors';
import { SerialQueue } from './serial-queue';
import { readVerified, verifiedReadable } from './streams';

const expected = (s: string) => ({ digest: digestOf(s), size: Buffer.byteLength(s) });

describe('verifiedReadable', () => {
  it('passes good content through', async () => {
    expect((await buffer(verifiedReadable(Readable.from([Buffer.from('ok')]), expected('ok'), 'x'))).toString()).toBe('ok');
  });

  it('fails bad content with DIGEST_MISMATCH', async () => {
    const err = await buffer(verifiedReadable(Readable.from([Buffer.from('no')]), expected('ok'), 'x')).catch((e: unknown) => e);
    expect(isOrasError(err, 'DIGEST_MISMATCH')).toBe(true);
  });

  it('turns a read error into an OrasError and closes the source', async () => {
    const source = new PassThrough();
    const out = verifiedReadable(source, expected('ok'), 'the blob');
    source.destroy(new Error('EIO: disk on fire'));
    const err = await buffer(out).catch((e: unknown) => e);
    expect(isOrasError(err, 'INTERNAL')).toBe(true);
    expect((err as Error).message).toMatch(/read the blob: EIO/);
  });

  it('is destroyed with ABORTED when the signal fires mid-read', async () => {
    const controller = new AbortController();
    const source = new PassThrough();
    source.write('o');
    const out = verifiedReadable(source, expected('ok'), 'x', controller.signal);
    setTimeout(() => controller.abort(), 10);
    const err = await buffer(out).catch((e: unknown) => e);
    expect(isOrasError(err, 'ABORTED')).toBe(true);
    expect(source.destroyed).toBe(true);
  });
});

describe('readVerified', () => {
  it('reads verified bytes, refusing more than maxBytes before reading', async () => {
    expect((await readVerified(Readable.from([Buffer.from('ok')]), expected('ok'))).toString()).toBe('ok');
    const err = await readVerified(Readable.from([Buffer.from('ok')]), expected('ok'), { maxBytes: 1 }).catch((e: unknown) => e);
    expect(isOrasError(err, 'SIZE_LIMIT')).toBe(true);
  });
});

describe('SerialQueue', () => {
  it('runs tasks one at a time, in order, past failures', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) =>
      queue.run(async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([task('a', 20), task('b', 1, true), task('c', 5)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
