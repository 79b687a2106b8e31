import { describe, expect, it } from 'vitest';
import type { TagDetail } from '../../../shared/browse';
import { DetailsQueue } from './details-queue';

/** gate is a fetch whose answers the test releases one call at a time. */
function gatedFetch() {
  const calls: { tags: string[]; release: () => void; fail: (e: Error) => void }[] = [];
  const fetch = (tags: string[]) =>
    new Promise<TagDetail[]>((resolve, reject) => {
      calls.push({ tags, release: () => resolve(tags.map((tag) => ({ tag, digest: `sha256:${tag}` }))), fail: reject });
    });
  return { calls, fetch };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const tags = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('DetailsQueue', () => {
  it('asks in batches of at most 100, two at a time', async () => {
    const { calls, fetch } = gatedFetch();
    const got: string[] = [];
    const queue = new DetailsQueue({ fetch, onDetails: (d) => got.push(...d.map((x) => x.tag)) });
    queue.want(tags(250));
    expect(calls.map((c) => c.tags.length)).toEqual([100, 100]);
    calls[0]!.release();
    await tick();
    expect(calls.map((c) => c.tags.length)).toEqual([100, 100, 50]);
    calls[1]!.release();
    calls[2]!.release();
    await queue.whenIdle();
    expect(got).toHaveLength(250);
    expect(new Set(got).size).toBe(250);
  });

  it('never asks twice for a tag', async () => {
    const { calls, fetch } = gatedFetch();
    const queue = new DetailsQueue({ fetch, onDetails: () => {} });
    queue.want(['a', 'b']);
    queue.want(['b', 'c']);
    expect(calls.flatMap((c) => c.tags)).toEqual(['a', 'b', 'c']);
    expect(queue.has('c')).toBe(true);
  });

  it('reads the most recently wanted tags first', async () => {
    const { calls, fetch } = gatedFetch();
    const queue = new DetailsQueue({ fetch, onDetails: () => {}, batch: 2, concurrency: 1 });
    queue.want(['a', 'b', 'c', 'd']);
    queue.want(['x', 'y']);
    calls[0]!.release();
    await tick();
    expect(calls.map((c) => c.tags)).toEqual([
      ['a', 'b'],
      ['x', 'y'],
    ]);
  });

  it('ignores answers after cancel and drops what was queued', async () => {
    const { calls, fetch } = gatedFetch();
    const got: TagDetail[] = [];
    const queue = new DetailsQueue({ fetch, onDetails: (d) => got.push(...d), batch: 1, concurrency: 1 });
    queue.want(['a', 'b']);
    queue.cancel();
    await queue.whenIdle();
    calls[0]!.release();
    await tick();
    expect(got).toEqual([]);
    expect(calls).toHaveLength(1);
    queue.want(['c']);
    expect(calls).toHaveLength(1);
  });

  it('reports a failed batch and goes on with the next', async () => {
    const { calls, fetch } = gatedFetch();
    const failed: string[][] = [];
    const got: string[] = [];
    const queue = new DetailsQueue({ fetch, onDetails: (d) => got.push(...d.map((x) => x.tag)), onError: (_, t) => failed.push(t), batch: 1, concurrency: 1 });
    queue.want(['a', 'b'], { first: false });
    calls[0]!.fail(new Error('429'));
    await tick();
    calls[1]!.release();
    await queue.whenIdle();
    expect(failed).toEqual([['a']]);
    expect(got).toEqual(['b']);
  });

  it('skips known tags and asks again for dropped ones', async () => {
    const { calls, fetch } = gatedFetch();
    const queue = new DetailsQueue({ fetch, onDetails: () => {}, batch: 1, concurrency: 1 });
    queue.known(['k']);
    queue.want(['k', 'a', 'b', 'c']);
    expect(calls.map((c) => c.tags)).toEqual([['a']]);
    queue.dropQueued();
    calls[0]!.release();
    await queue.whenIdle();
    expect(calls).toHaveLength(1);
    queue.want(['b']);
    expect(calls.map((c) => c.tags)).toEqual([['a'], ['b']]);
  });
});
