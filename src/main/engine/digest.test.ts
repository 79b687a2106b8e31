import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { Digester, VerifyStream, digestOf, digestStream, isValidDigest, parseDigest, verifyBytes } from './digest';
import { OrasError, type ErrorCode } from './errors';
import { rejection, thrown } from './testing/expect-error';
import { quoted } from './echo';

const EMPTY_256 = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const HELLO_256 = 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';
const EMPTY_512 =
  'sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';
const HELLO_512 =
  'sha512:9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043';
const HEX64 = HELLO_256.slice('sha256:'.length);
const HEX128 = HELLO_512.slice('sha512:'.length);
const enc = new TextEncoder();

function expectCode(err: OrasError, code: ErrorCode, ...fragments: string[]): void {
  expect(err.code).toBe(code);
  for (const fragment of fragments) expect(err.message).toContain(fragment);
}

async function* chunksOf(...chunks: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield typeof chunk === 'string' ? enc.encode(chunk) : chunk;
}

/** collect pipes chunks through a VerifyStream and returns what came out. */
async function verifyThrough(
  expected: { digest: string; size: number },
  ...chunks: Array<string | Uint8Array>
): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunksOf(...chunks)),
    new VerifyStream(expected, 'layer rocket.txt'),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        out.push(chunk);
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

describe('parseDigest', () => {
  it.each([
    [EMPTY_256, 'sha256', EMPTY_256.slice(7)],
    [HELLO_256, 'sha256', HEX64],
    [EMPTY_512, 'sha512', EMPTY_512.slice(7)],
    [HELLO_512, 'sha512', HEX128],
    [`sha256:${'0'.repeat(64)}`, 'sha256', '0'.repeat(64)],
  ])('accepts %s', (digest, algorithm, encoded) => {
    expect(parseDigest(digest)).toEqual({ algorithm, encoded });
    expect(isValidDigest(digest)).toBe(true);
  });

  it.each<[string, string, ...string[]]>([
    ['empty', '', 'expected "algorithm:hex"'],
    ['no colon', HEX64, 'expected "algorithm:hex"'],
    ['no algorithm', `:${HEX64}`, 'expected "algorithm:hex"'],
    ['algorithm only', 'sha256', 'expected "algorithm:hex"'],
    ['empty hex', 'sha256:', '64 lowercase hex digits'],
    ['md5', `md5:${'a'.repeat(32)}`, 'unsupported digest algorithm "md5"', 'sha256 or sha512'],
    ['sha384', `sha384:${'a'.repeat(96)}`, 'unsupported digest algorithm "sha384"'],
    ['uppercase algorithm', `SHA256:${HEX64}`, 'unsupported digest algorithm "SHA256"'],
    ['sha256 too short', `sha256:${HEX64.slice(1)}`, 'invalid sha256 digest', '64 lowercase hex digits'],
    ['sha256 too long', `sha256:${HEX64}0`, '64 lowercase hex digits'],
    ['sha256 with sha512 length', `sha256:${HEX128}`, '64 lowercase hex digits'],
    ['sha512 with sha256 length', `sha512:${HEX64}`, 'invalid sha512 digest', '128 lowercase hex digits'],
    ['sha512 too short', `sha512:${HEX128.slice(1)}`, '128 lowercase hex digits'],
    ['uppercase hex', `sha256:${HEX64.toUpperCase()}`, 'lowercase hex'],
    ['one uppercase hex digit', `sha256:A${HEX64.slice(1)}`, 'lowercase hex'],
    ['non-hex', `sha256:${HEX64.slice(1)}g`, 'lowercase hex'],
    ['trailing newline', `${HELLO_256}\n`, 'lowercase hex'],
    ['leading space', ` ${HELLO_256}`, 'unsupported digest algorithm'],
    ['two colons', `sha256:${HEX64}:`, 'lowercase hex'],
    ['base64 instead of hex', 'sha256:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=', 'lowercase hex'],
  ])('refuses %s', (_label, digest, ...fragments) => {
    const err = thrown(() => parseDigest(digest));
    expectCode(err, 'INVALID_DIGEST', quoted(digest), ...fragments);
    expect(isValidDigest(digest)).toBe(false);
  });
});

describe('digestOf', () => {
  it.each([
    ['', 'sha256', EMPTY_256],
    ['hello', 'sha256', HELLO_256],
    ['', 'sha512', EMPTY_512],
    ['hello', 'sha512', HELLO_512],
  ] as const)('%j with %s', (text, algorithm, digest) => {
    expect(digestOf(text, algorithm)).toBe(digest);
    expect(digestOf(enc.encode(text), algorithm)).toBe(digest);
  });

  it('defaults to sha256', () => {
    expect(digestOf('hello')).toBe(HELLO_256);
  });

  it('hashes only the view of a Uint8Array, not its whole buffer', () => {
    const buffer = enc.encode('xxhelloyy');
    expect(digestOf(buffer.subarray(2, 7))).toBe(HELLO_256);
  });

  it('produces digests that parse', () => {
    expect(isValidDigest(digestOf(new Uint8Array(1000)))).toBe(true);
    expect(isValidDigest(digestOf('x', 'sha512'))).toBe(true);
  });
});

describe('Digester', () => {
  it('hashes chunks as one stream and counts bytes', () => {
    const d = new Digester();
    d.update(enc.encode('he'));
    d.update(new Uint8Array(0));
    d.update(enc.encode('llo'));
    expect(d.size).toBe(5);
    expect(d.algorithm).toBe('sha256');
    expect(d.digest()).toBe(HELLO_256);
  });

  it('hashes nothing to the empty digest', () => {
    expect(new Digester().digest()).toBe(EMPTY_256);
    expect(new Digester('sha512').digest()).toBe(EMPTY_512);
  });

  it('supports sha512', () => {
    const d = new Digester('sha512');
    d.update(enc.encode('hello'));
    expect(d.digest()).toBe(HELLO_512);
    expect(d.size).toBe(5);
  });

  it('returns the same digest when asked twice', () => {
    const d = new Digester();
    d.update(enc.encode('hello'));
    expect(d.digest()).toBe(HELLO_256);
    expect(d.digest()).toBe(HELLO_256);
  });

  it('refuses updates after digest()', () => {
    const d = new Digester();
    d.digest();
    expectCode(thrown(() => d.update(enc.encode('x'))), 'INTERNAL');
  });
});

describe('digestStream', () => {
  it.each([
    [[], EMPTY_256, 0],
    [['hello'], HELLO_256, 5],
    [['h', 'e', 'l', 'l', 'o'], HELLO_256, 5],
    [['', 'hello', ''], HELLO_256, 5],
  ] as const)('%j', async (chunks, digest, size) => {
    expect(await digestStream(chunksOf(...chunks))).toEqual({ digest, size });
  });

  it('supports sha512', async () => {
    expect(await digestStream(chunksOf('hel', 'lo'), 'sha512')).toEqual({ digest: HELLO_512, size: 5 });
  });

  it('reads a Node stream', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const result = await digestStream(Readable.from([big.subarray(0, 1_000_000), big.subarray(1_000_000)]));
    expect(result).toEqual({ digest: digestOf(big), size: big.byteLength });
  });

  it('passes a source error on', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield enc.encode('x');
      throw new OrasError('NETWORK', 'connection reset');
    }
    expectCode(await rejection(digestStream(failing())), 'NETWORK');
  });
});

describe('VerifyStream', () => {
  const hello = { digest: HELLO_256, size: 5 };

  it.each([
    ['one chunk', ['hello']],
    ['byte by byte', ['h', 'e', 'l', 'l', 'o']],
    ['with empty chunks', ['', 'he', '', 'llo', '']],
  ])('passes exact content through (%s)', async (_label, chunks) => {
    expect((await verifyThrough(hello, ...chunks)).toString()).toBe('hello');
  });

  it('passes empty content with the empty digest', async () => {
    expect(await verifyThrough({ digest: EMPTY_256, size: 0 })).toHaveLength(0);
  });

  it('verifies sha512', async () => {
    expect((await verifyThrough({ digest: HELLO_512, size: 5 }, 'hel', 'lo')).toString()).toBe('hello');
  });

  it.each([
    ['one extra byte in one chunk', ['hello!']],
    ['one extra byte in its own chunk', ['hello', '!']],
    ['extra bytes split', ['hel', 'lo!!']],
  ])('fails with SIZE_MISMATCH on %s', async (_label, chunks) => {
    const err = await rejection(verifyThrough(hello, ...chunks));
    expectCode(err, 'SIZE_MISMATCH', 'layer rocket.txt is larger than', '5 bytes');
  });

  it('fails as soon as too many bytes arrive, without passing or buffering them', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled++;
        yield new Uint8Array(1024);
      }
    }
    let written = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        written += chunk.byteLength;
        cb();
      },
    });
    const expected = { digest: digestOf(new Uint8Array(4096)), size: 4096 };
    const err = await rejection(pipeline(Readable.from(endless()), new VerifyStream(expected), sink));
    expectCode(err, 'SIZE_MISMATCH', 'content is larger than');
    // Only the allowed bytes came out, and the source stopped soon after the limit.
    expect(written).toBeLessThanOrEqual(4096);
    expect(pulled).toBeLessThan(64);
  });

  it('refuses the first chunk that crosses the limit and keeps none of it', async () => {
    const v = new VerifyStream(hello);
    const out: Buffer[] = [];
    v.on('data', (chunk: Buffer) => out.push(chunk));
    const failed = new Promise<unknown>((resolve) => v.on('error', resolve));
    v.write(Buffer.from('hel'));
    v.write(Buffer.from('lo!'));
    const err = (await failed) as OrasError;
    expect(err.code).toBe('SIZE_MISMATCH');
    expect(Buffer.concat(out).toString()).toBe('hel');
  });

  it.each([
    ['one byte short', ['hell'], 'ended after 4 of 5 bytes'],
    ['nothing', [], 'ended after 0 of 5 bytes'],
  ])('fails with SIZE_MISMATCH when content is %s', async (_label, chunks, fragment) => {
    const err = await rejection(verifyThrough(hello, ...chunks));
    expectCode(err, 'SIZE_MISMATCH', 'layer rocket.txt', fragment);
  });

  it.each([
    ['first byte', ['jello']],
    ['last byte', ['hellp']],
    ['a middle byte, split', ['he', 'Llo']],
  ])('fails with DIGEST_MISMATCH when the %s is altered', async (_label, chunks) => {
    const err = await rejection(verifyThrough(hello, ...chunks));
    expectCode(err, 'DIGEST_MISMATCH', 'layer rocket.txt has digest sha256:', `expected ${HELLO_256}`);
  });

  it('refuses an invalid expected digest when constructed', () => {
    expectCode(thrown(() => new VerifyStream({ digest: 'sha256:abc', size: 1 })), 'INVALID_DIGEST');
    expectCode(thrown(() => new VerifyStream({ digest: `md5:${'a'.repeat(32)}`, size: 1 })), 'INVALID_DIGEST');
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the expected size %s', (size) => {
    expectCode(thrown(() => new VerifyStream({ digest: HELLO_256, size })), 'INVALID_ARGUMENT');
  });
});

describe('verifyBytes', () => {
  it('accepts matching bytes', () => {
    expect(() => verifyBytes(enc.encode('hello'), { digest: HELLO_256, size: 5 })).not.toThrow();
    expect(() => verifyBytes(enc.encode('hello'), { digest: HELLO_512, size: 5 })).not.toThrow();
    expect(() => verifyBytes(new Uint8Array(0), { digest: EMPTY_256, size: 0 })).not.toThrow();
  });

  it.each<[string, string, { digest: string; size: number }, ErrorCode, string]>([
    ['one byte more', 'hello!', { digest: HELLO_256, size: 5 }, 'SIZE_MISMATCH', 'manifest has 6 bytes, expected 5'],
    ['one byte less', 'hell', { digest: HELLO_256, size: 5 }, 'SIZE_MISMATCH', 'manifest has 4 bytes, expected 5'],
    ['altered byte', 'jello', { digest: HELLO_256, size: 5 }, 'DIGEST_MISMATCH', `expected ${HELLO_256}`],
    ['altered byte, sha512', 'jello', { digest: HELLO_512, size: 5 }, 'DIGEST_MISMATCH', 'manifest has digest sha512:'],
    ['wrong algorithm', 'hello', { digest: `sha512:${HEX128.replace(/^./, '0')}`, size: 5 }, 'DIGEST_MISMATCH', 'sha512:'],
    ['invalid digest', 'hello', { digest: 'sha256:nope', size: 5 }, 'INVALID_DIGEST', '"sha256:nope"'],
  ])('refuses %s', (_label, text, expected, code, fragment) => {
    expectCode(
      thrown(() => verifyBytes(enc.encode(text), expected, 'manifest')),
      code,
      fragment,
    );
  });
});
