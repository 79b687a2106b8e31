import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../digest';
import { readAll, rejection } from '../testing/expect-error';
import type { HttpRequest, HttpResponse } from '../transport/http';
import type { RegistryClient } from '../transport/client';
import { getBlob } from './blobs';
import type { RepoContext } from './context';

// A blob of 64 KiB or less is read whole before getBlob returns; a larger one streams.
// Both must resume, and fail, alike.
const sizes = { 'a small blob (read whole)': 10_000, 'a large blob (streamed)': 100_000 };
let bytes: Buffer;
let desc: { mediaType: string; digest: string; size: number };

/** brokenAfter is a body that sends `n` bytes from `from`, then fails as a reset connection does. */
function brokenAfter(from: number, n: number): Readable {
  return Readable.from(
    (async function* () {
      yield bytes.subarray(from, from + n);
      throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    })(),
    { objectMode: false },
  );
}

function response(status: number, body: Readable, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body, url: new URL('https://r.example/') };
}

/** fakeRepo answers each blob GET with the next of `answers`, keeping the requests. */
function fakeRepo(answers: Array<(request: HttpRequest) => HttpResponse>): { ctx: RepoContext; requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const client = {
    registry: 'r.example',
    baseUrl: new URL('https://r.example'),
    send: async (request: HttpRequest) => {
      requests.push(request);
      const answer = answers.shift();
      if (!answer) throw new Error('no more answers');
      return answer(request);
    },
    auth: { hasCredential: async () => false },
    close: async () => {},
  } as unknown as RegistryClient;
  return { ctx: { client, repository: 'team/app' }, requests };
}

describe.each(Object.entries(sizes))('getBlob resumes a download that broke off: %s', (_name, size) => {
  bytes = Buffer.from(Array.from({ length: size }, (_, i) => i % 256));
  const blob = bytes;
  const last = size - 1;
  beforeEach(() => {
    bytes = blob;
    desc = { mediaType: 'application/octet-stream', digest: digestOf(blob), size };
  });

  it('asks for the rest with Range and verifies the whole', async () => {
    const { ctx, requests } = fakeRepo([
      () => response(200, brokenAfter(0, 3000), { 'content-length': String(bytes.byteLength) }),
      () => response(206, Readable.from([bytes.subarray(3000)]), { 'content-range': `bytes 3000-${last}/${size}` }),
    ]);
    expect(await readAll(await getBlob(ctx, desc))).toEqual(bytes);
    expect(requests.map((r) => r.headers?.range)).toEqual([undefined, 'bytes=3000-']);
  });

  it('skips the bytes it has when the registry ignores Range and sends the whole blob (200)', async () => {
    const { ctx } = fakeRepo([
      () => response(200, brokenAfter(0, 4000)),
      () => response(200, Readable.from([bytes.subarray(0, 5000), bytes.subarray(5000)])),
    ]);
    expect(await readAll(await getBlob(ctx, desc))).toEqual(bytes);
  });

  it('resumes a body that ends short without an error', async () => {
    const { ctx, requests } = fakeRepo([
      () => response(200, Readable.from([bytes.subarray(0, 6000)])),
      () => response(206, Readable.from([bytes.subarray(6000)]), { 'content-range': `bytes 6000-${last}/*` }),
    ]);
    expect(await readAll(await getBlob(ctx, desc))).toEqual(bytes);
    expect(requests[1]!.headers?.range).toBe('bytes=6000-');
  });

  it('refuses a 206 that starts elsewhere', async () => {
    const { ctx } = fakeRepo([
      () => response(200, brokenAfter(0, 3000)),
      () => response(206, Readable.from([bytes.subarray(2000)]), { 'content-range': `bytes 2000-${last}/${size}` }),
    ]);
    const err = await rejection(getBlob(ctx, desc).then(readAll));
    expect(err.code).toBe('REGISTRY_ERROR');
    expect(err.message).toContain('asked to resume at byte 3000');
  });

  it('fails clearly once the resumes are spent', async () => {
    const { ctx, requests } = fakeRepo([
      () => response(200, brokenAfter(0, 1000)),
      () => response(206, brokenAfter(1000, 1000), { 'content-range': `bytes 1000-${last}/${size}` }),
      () => response(206, brokenAfter(2000, 1000), { 'content-range': `bytes 2000-${last}/${size}` }),
      () => response(206, brokenAfter(3000, 1000), { 'content-range': `bytes 3000-${last}/${size}` }),
    ]);
    const err = await rejection(getBlob(ctx, desc).then(readAll));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toBe(
      `the download of ${desc.digest} from r.example/team/app broke off after 4000 bytes, 4 times (the connection was reset); check the connection and try again`,
    );
    expect(requests).toHaveLength(4);
  });

  it('still fails a wrong blob with DIGEST_MISMATCH, without resuming', async () => {
    const altered = Buffer.from(bytes);
    altered[10] = altered[10]! ^ 0xff;
    const { ctx, requests } = fakeRepo([() => response(200, Readable.from([altered]))]);
    const err = await rejection(getBlob(ctx, desc).then(readAll));
    expect(err.code).toBe('DIGEST_MISMATCH');
    expect(requests).toHaveLength(1);
  });
});
