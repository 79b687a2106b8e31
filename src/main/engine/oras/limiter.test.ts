import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { rejection } from '../testing/expect-error';
import { Limiter } from './limiter';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Limiter', () => {
  it('runs at most `concurrency` tasks at once, first come first served', async () => {
    const limiter = new Limiter(2);
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, deferred);
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        await gate.promise;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[0]!.resolve();
    await expect.poll(() => started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('puts one abort listener on a signal however many tasks wait under it, none after the abort', async () => {
    const limiter = new Limiter(1);
    const transfer = new AbortController();
    const busy = deferred();
    const first = limiter.run(() => busy.promise, transfer.signal);
    const waiting = Array.from({ length: 1000 }, () => limiter.run(async () => 'ran', transfer.signal));
    expect(getEventListeners(transfer.signal, 'abort')).toHaveLength(1);

    transfer.abort();
    const errors = await Promise.all(waiting.map((task) => rejection(task)));
    expect(new Set(errors.map((err) => err.code))).toEqual(new Set(['ABORTED']));
    expect(getEventListeners(transfer.signal, 'abort')).toHaveLength(0);
    busy.resolve();
    await first;
    // The slot is free again for work under another signal.
    expect(await limiter.run(async () => 'after', new AbortController().signal)).toBe('after');
  });

  it('drops only the waiters of the signal that aborted', async () => {
    const limiter = new Limiter(1);
    const busy = deferred();
    const first = limiter.run(() => busy.promise);
    const a = new AbortController();
    const b = new AbortController();
    const underA = limiter.run(async () => 'a', a.signal);
    const underB = limiter.run(async () => 'b', b.signal);
    a.abort();
    expect((await rejection(underA)).code).toBe('ABORTED');
    busy.resolve();
    await first;
    expect(await underB).toBe('b');
  });
});
