import type { Descriptor } from '../descriptor';
import { OrasError, isOrasError } from '../errors';
import type { Existence, Fetcher, IoOptions, Pusher } from '../content/storage';
import { bytesReadable, readVerified } from '../content/streams';

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
  return readVerified(stream, desc, { what: `${desc.mediaType} ${desc.digest}`, signal: options.signal });
}

function isExistence(value: object): value is Existence {
  return typeof (value as Partial<Existence>).exists === 'function';
}

/**
 * pushBytes pushes bytes held in memory. Content is addressed by digest, so a store
 * that already holds it (ALREADY_EXISTS, or `exists` when the pusher can tell) is
 * success, not failure: oras-go's pushIfNotExist.
 */
export async function pushBytes(pusher: Pusher, desc: Descriptor, bytes: Uint8Array, options: IoOptions = {}): Promise<void> {
  if (isExistence(pusher) && (await pusher.exists(desc, options))) return;
  try {
    await pusher.push(desc, bytesReadable(bytes), options);
  } catch (err) {
    if (!isOrasError(err, 'ALREADY_EXISTS')) throw err;
  }
}
