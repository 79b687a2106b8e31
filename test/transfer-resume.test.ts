import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../src/main/engine/content/file-store';
import { Annotation } from '../src/main/engine/descriptor';
import { digestOf } from '../src/main/engine/digest';
import { push } from '../src/main/engine/oras/push';
import { Registry } from '../src/main/engine/registry/registry';
import { DEFAULT_UPLOAD_CHUNK_SIZE } from '../src/main/engine/registry/upload';
import { readAll, rejection } from '../src/main/engine/testing/expect-error';
import { startFaultProxy, times, type FaultProxy, type ProxyRequest } from './support/fault-proxy';
import { startRegistry, type Registry as TestRegistry } from './support/registry';
import { useTempDirs } from './support/tmp';
import { blob } from './support/content';

const MiB = 1024 * 1024;
const CHUNK = DEFAULT_UPLOAD_CHUNK_SIZE;
const content = blob(randomBytes(50 * MiB));
// Compared by digest, never with toEqual: a deep comparison of 50 MiB blocks the worker for minutes.

/** source streams the content in 1 MiB pieces, as a file read would (never one 50 MiB chunk). */
function source(): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < content.bytes.byteLength; at += MiB) yield content.bytes.subarray(at, at + MiB);
    })(),
    { objectMode: false },
  );
}

const isPatch = (req: ProxyRequest) => req.method === 'PATCH';
const patchAt = (offset: number) => (req: ProxyRequest) => isPatch(req) && String(req.headers['content-range']).startsWith(`${offset}-`);
const isBlobGet = (req: ProxyRequest) => req.method === 'GET' && req.url.includes(`/blobs/${content.desc.digest}`);

describe('transfers that break off resume', () => {
  const tempDir = useTempDirs('oras-resume-');
  let server: TestRegistry;
  let proxy: FaultProxy;
  let faulty: Registry;
  let direct: Registry;
  let repoCount = 0;

  beforeAll(async () => {
    server = await startRegistry();
    proxy = await startFaultProxy(server.url);
    faulty = new Registry(proxy.host, { retry: { baseDelayMs: 10, maxDelayMs: 100 } });
    direct = new Registry(server.host);
  });
  afterEach(() => proxy.inject());
  afterAll(async () => {
    await faulty?.close();
    await direct?.close();
    await proxy?.stop();
    await server?.stop();
  });

  /** freshRepository names a repository no test used, so every push really uploads. */
  function freshRepository(): string {
    repoCount += 1;
    return `resume/up${repoCount}`;
  }

  /** sentSince counts the PATCH and PUT body bytes the proxy took from the client after request `from`. */
  function sentSince(from: number): number {
    return proxy.requests.slice(from).reduce((sum, req) => sum + (req.method === 'PATCH' || req.method === 'PUT' ? req.bytesIn : 0), 0);
  }

  describe('uploads', () => {
    it('a 50 MiB blob goes up in chunks of the default size', async () => {
      const name = freshRepository();
      const from = proxy.requests.length;
      await faulty.repository(name).push(content.desc, source());
      const patches = proxy.requests.slice(from).filter(isPatch);
      const ranges: string[] = [];
      for (let at = 0; at < content.desc.size; at += CHUNK) ranges.push(`${at}-${Math.min(at + CHUNK, content.desc.size) - 1}`);
      expect(patches.map((p) => p.headers['content-range'])).toEqual(ranges);
      expect(digestOf(await readAll(await direct.repository(name).fetch(content.desc)))).toBe(content.desc.digest);
    });

    it.each([1, 3])('resumes after %i reset(s) mid-chunk, re-sending at most a chunk each', async (resets) => {
      const name = freshRepository();
      const from = proxy.requests.length;
      // The second chunk's PATCH is cut after 4 MiB, `resets` times in a row.
      proxy.inject(times(resets, { kind: 'reset-request', afterBytes: 4 * MiB }, patchAt(CHUNK)));
      await faulty.repository(name).push(content.desc, source());
      expect(digestOf(await readAll(await direct.repository(name).fetch(content.desc)))).toBe(content.desc.digest);
      const resent = sentSince(from) - content.desc.size;
      expect(resent).toBeGreaterThanOrEqual(resets * 4 * MiB);
      expect(resent).toBeLessThanOrEqual(resets * CHUNK);
      // Each resume asked the registry where the upload stood.
      expect(proxy.requests.slice(from).filter((r) => r.method === 'GET' && r.url.includes('/blobs/uploads/'))).toHaveLength(resets);
    });

    it('fails clearly after more resets than it resumes, leaving no blob behind', async () => {
      const name = freshRepository();
      proxy.inject(times(4, { kind: 'reset-request', afterBytes: 4 * MiB }, patchAt(CHUNK)));
      const err = await rejection(faulty.repository(name).push(content.desc, source()));
      expect(err.code).toBe('NETWORK');
      expect(err.message).toContain(`${proxy.host}/${name}@${content.desc.digest}`);
      expect(err.message).toMatch(/broke off at byte \d+, 4 times/);
      expect(await direct.repository(name).exists(content.desc)).toBe(false);
    });

    it('says so when the registry drops a session that took part of a chunk (distribution 2.x does)', async () => {
      const name = freshRepository();
      proxy.inject(times(1, { kind: 'reset-request', afterBytes: 4 * MiB, forward: true }, patchAt(CHUNK)));
      const err = await rejection(faulty.repository(name).push(content.desc, source()));
      expect(err.code).toBe('NETWORK');
      expect(err.message).toContain('no longer has the upload');
      expect(err.message).toContain('push again');
      expect(await direct.repository(name).exists(content.desc)).toBe(false);
    });

    it('a push starts the blob over, once, when the registry dropped the session', async () => {
      const name = freshRepository();
      const dir = await tempDir();
      await writeFile(`${dir}/big.bin`, content.bytes);
      const store = new FileStore(dir);
      const from = proxy.requests.length;
      try {
        const layer = await store.add('big.bin', 'application/octet-stream');
        // A file can be read again, so its upload is one streamed PATCH (see STREAMED_CHUNK_SIZE).
        proxy.inject(times(1, { kind: 'reset-request', afterBytes: 4 * MiB, forward: true }, isPatch));
        await push(store, faulty.repository(name), 'v1', { layers: [layer], created: false });
      } finally {
        await store.close();
      }
      expect(digestOf(await readAll(await direct.repository(name).fetch(content.desc)))).toBe(content.desc.digest);
      // Two sessions for the blob: the dropped one and the one that finished.
      const blobPosts = proxy.requests.slice(from).filter((r) => r.method === 'POST' && r.url.endsWith('/blobs/uploads/'));
      expect(blobPosts.length).toBeGreaterThanOrEqual(2);
    });

    describe('from a source that can be read again', () => {
      const RANGE = 16 * MiB;
      let ranged: Registry;
      let reopened = 0;
      const reopen = async (): Promise<Readable> => {
        reopened += 1;
        return source();
      };
      beforeAll(() => {
        ranged = new Registry(proxy.host, { retry: { baseDelayMs: 10, maxDelayMs: 100 }, uploadChunkSize: RANGE });
      });
      afterAll(() => ranged?.close());

      it.each([1, 3])('resumes after %i reset(s) from what the registry holds, re-sending only what it lost', async (resets) => {
        const name = freshRepository();
        const from = proxy.requests.length;
        reopened = 0;
        proxy.inject(times(resets, { kind: 'reset-request', afterBytes: 4 * MiB }, patchAt(RANGE)));
        await ranged.repository(name).push(content.desc, source(), { reopen });
        expect(digestOf(await readAll(await direct.repository(name).fetch(content.desc)))).toBe(content.desc.digest);
        const patches = proxy.requests.slice(from).filter(isPatch);
        // Every range streamed from the source, none held: the cut one sent again from its start.
        expect(patches.map((p) => p.headers['content-range'])).toEqual([
          `0-${RANGE - 1}`,
          ...Array(resets + 1).fill(`${RANGE}-${2 * RANGE - 1}`),
          `${2 * RANGE}-${3 * RANGE - 1}`,
          `${3 * RANGE}-${content.desc.size - 1}`,
        ]);
        const resent = sentSince(from) - content.desc.size;
        expect(resent).toBeGreaterThanOrEqual(resets * 4 * MiB);
        expect(resent).toBeLessThanOrEqual(resets * RANGE);
        // The source was read again once per reset (the held part hashed, not sent).
        expect(reopened).toBe(resets);
      });

      it('a source that changed when read again fails, and nothing is stored', async () => {
        const name = freshRepository();
        proxy.inject(times(1, { kind: 'reset-request', afterBytes: 4 * MiB }, patchAt(RANGE)));
        const changed = Buffer.from(content.bytes);
        changed[0] = changed[0]! ^ 0xff;
        const err = await rejection(ranged.repository(name).push(content.desc, source(), { reopen: async () => Readable.from([changed]) }));
        expect(err.code).toBe('DIGEST_MISMATCH');
        expect(err.message).toContain('changed while it was sent');
        expect(await direct.repository(name).exists(content.desc)).toBe(false);
      });

      it('says so when the registry dropped the session that took part of a range', async () => {
        const name = freshRepository();
        proxy.inject(times(1, { kind: 'reset-request', afterBytes: 4 * MiB, forward: true }, patchAt(RANGE)));
        const err = await rejection(ranged.repository(name).push(content.desc, source(), { reopen }));
        expect(err.code).toBe('NETWORK');
        expect(err.message).toContain('no longer has the upload');
        expect(await direct.repository(name).exists(content.desc)).toBe(false);
      });

      it('says the upload is gone when the registry refuses the resumed range (it may answer GET while dropping the session)', async () => {
        const name = freshRepository();
        const reset = times(1, { kind: 'reset-request', afterBytes: 4 * MiB }, patchAt(RANGE));
        const refuse = times(1, { kind: 'status', status: 404 }, patchAt(RANGE));
        let wasReset = false;
        proxy.inject((req) => {
          const fault = reset(req);
          if (fault) wasReset = true;
          return fault ?? (wasReset ? refuse(req) : undefined);
        });
        const err = await rejection(ranged.repository(name).push(content.desc, source(), { reopen }));
        expect(err.code).toBe('NETWORK');
        expect(err.message).toContain('no longer has the upload');
        expect(err.message).toContain('push again');
      });

      it('sends the source whole in one PUT when the registry refuses chunks', async () => {
        const name = freshRepository();
        const from = proxy.requests.length;
        proxy.inject(times(1, { kind: 'status', status: 405 }, isPatch));
        await ranged.repository(name).push(content.desc, source(), { reopen });
        const puts = proxy.requests.slice(from).filter((r) => r.method === 'PUT');
        expect(puts.map((p) => p.bytesIn)).toEqual([content.desc.size]);
        expect(digestOf(await readAll(await direct.repository(name).fetch(content.desc)))).toBe(content.desc.digest);
      });
    });

    it('falls back to one PUT when the registry refuses chunks', async () => {
      const name = freshRepository();
      const from = proxy.requests.length;
      proxy.inject(times(1, { kind: 'status', status: 405 }, isPatch));
      await faulty.repository(name).push(content.desc, source());
      const puts = proxy.requests.slice(from).filter((r) => r.method === 'PUT');
      expect(puts.map((p) => p.bytesIn)).toEqual([content.desc.size]);
      expect(digestOf(await readAll(await direct.repository(name).fetch(content.desc)))).toBe(content.desc.digest);
    });

    it('sends a blob of one chunk or less in one PUT', async () => {
      const name = freshRepository();
      const small = blob(randomBytes(MiB));
      const from = proxy.requests.length;
      await faulty.repository(name).push(small.desc, Readable.from([small.bytes]));
      expect(proxy.requests.slice(from).map((r) => r.method)).toEqual(['POST', 'PUT']);
    });
  });

  describe('downloads', () => {
    const title = 'big.bin';
    const layer = { ...content.desc, annotations: { [Annotation.Title]: title } };

    beforeAll(async () => {
      await direct.repository('resume/down').push(content.desc, source());
    });

    /** pullInto writes the blob through a FileStore (temp file, then rename) in a new folder. */
    async function pullInto(): Promise<{ dir: string; done: Promise<void> }> {
      const dir = await tempDir();
      const store = new FileStore(dir);
      const done = (async () => {
        try {
          await store.push(layer, await faulty.repository('resume/down').fetch(layer));
        } finally {
          await store.close();
        }
      })();
      return { dir, done };
    }

    it.each([1, 3])('resumes with Range after %i truncation(s), fetching no byte twice', async (breaks) => {
      const from = proxy.requests.length;
      let cut = 0;
      proxy.inject((req) => (isBlobGet(req) && cut < breaks ? ((cut += 1), { kind: 'truncate', afterBytes: 7 * MiB }) : undefined));
      const { dir, done } = await pullInto();
      await done;
      const written = await readFile(`${dir}/${title}`);
      expect(digestOf(written)).toBe(content.desc.digest);
      const gets = proxy.requests.slice(from).filter(isBlobGet);
      // The first GET asks for the blob, each later one for the rest from the byte the
      // last one broke off at (the proxy cuts after 7 MiB; a few bytes may be lost in the cut).
      expect(gets).toHaveLength(breaks + 1);
      expect(gets[0]!.headers.range).toBeUndefined();
      const starts = gets.slice(1).map((g) => Number(/^bytes=(\d+)-$/.exec(String(g.headers.range))?.[1]));
      starts.forEach((start, i) => {
        const step = start - (i === 0 ? 0 : starts[i - 1]!);
        expect(step).toBeGreaterThan(6 * MiB);
        expect(step).toBeLessThanOrEqual(7 * MiB);
      });
    });

    it('fails clearly after more breaks than it resumes, leaving nothing on disk', async () => {
      proxy.inject(times(4, { kind: 'truncate', afterBytes: 5 * MiB }, isBlobGet));
      const { dir, done } = await pullInto();
      const err = await rejection(done);
      expect(err.code).toBe('NETWORK');
      // Four cuts of 5 MiB each (a cut may lose a few bytes in flight).
      const said = new RegExp(`^the download of ${content.desc.digest} from ${proxy.host}/resume/down broke off after (\\d+) bytes, 4 times`).exec(err.message);
      expect(said, err.message).not.toBeNull();
      expect(Number(said![1])).toBeGreaterThan(19 * MiB);
      expect(Number(said![1])).toBeLessThanOrEqual(20 * MiB);
      expect(await readdir(dir)).toEqual([]);
    });
  });
});
