import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../engine/digest';
import { OrasError } from '../../engine/errors';
import { LruCache } from './lru';
import { CountBytes, HoldLastChunk } from './stream-parts';
import { tarOfFiles } from './tar-of-files';

async function collect(stream: Readable): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _e, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
  );
  return chunks;
}

describe('HoldLastChunk', () => {
  it('passes every chunk when the source ends cleanly', async () => {
    const chunks = await collect(Readable.from([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]).pipe(new HoldLastChunk()));
    expect(Buffer.concat(chunks).toString()).toBe('abc');
  });

  it('never sends the last chunk of a source that fails at its end', async () => {
    const seen: string[] = [];
    async function* failing() {
      yield Buffer.from('a');
      yield Buffer.from('b');
      throw new OrasError('DIGEST_MISMATCH', 'bad');
    }
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        seen.push(chunk.toString());
        cb();
      },
    });
    await expect(pipeline(Readable.from(failing()), new HoldLastChunk(), sink)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(seen).toEqual(['a']);
  });
});

describe('CountBytes', () => {
  it('reports the running total', async () => {
    const totals: number[] = [];
    await collect(Readable.from([Buffer.alloc(3), Buffer.alloc(4)]).pipe(new CountBytes((n) => totals.push(n))));
    expect(totals).toEqual([3, 7]);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.size).toBe(2);
  });

  it('keeps the total weight within its limit, and never an entry heavier than it', () => {
    const cache = new LruCache<string, string>(100, { maxWeight: 10, weigh: (v) => v.length });
    cache.set('a', 'xxxx');
    cache.set('b', 'xxxx');
    cache.set('c', 'xxxx');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.totalWeight).toBe(8);
    cache.set('huge', 'x'.repeat(11));
    expect(cache.get('huge')).toBeUndefined();
    cache.set('b', 'x');
    expect(cache.totalWeight).toBe(5);
  });
});

describe('tarOfFiles', () => {
  const file = (name: string, text: string) => {
    const bytes = Buffer.from(text);
    return { name, bytes, desc: { mediaType: 'text/plain', digest: digestOf(bytes), size: bytes.byteLength } };
  };

  it('streams each file as an entry, in order', async () => {
    const files = [file('a.txt', 'alpha'), file('dir/b.txt', 'bravo'.repeat(1000))];
    const progress: number[] = [];
    const archive = tarOfFiles(files, async (desc) => Readable.from([files.find((f) => f.desc.digest === desc.digest)!.bytes]), (n) => progress.push(n));
    const bytes = Buffer.concat(await collect(archive));
    const entries: Record<string, string> = {};
    await new Promise<void>((resolve, reject) => {
      const reader = extract();
      reader.on('entry', (header, stream, next) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: unknown) => chunks.push(c as Buffer));
        stream.on('end', () => {
          entries[header.name] = Buffer.concat(chunks).toString();
          next();
        });
      });
      reader.on('finish', () => resolve());
      reader.on('error', reject);
      reader.end(bytes);
    });
    expect(entries).toEqual({ 'a.txt': 'alpha', 'dir/b.txt': 'bravo'.repeat(1000) });
    expect(progress.at(-1)).toBe(5 + 5000);
  });

  it('fails the archive when a source fails', async () => {
    const files = [file('a.txt', 'alpha')];
    async function* broken() {
      yield Buffer.from('al');
      throw new OrasError('DIGEST_MISMATCH', 'a.txt is not what it says');
    }
    const archive = tarOfFiles(files, async () => Readable.from(broken()));
    await expect(collect(archive)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });
});
