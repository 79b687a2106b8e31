import { cp, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/test-io';

/**
 * `oras push --reproducible` and `oras attach --reproducible` in-process against OCI
 * layouts: same input, same digest, whenever and wherever it is run.
 */

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function workspace(): Promise<string> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'oras-repro-'));
  dirs.push(cwd);
  await mkdir(path.join(cwd, 'docs', 'sub'), { recursive: true });
  await writeFile(path.join(cwd, 'docs', 'a.txt'), 'A');
  await writeFile(path.join(cwd, 'docs', 'sub', 'b.txt'), 'B');
  await writeFile(path.join(cwd, 'hello.txt'), 'hello');
  return cwd;
}

const digestOf = (stdout: string): string => /Digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1] ?? '';

async function push(cwd: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ digest: string; manifest: string }> {
  const result = await runCli(['push', '--oci-layout', 'layout:v1', 'docs', 'hello.txt:text/plain', '-a', 'team=rockets', ...extra], { cwd, env: { HOME: cwd, ...env } });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const fetched = await runCli(['manifest', 'fetch', '--oci-layout', 'layout:v1'], { cwd, env: { HOME: cwd } });
  return { digest: digestOf(result.stdout), manifest: fetched.stdout };
}

describe('oras push --reproducible', () => {
  it('gives the same digest a second later and for a copy with other modification times, with no created annotation', async () => {
    const one = await workspace();
    const first = await push(one, ['--reproducible']);
    expect(JSON.parse(first.manifest).annotations).toEqual({ team: 'rockets' });
    await new Promise((r) => setTimeout(r, 1100));
    const two = await mkdtemp(path.join(tmpdir(), 'oras-repro-copy-'));
    dirs.push(two);
    await cp(path.join(one, 'docs'), path.join(two, 'docs'), { recursive: true });
    await writeFile(path.join(two, 'hello.txt'), 'hello');
    await utimes(path.join(two, 'docs', 'a.txt'), new Date(2005, 5, 5), new Date(2005, 5, 5));
    await utimes(path.join(two, 'docs', 'sub'), new Date(2006, 6, 6), new Date(2006, 6, 6));
    expect((await push(two, ['--reproducible'])).digest).toBe(first.digest);

    // Without the switch the created time makes each push different.
    const plain = await push(two);
    expect(JSON.parse(plain.manifest).annotations['org.opencontainers.image.created']).toMatch(/^\d{4}-/);
    expect(plain.digest).not.toBe(first.digest);
  });

  it('keeps a created annotation the user gave, and honours SOURCE_DATE_EPOCH for folder times', async () => {
    const cwd = await workspace();
    const given = await push(cwd, ['--reproducible', '-a', 'org.opencontainers.image.created=2024-01-01T00:00:00Z']);
    expect(JSON.parse(given.manifest).annotations['org.opencontainers.image.created']).toBe('2024-01-01T00:00:00Z');
    const epoch = await push(cwd, ['--reproducible']);
    const dated = await push(cwd, ['--reproducible'], { SOURCE_DATE_EPOCH: '1700000000' });
    const datedAgain = await push(cwd, ['--reproducible'], { SOURCE_DATE_EPOCH: '1700000000' });
    expect(dated.digest).not.toBe(epoch.digest);
    expect(datedAgain.digest).toBe(dated.digest);
  });
});

describe('oras attach --reproducible', () => {
  it('attaches the same manifest twice', async () => {
    const cwd = await workspace();
    await push(cwd, ['--reproducible']);
    const attach = () =>
      runCli(['attach', '--oci-layout', 'layout:v1', 'hello.txt:text/plain', '--artifact-type', 'application/vnd.example.note', '--reproducible'], { cwd, env: { HOME: cwd } });
    const first = await attach();
    expect(first.stderr).toBe('');
    await new Promise((r) => setTimeout(r, 1100));
    const second = await attach();
    expect(digestOf(second.stdout)).toBe(digestOf(first.stdout));
    expect(digestOf(first.stdout)).not.toBe('');
  });
});
