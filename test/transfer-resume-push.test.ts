import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/testing/test-io';
import { digestOf } from '../src/main/engine/digest';
import { startFaultProxy, times, type FaultProxy, type ProxyRequest } from './support/fault-proxy';
import { startRegistry, type Registry as TestRegistry } from './support/registry';
import { useTempDirs } from './support/tmp';

const MiB = 1024 * 1024;

/**
 * `oras push` of a large file whose digest nobody knows yet: read once, hashed while it
 * is sent in chunks, the manifest packed after; a small file takes a POST and a PUT.
 */
describe('oras push reads a large new file once', () => {
  const tempDir = useTempDirs('oras-one-pass-');
  let server: TestRegistry;
  let proxy: FaultProxy;
  let dir: string;
  const big = randomBytes(40 * MiB);
  const small = Buffer.from('small file\n');

  beforeAll(async () => {
    server = await startRegistry();
    proxy = await startFaultProxy(server.url);
    dir = await tempDir();
    await writeFile(path.join(dir, 'big.bin'), big);
    await writeFile(path.join(dir, 'small.txt'), small);
  });
  afterEach(() => proxy.inject());
  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });

  const bodyBytes = (requests: ProxyRequest[], method: string) => requests.filter((r) => r.method === method).reduce((sum, r) => sum + r.bytesIn, 0);

  it('sends the large file in one pass and skips it when the manifest goes up', async () => {
    const from = proxy.requests.length;
    const pushed = await runCli(['push', `${proxy.host}/one/pass:v1`, 'big.bin', 'small.txt', '--format', 'json'], { cwd: dir, env: { HOME: dir } });
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    const requests = proxy.requests.slice(from);
    // The large file: its bytes once, in PATCHes, no PUT of them again.
    expect(bodyBytes(requests, 'PATCH')).toBe(big.byteLength);
    const bigDigest = digestOf(big);
    expect(requests.filter((r) => r.method === 'PUT' && r.url.includes(`digest=${encodeURIComponent(bigDigest)}`)).map((r) => r.bytesIn)).toEqual([0]);
    // The small file: a POST that would mount it from the repository itself (so
    // answers whether it is there), then one PUT of its bytes.
    const smallDigest = digestOf(small);
    expect(requests.some((r) => r.method === 'POST' && r.url.includes(`mount=${encodeURIComponent(smallDigest)}`))).toBe(true);
    expect(requests.filter((r) => r.method === 'PUT' && r.url.includes(`digest=${encodeURIComponent(smallDigest)}`)).map((r) => r.bytesIn)).toEqual([small.byteLength]);

    const out = await tempDir();
    const pulled = await runCli(['pull', `${proxy.host}/one/pass:v1`, '-o', out], { cwd: out, env: { HOME: out } });
    expect(pulled.code).toBe(0);
    expect(digestOf(await readFile(path.join(out, 'big.bin')))).toBe(bigDigest);
  });

  it('resumes the one-pass upload after a reset', async () => {
    proxy.inject(times(1, { kind: 'reset-request', afterBytes: 3 * MiB }, (r) => r.method === 'PATCH'));
    const pushed = await runCli(['push', `${proxy.host}/one/resumed:v1`, 'big.bin'], { cwd: dir, env: { HOME: dir } });
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toContain(`Uploaded  ${digestOf(big).slice(7, 19)} big.bin`);
    expect(pushed.stdout).not.toContain('Exists');
  });

  it('leaves a file to the usual path when the registry dropped its one-pass session', async () => {
    proxy.inject(times(1, { kind: 'reset-request', afterBytes: 3 * MiB, forward: true }, (r) => r.method === 'PATCH'));
    const pushed = await runCli(['push', `${proxy.host}/one/dropped:v1`, 'big.bin'], { cwd: dir, env: { HOME: dir } });
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    const out = await tempDir();
    expect((await runCli(['pull', `${proxy.host}/one/dropped:v1`, '-o', out], { cwd: out, env: { HOME: out } })).code).toBe(0);
    expect(digestOf(await readFile(path.join(out, 'big.bin')))).toBe(digestOf(big));
  });

  it('hashes first where the registry refuses chunks, and still pushes', async () => {
    proxy.inject(times(1, { kind: 'status', status: 405 }, (r) => r.method === 'PATCH'));
    const from = proxy.requests.length;
    const pushed = await runCli(['push', `${proxy.host}/one/refused:v1`, 'big.bin'], { cwd: dir, env: { HOME: dir } });
    expect(pushed.code).toBe(0);
    // The usual path: the file hashed, HEAD, then uploaded.
    expect(proxy.requests.slice(from).some((r) => r.method === 'HEAD' && r.url.endsWith(`/blobs/${digestOf(big)}`))).toBe(true);
  });
});
