import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VerifyStream } from '../digest';
import type { Descriptor } from '../descriptor';
import { abortError, OrasError, throwIfAborted } from '../errors';

/**
 * readVerified reads a whole stream into memory, checking it against `expected`'s size
 * and digest as it goes. `expected.size` is attacker-controlled, so it is checked
 * against `maxBytes` before a byte is read, and VerifyStream stops at `expected.size`:
 * nothing beyond what is allowed is ever buffered.
 */
export async function readVerified(
  content: Readable,
  expected: Pick<Descriptor, 'digest' | 'size'>,
  options: { maxBytes?: number; what?: string; signal?: AbortSignal } = {},
): Promise<Buffer> {
  const what = options.what ?? `content ${expected.digest}`;
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  try {
    throwIfAborted(options.signal);
    if (expected.size > maxBytes) {
      throw new OrasError(
        'SIZE_LIMIT',
        `${what} is ${expected.size} bytes, more than the ${maxBytes} bytes allowed in memory`,
      );
    }
    const verify = new VerifyStream(expected, what);
    const chunks: Buffer[] = [];
    const collect = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    await pipeline(content, verify, collect, { signal: options.signal });
    return Buffer.concat(chunks);
  } catch (err) {
    content.destroy();
    throw streamError(err, `read ${what}`, options.signal);
  }
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
  return bindSignal(verify, signal);
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

/** bytesReadable streams bytes already in memory (as one chunk, not in object mode). */
export function bytesReadable(data: Uint8Array): Readable {
  return Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)], { objectMode: false });
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
