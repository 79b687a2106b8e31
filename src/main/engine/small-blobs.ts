import type { Readable } from 'node:stream';

/**
 * SMALL_BLOB_BYTES (64 KiB): content this small is handled whole, in memory, where a
 * stream per blob would cost more than its bytes: a registry blob is read whole and
 * checked before it is handed on, a pulled file is written in one call (in place when
 * new), a body goes out with its headers in one write, and a push asks whether the
 * registry holds it in the request that opens its upload instead of a HEAD first.
 */
export const SMALL_BLOB_BYTES = 64 * 1024;

/*
 * A stream made from bytes already in memory (a small file's, a small blob read whole)
 * keeps them here, so a reader that wants them all at once takes the buffer instead of
 * reading the stream: a push of 1,000 files of 4 KiB spent more CPU on streams (a
 * Readable, an async iterator and their listeners per blob, twice) than on its bytes.
 */
const held = new WeakMap<Readable, Buffer>();

/** holdBytes records that `stream` yields exactly `bytes`, as one piece. */
export function holdBytes<T extends Readable>(stream: T, bytes: Buffer): T {
  held.set(stream, bytes);
  return stream;
}

/**
 * takeHeldBytes answers the bytes of a stream made from memory that no one has read
 * yet, and ends the stream (its bytes are taken); undefined for any other stream.
 */
export function takeHeldBytes(stream: Readable): Buffer | undefined {
  const bytes = held.get(stream);
  if (bytes === undefined || stream.readableDidRead || stream.destroyed) return undefined;
  held.delete(stream);
  stream.destroy();
  return bytes;
}

/** heldByteLength is how many bytes a stream made from memory holds, without taking them. */
export function heldByteLength(stream: Readable): number | undefined {
  return stream.readableDidRead || stream.destroyed ? undefined : held.get(stream)?.byteLength;
}
