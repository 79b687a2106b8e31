import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { quoted } from './echo';
import { OrasError } from './errors';

/** Digest algorithms the engine computes and verifies (image-spec "Digests"). */
export type DigestAlgorithm = 'sha256' | 'sha512';

const ENCODED_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

/** A digest string `algorithm:hex`, e.g. `sha256:ebbc…`. */
export type Digest = string;

/** parseDigest splits and validates a digest, or throws INVALID_DIGEST saying why. */
export function parseDigest(digest: string): { algorithm: DigestAlgorithm; encoded: string } {
  const colon = digest.indexOf(':');
  if (colon <= 0) {
    throw new OrasError('INVALID_DIGEST', `invalid digest ${quoted(digest)}: expected "algorithm:hex", e.g. sha256:<64 hex digits>`);
  }
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new OrasError('INVALID_DIGEST', `unsupported digest algorithm ${quoted(algorithm)} in ${quoted(digest)}: use sha256 or sha512`);
  }
  const length = ENCODED_LENGTH[algorithm];
  if (encoded.length !== length || !/^[a-f0-9]+$/.test(encoded)) {
    throw new OrasError('INVALID_DIGEST', `invalid ${algorithm} digest ${quoted(digest)}: expected ${length} lowercase hex digits`);
  }
  return { algorithm, encoded };
}

export function isValidDigest(digest: string): boolean {
  try {
    parseDigest(digest);
    return true;
  } catch {
    return false;
  }
}

/** digestOf hashes bytes already in memory (manifests, configs, small blobs). */
export function digestOf(data: Uint8Array | string, algorithm: DigestAlgorithm = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/** Digester hashes a stream of chunks as they pass, counting bytes. */
export class Digester {
  readonly algorithm: DigestAlgorithm;
  private readonly hash: Hash;
  private result?: Digest;
  size = 0;

  constructor(algorithm: DigestAlgorithm = 'sha256') {
    this.algorithm = algorithm;
    this.hash = createHash(algorithm);
  }

  update(chunk: Uint8Array): void {
    if (this.result !== undefined) {
      throw new OrasError('INTERNAL', 'Digester.update called after digest()');
    }
    this.hash.update(chunk);
    this.size += chunk.byteLength;
  }

  /** digest finishes the hash; calling it again returns the same digest. */
  digest(): Digest {
    this.result ??= `${this.algorithm}:${this.hash.digest('hex')}`;
    return this.result;
  }
}

/** digestStream reads a whole stream, returning its digest and size (memory stays flat). */
export async function digestStream(
  stream: AsyncIterable<Uint8Array>,
  algorithm: DigestAlgorithm = 'sha256',
): Promise<{ digest: Digest; size: number }> {
  const digester = new Digester(algorithm);
  for await (const chunk of stream) digester.update(chunk);
  return { digest: digester.digest(), size: digester.size };
}

/**
 * VerifyStream passes bytes through while checking them against an expected size and
 * digest. It fails as soon as more bytes than expected arrive (the size is
 * attacker-controlled, so nothing beyond it is buffered), and at the end if fewer came
 * or the digest differs. `what` names the content in the error.
 */
export class VerifyStream extends Transform {
  private readonly digester: Digester;

  constructor(
    private readonly expected: { digest: Digest; size: number },
    private readonly what = 'content',
  ) {
    super();
    // A NaN or fractional size would never trip the "too many bytes" check below.
    if (!Number.isSafeInteger(expected.size) || expected.size < 0) {
      throw new OrasError('INVALID_ARGUMENT', `${what} has an invalid expected size ${String(expected.size)}`);
    }
    this.digester = new Digester(parseDigest(expected.digest).algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.digester.size + chunk.byteLength > this.expected.size) {
      callback(new OrasError('SIZE_MISMATCH', `${this.what} is larger than its descriptor's ${this.expected.size} bytes`));
      return;
    }
    this.digester.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.digester.size !== this.expected.size) {
      callback(new OrasError('SIZE_MISMATCH', `${this.what} ended after ${this.digester.size} of ${this.expected.size} bytes`));
      return;
    }
    const actual = this.digester.digest();
    if (actual !== this.expected.digest) {
      callback(new OrasError('DIGEST_MISMATCH', `${this.what} has digest ${actual}, expected ${this.expected.digest}`));
      return;
    }
    callback();
  }
}

/** verifyBytes checks bytes held in memory against an expected size and digest. */
export function verifyBytes(data: Uint8Array, expected: { digest: Digest; size: number }, what = 'content'): void {
  if (data.byteLength !== expected.size) {
    throw new OrasError('SIZE_MISMATCH', `${what} has ${data.byteLength} bytes, expected ${expected.size}`);
  }
  const actual = digestOf(data, parseDigest(expected.digest).algorithm);
  if (actual !== expected.digest) {
    throw new OrasError('DIGEST_MISMATCH', `${what} has digest ${actual}, expected ${expected.digest}`);
  }
}
