import { Readable } from 'node:stream';
import type { Descriptor } from '../descriptor';
import { Digester, parseDigest } from '../digest';
import { OrasError, abortError, isOrasError } from '../errors';
import type { Existence, Fetcher, IoOptions, Pusher } from '../content/storage';

/**
 * DEFAULT_MAX_METADATA_BYTES (4 MiB) caps what the verbs read into memory: manifests,
 * indexes, configs. It is oras-go's limit and the least a registry should accept for a
 * manifest (distribution spec), so ordinary manifests fit and hostile sizes do not.
 */
export const DEFAULT_MAX_METADATA_BYTES = 4 * 1024 * 1024;

/** FetchBytesOptions: `maxBytes` defaults to DEFAULT_MAX_METADATA_BYTES. */
export interface FetchBytesOptions extends IoOptions {
  maxBytes?: number;
}

/**
 * fetchBytes reads small content (a manifest, a config) into memory and verifies its
 * size and digest. It refuses with SIZE_LIMIT before fetching when `desc.size` exceeds
 * `maxBytes` (default 4 MiB), and never holds more than `desc.size` bytes, because the
 * size came from someone we do not trust.
 */
export async function fetchBytes(fetcher: Fetcher, desc: Descriptor, options: FetchBytesOptions = {}): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_METADATA_BYTES;
  if (desc.size > maxBytes) {
    throw new OrasError('SIZE_LIMIT', `${desc.mediaType} ${desc.digest} is ${desc.size} bytes, more than the ${maxBytes}-byte limit for content read into memory`);
  }
  const stream = await fetcher.fetch(desc, { signal: options.signal });
  return readVerified(stream, desc, options.signal);
}

/** readVerified drains a stream into one buffer, checking it against `desc` as it goes. */
export async function readVerified(stream: AsyncIterable<Uint8Array>, desc: Descriptor, signal?: AbortSignal): Promise<Uint8Array> {
  const digester = new Digester(parseDigest(desc.digest).algorithm);
  const buffer = Buffer.allocUnsafe(desc.size);
  // Leaving the loop early (throw) ends the iterator, which destroys the stream and so
  // releases its socket or file handle.
  for await (const chunk of stream) {
    if (signal?.aborted) throw abortError(signal);
    if (digester.size + chunk.byteLength > desc.size) {
      throw new OrasError('SIZE_MISMATCH', `${desc.digest} is larger than its descriptor's ${desc.size} bytes`);
    }
    buffer.set(chunk, digester.size);
    digester.update(chunk);
  }
  if (digester.size !== desc.size) {
    throw new OrasError('SIZE_MISMATCH', `${desc.digest} ended after ${digester.size} of ${desc.size} bytes`);
  }
  const actual = digester.digest();
  if (actual !== desc.digest) {
    throw new OrasError('DIGEST_MISMATCH', `${desc.mediaType} content has digest ${actual}, expected ${desc.digest}`);
  }
  return buffer;
}

function isExistence(value: object): value is Existence {
  return typeof (value as Partial<Existence>).exists === 'function';
}

/** bytesStream wraps bytes in memory as one-chunk stream (Readable.from(buffer) would yield byte by byte). */
export function bytesStream(bytes: Uint8Array): Readable {
  return Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)], { objectMode: false });
}

/**
 * pushBytes pushes bytes held in memory. Content is addressed by digest, so a store
 * that already holds it (ALREADY_EXISTS, or `exists` when the pusher can tell) is
 * success, not failure: oras-go's pushIfNotExist.
 */
export async function pushBytes(pusher: Pusher, desc: Descriptor, bytes: Uint8Array, options: IoOptions = {}): Promise<void> {
  if (isExistence(pusher) && (await pusher.exists(desc, options))) return;
  try {
    await pusher.push(desc, bytesStream(bytes), options);
  } catch (err) {
    if (!isOrasError(err, 'ALREADY_EXISTS')) throw err;
  }
}
