import { expect } from 'vitest';
import { OrasError } from '../errors';

/**
 * Test helpers shared by the engine's unit tests and the integration tests: the error a
 * call throws (or a promise rejects with), checked to be the engine's own error.
 */

/** thrown runs `fn` and returns the OrasError it threw, failing when it throws nothing. */
export function thrown(fn: () => unknown): OrasError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OrasError);
    return err as OrasError;
  }
  throw new Error('expected an error, got none');
}

/** rejection awaits `promise` and returns the OrasError it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<OrasError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(OrasError);
    return err as OrasError;
  }
  throw new Error('expected a rejection, got none');
}

/** rejectionWithCode is `rejection` that also checks the error's code. */
export async function rejectionWithCode(promise: Promise<unknown>, code: string): Promise<OrasError> {
  const err = await rejection(promise);
  expect(err.code).toBe(code);
  return err;
}

/** readAll collects a stream's bytes (test data is small). */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
