import { describe, expect, it } from 'vitest';
import { chunksOf } from './upload';

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

  it.each([1, 2])('regroups any pieces into chunks of exactly the size, the last shorter (%i buffers)', async (buffers) => {
    const seen: Buffer[] = [];
    // Each chunk is copied as it comes: the buffers are reused.
    for await (const chunk of chunksOf(pieces(data, [7, 300, 1, 64]), 128, buffers)) seen.push(Buffer.from(chunk));
    expect(seen.map((c) => c.byteLength)).toEqual([128, 128, 128, 128, 128, 128, 128, 104]);
    expect(Buffer.concat(seen)).toEqual(data);
  });

  it('alternates two buffers, so a chunk stays intact while the next is filled', async () => {
    const chunks = chunksOf(pieces(data, [50]), 100, 2);
    const first = (await chunks.next()).value as Buffer;
    const copy = Buffer.from(first);
    const second = (await chunks.next()).value as Buffer;
    expect(first).toEqual(copy);
    expect(second.buffer === first.buffer && second.byteOffset === first.byteOffset).toBe(false);
    await chunks.return(undefined);
  });

  it('yields nothing for empty content', async () => {
    const seen: Buffer[] = [];
    for await (const chunk of chunksOf(pieces(Buffer.alloc(0), [1]), 16)) seen.push(chunk);
    expect(seen).toEqual([]);
  });
});
