import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { captureIo, runCli } from '../src/cli/testing/test-io';
import { tarOf } from '../src/main/engine/testing/tar-fixtures';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * `oras backup` and `oras restore` against real registries (ORAS 1.3's
 * cmd/oras/root/backup.go and restore.go, their lines from display/metadata/text): an
 * artifact with two referrers is backed up to a folder and to a .tar, restored into a
 * second registry with the same digests and referrers; `--dry-run` pushes nothing;
 * hostile archives are refused; a failed backup leaves no archive. Also `.tar` layouts
 * read by the other commands (`--oci-layout layout.tar:v1`).
 */

const tempDir = useTempDirs('oras-backup-');
let from: Registry;
let to: Registry;
let cwd: string;
let repo: string;
let manifestDigest: string;
let referrerDigests: string[];

const oras = (...argv: string[]) => runCli(argv, { cwd, env: { HOME: cwd } });

async function ok(...argv: string[]): Promise<string> {
  const result = await oras(...argv);
  expect(result.code, `oras ${argv.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

async function digestOf(reference: string, ...flags: string[]): Promise<string> {
  return (await ok('resolve', reference, ...flags)).trim();
}

async function referrersOf(reference: string, ...flags: string[]): Promise<string[]> {
  const out = JSON.parse(await ok('discover', reference, '--format', 'json', ...flags)) as { referrers: { digest: string }[] };
  return out.referrers.map((r) => r.digest).sort();
}

/** leftovers lists the hidden temp names a backup might leave in `dir`. */
async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith('.oras-'));
}

beforeAll(async () => {
  [from, to] = await Promise.all([startRegistry(), startRegistry()]);
  cwd = await tempDir();
  repo = `${from.host}/backup/hello`;
  await writeFile(path.join(cwd, 'hi.txt'), 'hello, backup');
  await writeFile(path.join(cwd, 'sbom.json'), '{"sbom":true}');
  await writeFile(path.join(cwd, 'sig.txt'), 'signed');
  manifestDigest = JSON.parse(await ok('push', `${repo}:v1`, 'hi.txt:text/plain', '--format', 'json')).digest;
  await ok('attach', `${repo}:v1`, 'sbom.json:application/json', '--artifact-type', 'application/vnd.example.sbom');
  await ok('attach', `${repo}:v1`, 'sig.txt:text/plain', '--artifact-type', 'application/vnd.example.signature');
  referrerDigests = await referrersOf(`${repo}:v1`);
  expect(referrerDigests).toHaveLength(2);
}, 60_000);
afterAll(async () => {
  await Promise.all([from?.stop(), to?.stop()]);
});

describe('oras backup', () => {
  it('--help is the command\'s own, exit 0', async () => {
    const result = await oras('backup', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: oras backup \[options\] --output <path> <registry>\/<repository>/);
    expect(result.stdout).toContain('--include-referrers');
    const restore = await oras('restore', '--help');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('--dry-run');
  });

  it('backs up to a folder with referrers, saying what ORAS says', async () => {
    const out = await ok('backup', '--output', 'hello', '--include-referrers', `${repo}:v1`);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`Found 1 tag(s) in ${repo}: v1`);
    expect(lines).toContain(`Pulled    ${manifestDigest.slice(7, 19)} application/vnd.oci.image.manifest.v1+json`);
    expect(lines).toContain('Pulled tag v1 with 2 referrer(s)');
    expect(lines.at(-2)).toMatch(new RegExp(`^Successfully backed up 1 tag\\(s\\) from "${repo}" to "hello" in \\d+(ms|s|µs)\\.$`));
    expect(await digestOf('hello:v1', '--oci-layout')).toBe(manifestDigest);
    expect(await referrersOf('hello:v1', '--oci-layout')).toEqual(referrerDigests);
  });

  it('backs up to a .tar through a temp name, readable in place with --oci-layout', async () => {
    const out = await ok('backup', '--output', 'hello.tar', '--include-referrers', `${repo}:v1`);
    expect(out).toContain('Exporting to hello.tar\n');
    expect(out).toMatch(/\nExported to hello\.tar \(\d+(\.\d+)? KB\)\n/);
    expect(await leftovers(cwd)).toEqual([]);
    expect(await digestOf('hello.tar:v1', '--oci-layout')).toBe(manifestDigest);
    expect(await referrersOf('hello.tar:v1', '--oci-layout')).toEqual(referrerDigests);
    await ok('pull', '--oci-layout', 'hello.tar:v1', '-o', 'pulled');
    expect(await readFile(path.join(cwd, 'pulled', 'hi.txt'), 'utf8')).toBe('hello, backup');
    const fetched = await ok('manifest', 'fetch', '--oci-layout', 'hello.tar:v1');
    expect(fetched).toBe(await ok('manifest', 'fetch', `${repo}:v1`));
    const layer = (JSON.parse(fetched) as { layers: { digest: string }[] }).layers[0]!.digest;
    expect(await ok('blob', 'fetch', '--oci-layout', `hello.tar@${layer}`, '-o', '-')).toBe('hello, backup');
    expect(await ok('repo', 'tags', '--oci-layout', 'hello.tar')).toBe('v1\n');
    expect(await digestOf('v1', '--oci-layout-path', 'hello.tar')).toBe(manifestDigest);
    await ok('cp', '--from-oci-layout', 'hello.tar:v1', `${to.host}/fromtar/hello:v1`);
    expect(await digestOf(`${to.host}/fromtar/hello:v1`)).toBe(manifestDigest);
  });

  it('a .tar layout is read-only: writing to it says to use a folder', async () => {
    const tag = await oras('tag', '--oci-layout', 'hello.tar:v1', 'v2');
    expect(tag.code).toBe(1);
    expect(tag.stderr).toMatch(/read-only/);
    const push = await oras('push', '--oci-layout', 'hello.tar:v3', 'hi.txt');
    expect(push.code).toBe(1);
    expect(push.stderr).toMatch(/is a file: a layout written to must be a folder/);
  });

  it('with no tag, backs up every tag of the repository', async () => {
    const plain = `${from.host}/backup/plain`;
    await ok('push', `${plain}:v1,v2`, 'hi.txt');
    const out = await ok('backup', '--output', 'plain', plain);
    expect(out.split('\n')[0]).toBe(`Found 2 tag(s) in ${plain}: v1, v2`);
    expect(out).toContain('Pulled tag v2 with 0 referrer(s)\n');
  });

  it('refuses a digest, a folder named .tar, and a missing tag, leaving nothing behind', async () => {
    const digest = await oras('backup', '--output', 'x', `${repo}@${manifestDigest}`);
    expect(digest.code).toBe(1);
    expect(digest.stderr).toContain('digest references are not supported');
    await mkdir(path.join(cwd, 'folder.tar'));
    const folder = await oras('backup', '--output', 'folder.tar', `${repo}:v1`);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain('already exists and is a directory');
    const missing = await oras('backup', '--output', 'missing.tar', `${repo}:nosuch`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('failed to resolve tag "nosuch"');
    await expect(stat(path.join(cwd, 'missing.tar'))).rejects.toThrow();
    expect(await leftovers(cwd)).toEqual([]);
  });

  it('a backup that fails part way leaves no partial archive, and an older one as it was', async () => {
    const broken = `${from.host}/backup/broken`;
    await writeFile(path.join(cwd, 'lost.bin'), 'this blob will be lost');
    const pushed = JSON.parse(await ok('push', `${broken}:v1`, 'lost.bin', '--format', 'json')) as { digest: string };
    const manifest = JSON.parse(await ok('manifest', 'fetch', `${broken}@${pushed.digest}`)) as { layers: { digest: string }[] };
    const hex = manifest.layers[0]!.digest.slice(7);
    await rm(path.join(from.dataDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex), { recursive: true });
    await writeFile(path.join(cwd, 'broken.tar'), 'an older backup');
    const result = await oras('backup', '--output', 'broken.tar', `${broken}:v1`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`failed to back up tag "v1" from "${broken}" to "broken.tar"`);
    expect(await readFile(path.join(cwd, 'broken.tar'), 'utf8')).toBe('an older backup');
    expect(await leftovers(cwd)).toEqual([]);
  });

  it('a backup cancelled (Ctrl-C) while pulling or while writing the archive exits 130 and leaves nothing', async () => {
    for (const when of ['Pulling ', 'Exporting to']) {
      const controller = new AbortController();
      const io = captureIo({ cwd, env: { HOME: cwd }, signal: controller.signal });
      const write = io.stdout.write.bind(io.stdout);
      io.stdout.write = ((chunk: string) => {
        if (chunk.startsWith(when)) controller.abort();
        return write(chunk);
      }) as typeof io.stdout.write;
      const code = await main(['backup', '--output', 'cancelled.tar', '--include-referrers', `${repo}:v1`], io);
      expect(code, `${when}: ${io.err()}`).toBe(130);
      expect(io.out(), when).toContain(when);
      await expect(stat(path.join(cwd, 'cancelled.tar')), when).rejects.toThrow();
      expect(await leftovers(cwd), when).toEqual([]);
    }
  });
});

describe('oras restore', () => {
  it('restores a .tar into a fresh registry: same digests, same referrers', async () => {
    const target = `${to.host}/restored/hello`;
    const out = await ok('restore', '--input', 'hello.tar', `${target}:v1`);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^Loaded backup archive: hello\.tar \(\d+(\.\d+)? KB\)$/);
    expect(lines[1]).toBe('Found 1 tag(s) in the backup: v1');
    expect(lines).toContain(`Pushed    ${manifestDigest.slice(7, 19)} application/vnd.oci.image.manifest.v1+json`);
    expect(lines).toContain('Pushed tag v1 with 2 referrer(s)');
    expect(lines.at(-2)).toMatch(new RegExp(`^Successfully restored 1 tag\\(s\\) to "${target}" in \\d+(ms|s|µs)$`));
    expect(await digestOf(`${target}:v1`)).toBe(manifestDigest);
    expect(await referrersOf(`${target}:v1`)).toEqual(referrerDigests);
  });

  it('restores every tag of a folder; --exclude-referrers leaves the referrers out', async () => {
    const target = `${to.host}/restored/bare`;
    const out = await ok('restore', '--input', 'hello', '--exclude-referrers', target);
    expect(out).toContain('Pushed tag v1 with 0 referrer(s)\n');
    expect(await digestOf(`${target}:v1`)).toBe(manifestDigest);
    expect(await referrersOf(`${target}:v1`)).toEqual([]);
  });

  it('--dry-run says what would be pushed and pushes nothing', async () => {
    const target = `${to.host}/restored/dry`;
    const out = await ok('restore', '--input', 'hello.tar', '--dry-run', `${target}:v1`);
    expect(out).toContain('Dry run: would push tag v1 with 2 referrer(s)\n');
    expect(out).toContain(`Dry run complete: 1 tag(s) would be restored to "${target}" (no data pushed)\n`);
    expect(out).not.toMatch(/^Pushing/m);
    await expect(stat(path.join(to.dataDir, 'docker/registry/v2/repositories/restored/dry'))).rejects.toThrow();
    const tags = await oras('repo', 'tags', target);
    expect(tags.stdout).toBe('');
  });

  it('refuses a hostile archive (a ../x member) naming it, writing nothing anywhere', async () => {
    const evil = tarOf([
      { path: 'oci-layout', body: '{"imageLayoutVersion":"1.0.0"}' },
      { path: 'index.json', body: '{"schemaVersion":2,"manifests":[]}' },
      { path: '../x', body: 'planted' },
    ]);
    const work = path.join(cwd, 'evil');
    await mkdir(work);
    await writeFile(path.join(work, 'evil.tar'), evil);
    const target = `${to.host}/restored/evil`;
    const result = await runCli(['restore', '--input', 'evil.tar', `${target}:v1`], { cwd: work, env: { HOME: cwd } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/member "\.\.\/x" climbs out of the archive with "\.\."; refusing to read this archive/);
    await expect(stat(path.join(cwd, 'x'))).rejects.toThrow();
    expect(await readdir(work)).toEqual(['evil.tar']);
    const pull = await runCli(['pull', '--oci-layout', 'evil.tar:v1'], { cwd: work, env: { HOME: cwd } });
    expect(pull.code).toBe(1);
    expect(pull.stderr).toContain('refusing to read this archive');
  });
});
