import { describe, expect, it } from 'vitest';
import { skip } from '../content/streams';
import { chunksOf, lengthOf } from './upload';

async function* pieces(data: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (let i = 0; at < data.byteLength; i++) {
    const size = sizes[i % sizes.length]!;
    yield data.subarray(at, at + size);
    at += size;
  }
}

describe('chunksOf', () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

  it('regroups any pieces into chunks of exactly the size, the last shorter', async () => {
    const seen: Buffer[][] = [];
    for await (const chunk of chunksOf(pieces(data, [7, 300, 1, 64]), 128)) seen.push(chunk);
    expect(seen.map(lengthOf)).toEqual([128, 128, 128, 128, 128, 128, 128, 104]);
    expect(Buffer.concat(seen.flat())).toEqual(data);
  });

  it('keeps the pieces it was given rather than copying them', async () => {
    const source = [Buffer.from('abcd'), Buffer.from('efgh')];
    const chunks: Buffer[][] = [];
    for await (const chunk of chunksOf((async function* () { yield* source; })(), 6)) chunks.push(chunk);
    expect(chunks.map((c) => Buffer.concat(c).toString())).toEqual(['abcdef', 'gh']);
    expect(chunks[0]![0]!.buffer).toBe(source[0]!.buffer);
  });

  it('yields nothing for empty content', async () => {
    const seen: Buffer[][] = [];
    for await (const chunk of chunksOf(pieces(Buffer.alloc(0), [1]), 16)) seen.push(chunk);
    expect(seen).toEqual([]);
  });
});

describe('skip', () => {
  const chunk = [Buffer.from('abc'), Buffer.from('defg'), Buffer.from('h')];

  it.each([
    [0, 'abcdefgh'],
    [2, 'cdefgh'],
    [3, 'defgh'],
    [5, 'fgh'],
    [7, 'h'],
    [8, ''],
  ])('drops the first %i bytes', (bytes, rest) => {
    expect(Buffer.concat(skip(chunk, bytes)).toString()).toBe(rest);
  });
});
