import type { Readable } from 'node:stream';
import type { Fetcher } from '../main/engine/content/storage';

/**
 * guardFetches wraps a source so every stream it hands out has an 'error' listener.
 *
 * Why: when a copy fails early (say the destination refuses a file that exists), the
 * engine's copy destroys its wrapper around a fetched stream before reading it, and
 * the fetched stream itself is destroyed later, when the copy's signal aborts, with
 * nobody listening — Node then raises it as an uncaught exception and the CLI would
 * die with a stack trace instead of `Error: …`. Readers still see the error (async
 * iteration and pipeline attach their own listeners); only an unread stream's error
 * is dropped. Remove once the engine destroys the fetched stream with its wrapper
 * (see the CLI's report).
 */
export function guardFetches<T extends Fetcher>(source: T): T {
  return new Proxy(source, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'fetch' || typeof value !== 'function') return value;
      return async (...args: unknown[]): Promise<Readable> => {
        const stream = (await (value as (...a: unknown[]) => Promise<Readable>).apply(target, args)) as Readable;
        stream.on('error', () => {});
        return stream;
      };
    },
  });
}
