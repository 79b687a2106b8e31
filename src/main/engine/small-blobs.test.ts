import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bytesReadable } from './content/streams';
import { heldByteLength, takeHeldBytes } from './small-blobs';

describe('held bytes', () => {
  it('hands over the bytes of a stream made from memory once, ending it', () => {
    const bytes = Buffer.from('hello');
    const stream = bytesReadable(bytes);
    expect(heldByteLength(stream)).toBe(5);
    expect(takeHeldBytes(stream)).toEqual(bytes);
    expect(stream.destroyed).toBe(true);
    expect(takeHeldBytes(stream)).toBeUndefined();
  });

  it('has nothing for another stream, or for one that was read already', async () => {
    expect(takeHeldBytes(Readable.from([Buffer.from('x')]))).toBeUndefined();
    const read = bytesReadable(Buffer.from('hello'));
    for await (const chunk of read) expect(chunk).toEqual(Buffer.from('hello'));
    expect(heldByteLength(read)).toBeUndefined();
    expect(takeHeldBytes(read)).toBeUndefined();
  });
});
