import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './testing/test-io';

/**
 * End to end through the real command line (`main`, in-process), against OCI image
 * layouts on disk: no registry needed. The seed's rocket is pushed as written, with
 * `--oci-layout` in front.
 */

const ROCKET_MANIFEST = 'sha256:d070b65c4898a02357f5fc4488aa191d90a90ac7c907eb7ac079b6f483fc8608';
const ROCKET_LAYER = 'sha256:ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5';

let cwd: string;
const dirs: string[] = [];
const oras = (...argv: string[]) => runCli(argv, { cwd, env: { HOME: cwd } });

beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'oras-cli-e2e-'));
  dirs.push(cwd);
  await writeFile(path.join(cwd, 'rocket.txt'), '🚀');
  await writeFile(path.join(cwd, 'rocket-config.json'), '{"RocketVersion":"v0.1.0"}');
});
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('push → pull through an OCI layout', () => {
  it("pushes the seed's rocket byte for byte and pulls it back", async () => {
    const push = await oras(
      'push', '--oci-layout', 'layout:v0.1.0', 'rocket.txt:text/plain',
      '--manifest-config', 'rocket-config.json:application/vnd.acme.rocket.config.v1+json', '--image-spec', 'v1.0',
    );
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    expect(push.stdout).toContain('Uploading ebbc0b2870eb rocket.txt\n');
    expect(push.stdout).toContain('Pushed [oci-layout] layout:v0.1.0\n');
    expect(push.stdout).toContain(`Digest: ${ROCKET_MANIFEST}\n`);

    const fetched = await oras('manifest', 'fetch', '--oci-layout', 'layout:v0.1.0');
    expect(fetched.code).toBe(0);
    expect(fetched.stdout).toBe(
      '{"schemaVersion":2,"config":{"mediaType":"application/vnd.acme.rocket.config.v1+json","digest":"sha256:310175f34d2d4d5cba3418be06ddd1ef948147d729516d78318ec7f5c2d83d49","size":26},' +
        `"layers":[{"mediaType":"text/plain","digest":"${ROCKET_LAYER}","size":4,"annotations":{"org.opencontainers.image.title":"rocket.txt"}}]}`,
    );

    const pull = await oras('pull', '--oci-layout', 'layout:v0.1.0', '-o', 'out');
    expect(pull.code).toBe(0);
    expect(pull.stdout).toContain('Downloaded  ebbc0b2870eb rocket.txt\n');
    expect(pull.stdout).toContain(`Pulled [oci-layout] layout:v0.1.0\nDigest: ${ROCKET_MANIFEST}\n`);
    expect(await readFile(path.join(cwd, 'out', 'rocket.txt'), 'utf8')).toBe('🚀');

    expect((await oras('resolve', '--oci-layout', 'layout:v0.1.0')).stdout).toBe(`${ROCKET_MANIFEST}\n`);
    const blob = await oras('blob', 'fetch', '--oci-layout', `layout@${ROCKET_LAYER}`, '-o', '-');
    expect(blob.stdout).toBe('🚀');
  });

  it('pushes folders with annotations and an exported manifest, and pulls them as JSON', async () => {
    await mkdir(path.join(cwd, 'docs', 'sub'), { recursive: true });
    await writeFile(path.join(cwd, 'docs', 'a.txt'), 'A');
    await writeFile(path.join(cwd, 'docs', 'sub', 'b.txt'), 'B');
    await writeFile(
      path.join(cwd, 'annotations.json'),
      JSON.stringify({ $manifest: { team: 'rockets' }, $config: { cfg: 'yes' }, 'rocket.txt': { fuel: 'liquid' } }),
    );
    const push = await oras(
      'push', '--oci-layout', 'layout:v1,latest', 'rocket.txt:text/plain', 'docs',
      '--config', 'rocket-config.json:application/vnd.acme.rocket.config.v1+json',
      '--annotation-file', 'annotations.json', '-a', 'org.opencontainers.image.created=2024-05-01T00:00:00Z',
      '--artifact-type', 'application/vnd.acme.rocket', '--export-manifest', 'manifest.json', '--format', 'json',
    );
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    const pushed = JSON.parse(push.stdout) as { digest: string; artifactType: string; referenceAsTags: string[] };
    expect(pushed.artifactType).toBe('application/vnd.acme.rocket');
    // Sorted, as ORAS lists them.
    expect(pushed.referenceAsTags).toEqual(['layout:latest', 'layout:v1']);

    const manifest = JSON.parse(await readFile(path.join(cwd, 'manifest.json'), 'utf8'));
    expect(manifest.annotations).toEqual({ team: 'rockets', 'org.opencontainers.image.created': '2024-05-01T00:00:00Z' });
    expect(manifest.config.annotations).toEqual({ cfg: 'yes' });
    expect(manifest.layers[0].annotations).toEqual({ 'org.opencontainers.image.title': 'rocket.txt', fuel: 'liquid' });
    expect(manifest.layers[1]).toMatchObject({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', annotations: { 'io.deis.oras.content.unpack': 'true' } });

    const tags = await oras('repo', 'tags', '--oci-layout', 'layout');
    expect(tags.stdout.split('\n').filter(Boolean).sort()).toEqual(['latest', 'v1']);

    const pull = await oras('pull', '--oci-layout', 'layout:latest', '-o', 'out', '--format', 'json');
    expect(pull.code).toBe(0);
    const pulled = JSON.parse(pull.stdout) as { reference: string; files: Array<{ path: string }> };
    expect(Object.keys(pulled)).toEqual(['reference', 'files']);
    expect(pulled.reference).toBe(`layout@${pushed.digest}`);
    // A folder's path ends with a separator, as ORAS writes it.
    expect(pulled.files.some((f) => f.path.endsWith(`docs${path.sep}`))).toBe(true);
    expect(pulled.files.map((f) => path.relative(cwd, f.path)).sort()).toEqual([path.join('out', 'docs'), path.join('out', 'rocket.txt')]);
    expect(await readFile(path.join(cwd, 'out', 'docs', 'sub', 'b.txt'), 'utf8')).toBe('B');

    // Files that exist are replaced, as ORAS does, unless -k/--keep-old-files.
    await writeFile(path.join(cwd, 'out', 'rocket.txt'), 'mine');
    const kept = await oras('pull', '--oci-layout', 'layout:latest', '-o', 'out', '-k');
    expect(kept.code).toBe(1);
    expect(kept.stderr).toMatch(/^Error: .*already exists/m);
    expect(await readFile(path.join(cwd, 'out', 'rocket.txt'), 'utf8')).toBe('mine');
    const again = await oras('pull', '--oci-layout', 'layout:latest', '-o', 'out');
    expect(again.code, again.stderr).toBe(0);
    expect(await readFile(path.join(cwd, 'out', 'rocket.txt'), 'utf8')).toBe('🚀');
    expect((await oras('pull', '--oci-layout', 'layout:latest', '-o', 'out', '--overwrite')).code).toBe(0);

    // --media-type keeps only matching layers.
    const filtered = await oras('pull', '--oci-layout', 'layout:v1', '-o', 'only-text', '--media-type', 'text/plain', '--format', 'json');
    expect((JSON.parse(filtered.stdout) as { files: unknown[] }).files).toHaveLength(1);
  });

  it('attaches, discovers and copies between layouts', async () => {
    expect((await oras('push', '--oci-layout', 'layout:v1', 'rocket.txt')).code).toBe(0);
    await writeFile(path.join(cwd, 'sig.json'), '{}');
    const attach = await oras('attach', '--oci-layout', 'layout:v1', 'sig.json:application/json', '--artifact-type', 'application/vnd.example.sig');
    expect(attach.code).toBe(0);
    expect(attach.stdout).toMatch(/Attached to \[oci-layout\] layout@sha256:[a-f0-9]{64}\nDigest: sha256:/);
    const discover = await oras('discover', '--oci-layout', 'layout:v1', '--format', 'json');
    const tree = JSON.parse(discover.stdout) as { referrers: Array<{ artifactType: string; referrers: unknown[] }> };
    expect(tree.referrers.map((m) => m.artifactType)).toEqual(['application/vnd.example.sig']);
    expect(tree.referrers[0]!.referrers).toEqual([]);
    const digests = await oras('discover', '--oci-layout', 'layout:v1', '--format', 'go-template={{range .referrers}}{{println .artifactType}}{{end}}');
    expect(digests.stdout).toBe('application/vnd.example.sig\n');

    const cp = await oras('cp', '-r', '--from-oci-layout', '--to-oci-layout', 'layout:v1', 'copy:c1,c2');
    expect(cp.code).toBe(0);
    expect(cp.stdout).toContain('Copied [oci-layout] layout:v1 => [oci-layout] copy:c1\n');
    expect((await oras('discover', '--oci-layout', 'copy:c2')).stdout).toContain('application/vnd.example.sig');
  });
});

describe('exit statuses', () => {
  it('exits 1 on usage errors (as ORAS does), before touching anything', async () => {
    const cases: string[][] = [
      ['bogus'],
      ['push'],
      ['push', '--no-such-flag', 'localhost:5000/a:v1'],
      ['push', 'localhost:5000/A:v1', 'rocket.txt'],
      ['push', 'localhost:5000/a:v1', 'rocket.txt:text/pl ain'],
      ['push', 'localhost:5000/a:v1', '/etc/passwd'],
      ['push', 'localhost:5000/a:v1', '../x'],
      ['push', 'localhost:5000/a:v1', 'rocket.txt', 'rocket.txt'],
      ['push', 'localhost:5000/a:v1', 'rocket.txt', '--concurrency', '0'],
      ['push', 'localhost:5000/a:v1', 'rocket.txt', '--image-spec', 'v2'],
      ['push', 'localhost:5000/a:v1', 'rocket.txt', '-a', 'novalue'],
      ['push', 'localhost:5000/a:v1', 'rocket.txt', '--annotation-file', 'missing.json'],
      ['push', 'localhost:5000/a:v1', 'rocket.txt', '--artifact-type', 'nope'],
      ['pull', 'localhost:5000/a'],
      ['pull', 'localhost:5000/a:v1', '--overwrite', '--keep-old-files'],
      ['attach', 'localhost:5000/a:v1', 'rocket.txt'],
      ['login', 'localhost:5000', '-p', 'p'],
      ['login', 'localhost:5000', '-u', 'u', '-p', 'p', '--plain-http', '--insecure'],
      ['login', 'localhost:5000', '-c', 'creds.json'],
      ['blob', 'fetch', 'localhost:5000/a:v1', '-o', '-'],
      ['manifest', 'delete', 'localhost:5000/a:v1'],
    ];
    for (const argv of cases) {
      const result = await oras(...argv);
      expect(result.code, `oras ${argv.join(' ')}: ${result.stderr}`).toBe(1);
      expect(result.stderr, argv.join(' ')).toMatch(/error/i);
    }
    // Without -c, login saves to the OS keychain, but the registry checks the password
    // first: with nothing listening on 127.0.0.1:9 that is the error (exit 1), not the
    // missing D-Bus session, and the password is never echoed.
    const login = await oras('login', '127.0.0.1:9', '-u', 'user', '-p', 'hunter2-secret');
    expect(login.code).toBe(1);
    expect(login.stderr).toMatch(/connection refused/);
    expect(login.stderr).not.toMatch(/keychain/);
    expect(login.stderr + login.stdout).not.toContain('hunter2-secret');
  });

  it('exits 1 on failures, with Error: on stderr', async () => {
    const missing = await oras('push', '--oci-layout', 'layout:v1', 'nothere.txt');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: .*nothere.txt.*does not exist/m);
    const notag = await oras('pull', '--oci-layout', 'nolayout:v1');
    expect(notag.code).toBe(1);
  });

  it('exits 0 for help and version', async () => {
    const help = await oras('push', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--manifest-config');
    const version = await oras('version');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^Version: +\d+\.\d+\.\d+/);
  });

  it("prints a group's help on stdout with status 0 when named alone (as cobra does), and refuses an unknown command in it", async () => {
    for (const group of [[], ['manifest'], ['manifest', 'index'], ['blob'], ['repo']]) {
      const alone = await oras(...group);
      expect(alone.code).toBe(0);
      expect(alone.stderr).toBe('');
      expect(alone.stdout).toMatch(new RegExp(`^Usage: ${['oras', ...group].join(' ')}(\\|\\w+)? \\[options\\] \\[command\\]`));
    }
    const unknown = await oras('manifest', 'fetchh');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain("unknown command 'fetchh'");
    expect(unknown.stderr).toContain('Did you mean fetch');
    expect((await oras('bogus')).code).toBe(1);
  });

  it('exits 130 when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runCli(['push', '--oci-layout', 'layout:v1', 'rocket.txt'], { cwd, signal: controller.signal });
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('cancelled');
  });
});

describe('--oci-layout-path', () => {
  it('names the layout folder, the operand being the tag or digest (ORAS 1.3)', async () => {
    const push = await oras('push', '--oci-layout-path', 'layout', 'v1,latest', 'rocket.txt', '--format', 'go-template={{.digest}}');
    expect(push.code, push.stderr).toBe(0);
    expect((await oras('resolve', '--oci-layout-path', 'layout', 'latest')).stdout).toBe(`${push.stdout}\n`);
    expect((await oras('manifest', 'fetch', '--oci-layout-path', 'layout', push.stdout, '--descriptor')).stdout).toContain(push.stdout);
    expect((await oras('resolve', '--oci-layout', 'layout:v1')).stdout).toBe(`${push.stdout}\n`);
    const both = await oras('resolve', '--oci-layout', '--oci-layout-path', 'layout', 'v1');
    expect([both.code, both.stderr]).toEqual([1, 'Error: --oci-layout and --oci-layout-path cannot be used together\n']);
    expect((await oras('resolve', '--oci-layout-path', 'layout', 'bad/tag')).code).toBe(1);
    const cp = await oras('cp', '--from-oci-layout-path', 'layout', '--to-oci-layout-path', 'copy', 'v1', 'c1,c2');
    expect(cp.code, cp.stderr).toBe(0);
    expect((await oras('resolve', '--oci-layout', 'copy:c2')).stdout).toBe(`${push.stdout}\n`);
  });
});

describe('unknown commands', () => {
  it('are an error even with --help, not the root help with status 0', async () => {
    const result = await oras('nosuch', '--help');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('Error: unknown command "nosuch" (run \'oras --help\' for the commands)\n');
    expect((await oras('backup', '--help')).code).toBe(0);
    expect((await oras('push', '--help')).code).toBe(0);
    expect((await oras('digest', '--help')).code).toBe(0);
  });
});
