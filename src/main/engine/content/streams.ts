import { Readable } from 'node:stream';
import { VerifyStream, verifyBytes, type Digest } from '../digest';
import type { Descriptor } from '../descriptor';
import { abortError, OrasError, throwIfAborted } from '../errors';
import { holdBytes, takeHeldBytes } from '../small-blobs';

/**
 * FILE_READ_CHUNK (1 MiB) is how much a file stream reads at a time. Node's default,
 * 64 KiB, makes a 1 GiB file 16,384 reads, each a trip to the thread pool that cost
 * the main thread about 40 µs: over a second of a push's CPU, taken from hashing and
 * sending. Pass it as `highWaterMark` to createReadStream for content of any size.
 */
export const FILE_READ_CHUNK = 1024 * 1024;

/**
 * readVerified reads a whole stream into one buffer, checking it against `expected`
 * as it goes, in VerifyStream's words. `expected.size` is attacker-controlled, so it is
 * checked against `maxBytes` before a byte is read, and reading stops past it: nothing
 * beyond what is allowed is ever buffered. The digest is checked unless `expected` has
 * none (size only) or the stream checks itself against it (markVerifying). Bytes a
 * stream was made from (bytesReadable) are taken whole. No pipeline or transform per
 * call: for small blobs by the thousand that machinery cost more than the bytes.
 */
export async function readVerified(
  content: AsyncIterable<Uint8Array>,
  expected: { size: number; digest?: string },
  options: { maxBytes?: number; what?: string; signal?: AbortSignal } = {},
): Promise<Buffer> {
  const what = options.what ?? (expected.digest === undefined ? 'content' : `content ${expected.digest}`);
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const readable = content instanceof Readable ? content : undefined;
  try {
    throwIfAborted(options.signal);
    if (expected.size > maxBytes) {
      throw new OrasError(
        'SIZE_LIMIT',
        `${what} is ${expected.size} bytes, more than the ${maxBytes} bytes allowed in memory`,
      );
    }
    const bytes = (readable && takeHeldBytes(readable)) ?? (await gather(readable ? bindSignal(readable, options.signal) : content, expected.size, what, options.signal));
    if (bytes.byteLength > expected.size) throw new OrasError('SIZE_MISMATCH', `${what} is larger than its descriptor's ${expected.size} bytes`);
    if (bytes.byteLength < expected.size) throw new OrasError('SIZE_MISMATCH', `${what} ended after ${bytes.byteLength} of ${expected.size} bytes`);
    const { digest } = expected;
    if (digest !== undefined && !(readable && verifiesAgainst(readable, { digest, size: expected.size }))) verifyBytes(bytes, { digest: digest as Digest, size: expected.size }, what);
    return bytes;
  } catch (err) {
    readable?.destroy();
    throw streamError(err, `read ${what}`, options.signal);
  }
}

/** gather reads pieces into one buffer, failing as soon as they pass `size`. */
async function gather(content: AsyncIterable<Uint8Array>, size: number, what: string, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of content) {
    throwIfAborted(signal);
    total += chunk.byteLength;
    if (total > size) throw new OrasError('SIZE_MISMATCH', `${what} is larger than its descriptor's ${size} bytes`);
    chunks.push(chunk);
  }
  const only = chunks.length === 1 ? chunks[0]! : undefined;
  return only ? Buffer.from(only.buffer, only.byteOffset, only.byteLength) : Buffer.concat(chunks, total);
}

/**
 * verifiedReadable passes `source` through a VerifyStream, so whoever reads the result
 * gets SIZE_MISMATCH or DIGEST_MISMATCH instead of silently wrong bytes. Aborting
 * `signal` destroys the stream with ABORTED.
 */
export function verifiedReadable(
  source: Readable,
  expected: Pick<Descriptor, 'digest' | 'size'>,
  what: string,
  signal?: AbortSignal,
): Readable {
  const verify = new VerifyStream(expected, what);
  // A read error reaches the reader as an OrasError; however `verify` ends (done,
  // failed, or destroyed by a reader that stopped early), `source` and its file
  // handle are closed.
  source.on('error', (err) => verify.destroy(streamError(err, `read ${what}`, signal)));
  verify.on('close', () => source.destroy());
  source.pipe(verify);
  return markVerifying(bindSignal(verify, signal), expected);
}

/**
 * Streams that check themselves: each fails (instead of ending) unless its bytes match
 * the size and digest it was marked with. Whoever reads one for the same descriptor
 * need not hash it again, so a blob is hashed once per transfer however many layers
 * (store, copy, upload) it passes. The mark is kept beside the stream, never on it.
 */
const verifying = new WeakMap<Readable, { digest: string; size: number }>();

/** markVerifying records that `stream` fails unless its bytes are exactly `expected`. */
export function markVerifying<T extends Readable>(stream: T, expected: Pick<Descriptor, 'digest' | 'size'>): T {
  verifying.set(stream, { digest: expected.digest, size: expected.size });
  return stream;
}

/** verifiesAgainst tells whether `stream` was marked as checking itself against `expected`. */
export function verifiesAgainst(stream: Readable, expected: Pick<Descriptor, 'digest' | 'size'>): boolean {
  const mark = verifying.get(stream);
  return mark !== undefined && mark.digest === expected.digest && mark.size === expected.size;
}

/**
 * verifiedOnce returns `content` itself when it already checks itself against
 * `expected`, else `content` passed through a VerifyStream (marked in turn).
 */
export function verifiedOnce(content: Readable, expected: Pick<Descriptor, 'digest' | 'size'>, what: string): Readable {
  if (verifiesAgainst(content, expected)) return content;
  const verify = new VerifyStream(expected, what);
  content.on('error', (err) => verify.destroy(err));
  verify.on('close', () => {
    if (!content.readableEnded) content.destroy();
  });
  return markVerifying(content.pipe(verify), expected);
}

/** bindSignal destroys `stream` with ABORTED when `signal` fires, until the stream closes. */
export function bindSignal<T extends Readable>(stream: T, signal?: AbortSignal): T {
  if (signal === undefined) return stream;
  if (signal.aborted) {
    stream.destroy(abortError(signal));
    return stream;
  }
  const onAbort = (): void => {
    stream.destroy(abortError(signal));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => signal.removeEventListener('abort', onAbort));
  return stream;
}

/**
 * bytesReadable streams bytes already in memory (as one chunk, not in object mode); a
 * reader may take them whole instead (takeHeldBytes).
 */
export function bytesReadable(data: Uint8Array): Readable {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return holdBytes(Readable.from([bytes], { objectMode: false }), bytes);
}

/**
 * streamError maps a pipeline failure to the engine's error: ABORTED when the signal
 * fired, the OrasError itself when there is one, else INTERNAL saying what failed.
 */
export function streamError(err: unknown, action: string, signal?: AbortSignal): OrasError {
  if (err instanceof OrasError) return err;
  if (signal?.aborted || (err instanceof Error && err.name === 'AbortError')) return abortError(signal);
  return new OrasError('INTERNAL', `cannot ${action}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/**
 * skip drops the first `bytes` bytes of a list of buffers: what a registry holds
 * already of a chunk, or what a short write took.
 */
export function skip(parts: readonly Buffer[], bytes: number): Buffer[] {
  const out: Buffer[] = [];
  let left = bytes;
  for (const part of parts) {
    if (left >= part.byteLength) {
      left -= part.byteLength;
      continue;
    }
    out.push(left > 0 ? part.subarray(left) : part);
    left = 0;
  }
  return out;
}
