import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../digest';
import { SourceReader } from './source-reader';

const data = randomBytes(1000);

/** pieces streams `bytes` in pieces of `size`, as a file read does. */
function pieces(bytes: Buffer, size = 64): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size);
    })(),
    { objectMode: false },
  );
}

async function collect(gen: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of gen) parts.push(part);
  return Buffer.concat(parts);
}

describe('SourceReader', () => {
  it('hands out consecutive ranges across piece boundaries and hashes them', async () => {
    const reader = new SourceReader(pieces(data, 64), async () => pieces(data), { algorithm: 'sha256', hash: true, what: 'test' });
    const parts = [await collect(reader.take(100)), await collect(reader.take(1)), await collect(reader.take(899))];
    expect(parts.map((p) => p.byteLength)).toEqual([100, 1, 899]);
    expect(Buffer.concat(parts).equals(data)).toBe(true);
    await reader.end();
    expect(reader.digest()).toBe(digestOf(data));
  });

  it('rewinds by reading again from the start, hashing the part held and handing out the rest', async () => {
    let opened = 0;
    const reader = new SourceReader(pieces(data), async () => {
      opened += 1;
      return pieces(data, 37);
    }, { algorithm: 'sha256', hash: false, what: 'test' });
    await collect(reader.take(700));
    expect(reader.hashed).toBe(false);
    await reader.rewind(300);
    expect(opened).toBe(1);
    expect(reader.position).toBe(300);
    const rest = await collect(reader.take(700));
    expect(rest.equals(data.subarray(300))).toBe(true);
    await reader.end();
    expect(reader.hashed).toBe(true);
    expect(reader.digest()).toBe(digestOf(data));
  });

  it('gives a range abandoned mid-read nothing of the content read again', async () => {
    const stalled = new Readable({ read() {} });
    const reader = new SourceReader(stalled, async () => pieces(data), { algorithm: 'sha256', hash: true, what: 'test' });
    const abandoned = reader.take(100);
    const pending = abandoned.next().catch(() => undefined);
    await reader.rewind(10);
    // It ends, or fails with its own closed stream; it yields nothing.
    expect((await pending)?.value).toBeUndefined();
    expect(reader.failure).toBeUndefined();
    expect((await collect(reader.take(990))).equals(data.subarray(10))).toBe(true);
    await reader.end();
    expect(reader.digest()).toBe(digestOf(data));
  });

  it('says the content ended early or went on, and keeps that as the source failure', async () => {
    const short = new SourceReader(pieces(data.subarray(0, 10)), async () => pieces(data), { algorithm: 'sha256', hash: true, what: 'file a' });
    await expect(collect(short.take(20))).rejects.toThrow(/file a: the content ended after 10 bytes/);
    expect(short.failure).toBeDefined();
    const long = new SourceReader(pieces(data), async () => pieces(data), { algorithm: 'sha256', hash: true, what: 'file b' });
    await collect(long.take(10));
    await expect(long.end()).rejects.toThrow(/file b: the content goes on past 10 bytes/);
  });

  it('passes on an error the source raises, as the source failure', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk gone'));
      },
    });
    const reader = new SourceReader(failing, async () => pieces(data), { algorithm: 'sha256', hash: true, what: 'x' });
    await expect(collect(reader.take(5))).rejects.toThrow('disk gone');
    expect((reader.failure as Error).message).toBe('disk gone');
  });
});
