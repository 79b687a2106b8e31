import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import type { JobStateEvent } from '../../../shared/contract';
import { digestOf } from '../../engine/digest';
import { DownloadOffers } from '../downloads';
import { EventBus } from '../events';
import { JobsService } from '../jobs';
import type { BrowseService } from './browse-service';
import { DownloadService } from './download-service';

/**
 * Browser mode's downloads as jobs known by id from the answer on: the job waits for
 * the browser's fetch, streams when it comes, withdraws the offer when cancelled first,
 * and fails saying so when the offer runs out unfetched. The registry is a stub target
 * (one blob; the engine's own fetch verifies digests); the integration tests run the same against a real registry.
 */

const BYTES = 'hello, browser\n';

function setUp(ttlMs = 60_000) {
  const events = new EventBus();
  const states: JobStateEvent[] = [];
  events.subscribe((event, payload) => event === 'job.state' && states.push(payload as JobStateEvent));
  const jobs = new JobsService({ events, throttleMs: 0 });
  const offers = new DownloadOffers(ttlMs);
  const target = {
    statBlob: async () => ({ size: BYTES.length }),
    fetch: async () => Readable.from([Buffer.from(BYTES)]),
  };
  const browse = { targets: { open: async () => ({ target }) } } as unknown as BrowseService;
  const service = new DownloadService({ browse, jobs, offers });
  const request = { registry: 'local', repository: 'demo', digest: digestOf(Buffer.from(BYTES)), name: 'hello.txt' };
  const last = (jobId: string) => states.filter((s) => s.jobId === jobId).at(-1);
  return { jobs, offers, service, request, states, last };
}

describe('DownloadService in browser mode', () => {
  it('answers the job id with the offer; the job runs at 0 bytes until the browser fetches, then streams', async () => {
    const { offers, service, request, last } = setUp();
    const started = await service.blob(request);
    expect(started).toMatchObject({ jobId: expect.any(String), browserDownload: { name: 'hello.txt', size: BYTES.length } });
    expect(last(started.jobId!)).toMatchObject({ state: 'running', title: 'Download hello.txt' });
    const offer = offers.take(started.browserDownload!.id)!;
    expect(await text(await offer.open())).toBe(BYTES);
    await expect.poll(() => last(started.jobId!)?.state).toBe('done');
  });

  it('withdraws the offer when the job is cancelled before the fetch', async () => {
    const { jobs, offers, service, request, last } = setUp();
    const started = await service.blob(request);
    expect(jobs.cancel(started.jobId!)).toBe(true);
    await expect.poll(() => last(started.jobId!)?.state).toBe('cancelled');
    expect(offers.take(started.browserDownload!.id)).toBeUndefined();
  });

  it('fails the job, saying so, when the browser never fetches within the offer’s time', async () => {
    const { offers, service, request, last } = setUp(50);
    const started = await service.blob(request);
    await expect.poll(() => last(started.jobId!)?.state).toBe('failed');
    expect(last(started.jobId!)?.error?.message).toMatch(/^the browser did not fetch hello\.txt within 0 s .*start the download again$/);
    expect(offers.take(started.browserDownload!.id)).toBeUndefined();
  });
});
