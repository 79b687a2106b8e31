import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from '../src/cli/testing/test-io';
import { digestOf } from '../src/main/engine/digest';
import { summarizeManifest } from '../src/shared/manifest-summary';
import { browseApp, memoryLogins, type BrowseApp } from './support/browse-app';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * `oras manifest index create|update` against a real distribution registry, checked
 * against what ORAS 1.3's sources print and push (cmd/oras/root/manifest/index,
 * display/status/text.go's prompts, display/content/manifest_index.go's output): the
 * status lines word for word, the index's exact bytes (Go's json.Marshal of
 * ocispec.Index, platforms from the image configs), `--output`, and that the app's
 * browse service shows the index as two platforms. Each README "same" row names its `it`.
 */

const tempDir = useTempDirs('oras-index-');
let registry: Registry;
let cwd: string;
let repo: string;
let amd: string;
let arm: string;
let app: BrowseApp;

const { oras, ok } = cliIn(() => cwd);

/** failure runs a command that must fail with exit status 1 and returns its stderr. */
async function failure(...argv: string[]): Promise<string> {
  const result = await oras(...argv);
  expect(result.code, `oras ${argv.join(' ')} should fail: ${result.stdout}`).toBe(1);
  return result.stderr;
}

const IMAGE_CONFIG = 'application/vnd.oci.image.config.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** sizeOf is a manifest's size, read back from the registry. */
async function sizeOf(reference: string): Promise<number> {
  return (await readFile(path.join(cwd, await fetchTo(reference)))).byteLength;
}

let fetched = 0;
async function fetchTo(reference: string): Promise<string> {
  const file = `fetched-${fetched++}.json`;
  await ok('manifest', 'fetch', reference, '-o', file);
  return file;
}

/** manifestText is a manifest's exact bytes as the registry serves them. */
async function manifestText(reference: string): Promise<string> {
  return readFile(path.join(cwd, await fetchTo(reference)), 'utf8');
}

/** entry is an index entry as ORAS writes it, for a manifest of this repository. */
function entry(digest: string, size: number, platform: string): string {
  return `{"mediaType":"${MANIFEST}","digest":"${digest}","size":${size},"platform":${platform}}`;
}

let amdSize: number;
let armSize: number;
const AMD_PLATFORM = '{"architecture":"amd64","os":"linux"}';
const ARM_PLATFORM = '{"architecture":"arm64","os":"linux","variant":"v8"}';

beforeAll(async () => {
  registry = await startRegistry();
  cwd = await tempDir();
  repo = `${registry.host}/multi/hello`;
  await writeFile(path.join(cwd, 'hi.txt'), 'hello');
  await writeFile(path.join(cwd, 'amd64.json'), JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  await writeFile(path.join(cwd, 'arm64.json'), JSON.stringify({ os: 'linux', architecture: 'arm64', variant: 'v8', rootfs: { type: 'layers', diff_ids: [] } }));
  const push = async (tag: string, config: string) =>
    (JSON.parse(await ok('push', `${repo}:${tag}`, 'hi.txt', '--config', `${config}:${IMAGE_CONFIG}`, '--format', 'json')) as { digest: string }).digest;
  amd = await push('linux-amd64', 'amd64.json');
  arm = await push('linux-arm64', 'arm64.json');
  amdSize = await sizeOf(`${repo}@${amd}`);
  armSize = await sizeOf(`${repo}@${arm}`);
  app = browseApp({ dataDir: await tempDir(), logins: memoryLogins(), stagingParent: await tempDir() });
}, 60_000);

afterAll(async () => {
  await app?.services.dispose();
  await registry?.stop();
});

describe('manifest index create', () => {
  it('create: ORAS status lines, the index as ORAS writes it, pushed with every tag', async () => {
    const out = await ok('manifest', 'index', 'create', `${repo}:v1,latest`, 'linux-amd64', arm);
    const text = await manifestText(`${repo}:v1`);
    expect(text).toBe(`{"schemaVersion":2,"mediaType":"${INDEX}","manifests":[${entry(amd, amdSize, AMD_PLATFORM)},${entry(arm, armSize, ARM_PLATFORM)}]}`);
    const digest = digestOf(Buffer.from(text));
    expect(out).toBe(
      [
        'Fetching  linux-amd64',
        `Fetched   ${amd} linux-amd64`,
        `Fetching  ${arm}`,
        `Fetched   ${arm}`,
        `Packed    ${digest.slice(7, 19)} ${INDEX}`,
        `Pushed    [registry] ${repo}:v1`,
        'Tagged latest',
        `Digest: ${digest}`,
        '',
      ].join('\n'),
    );
    expect(await manifestText(`${repo}:latest`)).toBe(text);
  });

  it('the browse service shows the index as two platforms', async () => {
    const details = await app.services.browse.manifest({ registry: registry.host, repository: 'multi/hello', reference: 'v1' });
    expect(details.descriptor.mediaType).toBe(INDEX);
    const summary = summarizeManifest(details.raw, details.descriptor.mediaType);
    expect(summary.kind).toBe('index');
    expect(summary.manifests.map((m) => [m.digest, m.platform])).toEqual([
      [amd, { os: 'linux', architecture: 'amd64' }],
      [arm, { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    ]);
  });

  it('create with no tag pushes by digest; -a and --artifact-type go into the index', async () => {
    const out = await ok('manifest', 'index', 'create', repo, 'linux-arm64', '-a', 'team=rockets', '-a', 'a=<b>', '--artifact-type', 'application/vnd.example.set');
    const digest = /^Digest: (sha256:[a-f0-9]{64})$/m.exec(out)![1]!;
    expect(out).toContain(`Pushed    [registry] ${repo}\n`);
    expect(await manifestText(`${repo}@${digest}`)).toBe(
      `{"schemaVersion":2,"mediaType":"${INDEX}","artifactType":"application/vnd.example.set","manifests":[${entry(arm, armSize, ARM_PLATFORM)}],"annotations":{"a":"\\u003cb\\u003e","team":"rockets"}}`,
    );
  });

  it('create over an index nests it (no platform); with no sources the list is empty', async () => {
    const v1 = await manifestText(`${repo}:v1`);
    await ok('manifest', 'index', 'create', `${repo}:nested`, 'v1');
    expect(await manifestText(`${repo}:nested`)).toBe(
      `{"schemaVersion":2,"mediaType":"${INDEX}","manifests":[{"mediaType":"${INDEX}","digest":"${digestOf(Buffer.from(v1))}","size":${Buffer.byteLength(v1)}}]}`,
    );
    await ok('manifest', 'index', 'create', `${repo}:empty`);
    expect(await manifestText(`${repo}:empty`)).toBe(`{"schemaVersion":2,"mediaType":"${INDEX}","manifests":[]}`);
  });

  it('--output - prints the index alone (one line, no line end; --pretty indents) and pushes nothing', async () => {
    const line = await ok('manifest', 'index', 'create', `${repo}:never`, 'linux-amd64', '--output', '-');
    expect(line).toBe(`{"schemaVersion":2,"mediaType":"${INDEX}","manifests":[${entry(amd, amdSize, AMD_PLATFORM)}]}`);
    const pretty = await ok('manifest', 'index', 'create', `${repo}:never`, 'linux-amd64', '--output', '-', '--pretty');
    expect(pretty).toBe(`${JSON.stringify(JSON.parse(line), null, 2)}\n`);
    expect((await oras('resolve', `${repo}:never`)).code).toBe(1);
  });

  it('--output FILE writes the index there (never indented), prints the lines but Pushed, and pushes nothing', async () => {
    const out = await ok('manifest', 'index', 'create', `${repo}:never`, 'linux-amd64', '--output', 'index.json', '--pretty');
    const written = await readFile(path.join(cwd, 'index.json'), 'utf8');
    const digest = digestOf(Buffer.from(written));
    expect(written).toBe(`{"schemaVersion":2,"mediaType":"${INDEX}","manifests":[${entry(amd, amdSize, AMD_PLATFORM)}]}`);
    expect(out).toBe(['Fetching  linux-amd64', `Fetched   ${amd} linux-amd64`, `Packed    ${digest.slice(7, 19)} ${INDEX}`, `Digest: ${digest}`, ''].join('\n'));
    expect((await oras('resolve', `${repo}:never`)).code).toBe(1);
  });

  it('--format json and go-template (ours): the descriptor, reference, entries and tags, no status lines', async () => {
    const out = JSON.parse(await ok('manifest', 'index', 'create', `${repo}:j1,j2`, 'linux-amd64', 'linux-arm64', '--format', 'json'));
    expect(Object.keys(out)).toEqual(['reference', 'mediaType', 'digest', 'size', 'manifests', 'tags']);
    expect(out.reference).toBe(`${repo}@${out.digest}`);
    expect(out.tags).toEqual(['j1', 'j2']);
    expect(out.manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
    const archs = await ok('manifest', 'index', 'create', `${repo}:j3`, 'linux-amd64', 'linux-arm64', '--format', 'go-template={{range .manifests}}{{.platform.architecture}} {{end}}');
    expect(archs).toBe('amd64 arm64 ');
    expect(await failure('manifest', 'index', 'create', `${repo}:j4`, 'linux-amd64', '--format', 'json', '--output', '-')).toBe('Error: --output - cannot be used with --format json at the same time\n');
  });

  it('errors: a missing source is named, a bad source or artifact type says what is wrong; exit 1', async () => {
    expect(await failure('manifest', 'index', 'create', `${repo}:bad`, 'linux-amd64', 'does-not-exist')).toMatch(/^Error: could not find the manifest does-not-exist: /);
    expect(await failure('manifest', 'index', 'create', `${repo}:bad`, 'bad tag!')).toMatch(/^Error: .*tag "bad tag!" may hold only letters/);
    expect(await failure('manifest', 'index', 'create', `${repo}:bad`, `${registry.host}/other/repo:v1`)).toMatch(/is not in .*multi\/hello: an index lists manifests of its own repository/);
    expect(await failure('manifest', 'index', 'create', `${repo}:bad`, '--artifact-type', 'invalid')).toMatch(/^Error: .*artifact type/);
    expect(await failure('manifest', 'index', 'create', `${repo}:bad`, '-a', 'foo:bar')).toMatch(/has no "="/);
    expect((await oras('resolve', `${repo}:bad`)).code).toBe(1);
  });

  it('a full reference into the same repository is a source, shown as typed', async () => {
    const out = await ok('manifest', 'index', 'create', `${repo}:full`, `${repo}:linux-amd64`);
    expect(out).toContain(`Fetching  ${repo}:linux-amd64\nFetched   ${amd} ${repo}:linux-amd64\n`);
  });

  it('create --oci-layout: sources from the layout, the index pushed into it', async () => {
    await ok('push', '--oci-layout', 'layout:linux-amd64', 'hi.txt', '--config', `amd64.json:${IMAGE_CONFIG}`);
    const out = await ok('manifest', 'index', 'create', '--oci-layout', 'layout:v1', 'linux-amd64');
    expect(out).toMatch(/^Fetching {2}linux-amd64\nFetched {3}sha256:[a-f0-9]{64} linux-amd64\nPacked {4}[a-f0-9]{12} application\/vnd\.oci\.image\.index\.v1\+json\nPushed {4}\[oci-layout\] layout:v1\nDigest: sha256:[a-f0-9]{64}\n$/);
    const index = JSON.parse(await ok('manifest', 'fetch', '--oci-layout', 'layout:v1'));
    expect(index.manifests[0].platform).toEqual({ architecture: 'amd64', os: 'linux' });
  });
});

describe('manifest index update', () => {
  it('update: --remove, --add and --tag as ORAS prints them; the tag moves to the new index', async () => {
    await ok('manifest', 'index', 'create', `${repo}:u1`, 'linux-amd64', 'linux-arm64');
    const before = digestOf(Buffer.from(await manifestText(`${repo}:u1`)));
    const out = await ok('manifest', 'index', 'update', `${repo}:u1`, '--remove', amd, '--add', 'linux-amd64', '--tag', 'u2');
    const text = await manifestText(`${repo}:u1`);
    const digest = digestOf(Buffer.from(text));
    expect(text).toBe(`{"schemaVersion":2,"mediaType":"${INDEX}","manifests":[${entry(arm, armSize, ARM_PLATFORM)},${entry(amd, amdSize, AMD_PLATFORM)}]}`);
    expect(out).toBe(
      [
        'Fetching  u1',
        `Fetched   ${before} u1`,
        `Removed   ${amd}`,
        'Fetching  linux-amd64',
        `Fetched   ${amd} linux-amd64`,
        `Added     ${amd} linux-amd64`,
        `Updated   ${digest}`,
        `Pushed    [registry] ${repo}:u1`,
        'Tagged u2',
        `Digest: ${digest}`,
        '',
      ].join('\n'),
    );
    expect(await manifestText(`${repo}:u2`)).toBe(text);
  });

  it('update --merge appends the entries of another index; by digest it pushes by digest', async () => {
    await ok('manifest', 'index', 'create', `${repo}:only-amd`, 'linux-amd64');
    await ok('manifest', 'index', 'create', `${repo}:only-arm`, 'linux-arm64');
    const base = digestOf(Buffer.from(await manifestText(`${repo}:only-arm`)));
    const other = digestOf(Buffer.from(await manifestText(`${repo}:only-amd`)));
    const out = await ok('manifest', 'index', 'update', `${repo}@${base}`, '--merge', 'only-amd');
    const digest = /^Digest: (sha256:[a-f0-9]{64})$/m.exec(out)![1]!;
    expect(out).toBe(
      [`Fetching  ${base}`, `Fetched   ${base}`, 'Fetching  only-amd', `Fetched   ${other} only-amd`, `Merged    ${other} only-amd`, `Updated   ${digest}`, `Pushed    [registry] ${repo}`, `Digest: ${digest}`, ''].join('\n'),
    );
    expect(await manifestText(`${repo}@${digest}`)).toBe(`{"schemaVersion":2,"mediaType":"${INDEX}","manifests":[${entry(arm, armSize, ARM_PLATFORM)},${entry(amd, amdSize, AMD_PLATFORM)}]}`);
    expect(await manifestText(`${repo}:only-arm`)).not.toContain(amd);
  });

  it('update --artifact-type sets it, "" removes it; --output - prints the index alone and pushes nothing', async () => {
    await ok('manifest', 'index', 'create', `${repo}:typed`, 'linux-amd64', '--artifact-type', 'application/vnd.example.old');
    const printed = await ok('manifest', 'index', 'update', `${repo}:typed`, '--artifact-type', '', '--output', '-');
    expect(printed).toBe(`{"schemaVersion":2,"mediaType":"${INDEX}","manifests":[${entry(amd, amdSize, AMD_PLATFORM)}]}`);
    expect(await manifestText(`${repo}:typed`)).toContain('"artifactType":"application/vnd.example.old"');
    await ok('manifest', 'index', 'update', `${repo}:typed`, '--artifact-type', 'application/vnd.example.new');
    expect(await manifestText(`${repo}:typed`)).toContain('"artifactType":"application/vnd.example.new"');
  });

  it('update: nothing asked is not an error; mistakes are named, exit 1', async () => {
    expect(await ok('manifest', 'index', 'update', `${repo}:u1`)).toBe('Nothing to update as no change is requested\n');
    expect(await failure('manifest', 'index', 'update', `${repo}:u1`, '--tag', 'x', '--output', 'f.json')).toBe('Error: --tag, --output cannot be used at the same time\n');
    expect(await failure('manifest', 'index', 'update', `${repo}:u1`, '--remove', 'latest')).toMatch(/"latest" is not a digest/);
    expect(await failure('manifest', 'index', 'update', repo, '--add', 'linux-amd64')).toMatch(/no tag or digest specified/);
    expect(await failure('manifest', 'index', 'update', `${repo}:does-not-exist`, '--add', 'linux-amd64')).toMatch(/^Error: could not find the index does-not-exist: /);
    expect(await failure('manifest', 'index', 'update', `${repo}:u1`, '--add', 'does-not-exist')).toMatch(/^Error: could not find the manifest does-not-exist: /);
    expect(await failure('manifest', 'index', 'update', `${repo}:u1`, '--merge', 'linux-amd64')).toMatch(/^Error: linux-amd64 is not an index: it is a application\/vnd\.oci\.image\.manifest\.v1\+json/);
    expect(await failure('manifest', 'index', 'update', `${repo}:u1`, '--remove', `sha256:${'0'.repeat(64)}`)).toMatch(/does not exist in the index u1/);
    expect(await failure('manifest', 'index', 'update', `${repo}:linux-amd64`, '--add', 'linux-arm64')).toMatch(/linux-amd64 is not an index/);
  });

  it('help: create has the alias pack; update lists --tag', async () => {
    expect(await ok('manifest', 'index', 'create', '--help')).toMatch(/Aliases?: .*pack|create\|pack/);
    expect(await ok('manifest', 'index', 'update', '--help')).toContain('--tag <tag>');
  });
});
