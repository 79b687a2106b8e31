import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from '../src/cli/testing/test-io';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * The README's "Parity with ORAS 1.3" table, kept honest: every row marked "same" is a
 * test here that runs the command against the real registry and checks the shape ORAS
 * 1.3's sources define (cmd/oras/internal/display/metadata/model for the JSON keys and
 * their order, text/ and table/ for the lines, option/ for the flags), exit status
 * included. Each `it` names its row.
 */

const tempDir = useTempDirs('oras-parity-');
let registry: Registry;
let cwd: string;
let repo: string;
let manifestDigest: string;

const { oras, ok } = cliIn(() => cwd);

/** DESCRIPTOR_KEYS: model.Descriptor's keys in the order Go marshals them (annotations and artifactType when set). */
const DESCRIPTOR_KEYS = ['reference', 'mediaType', 'digest', 'size'];

beforeAll(async () => {
  registry = await startRegistry();
  cwd = await tempDir();
  repo = `${registry.host}/parity/hello`;
  await writeFile(path.join(cwd, 'hi.txt'), 'hello');
  await writeFile(path.join(cwd, 'sbom.json'), '{"sbom":true}');
  const pushed = JSON.parse(await ok('push', `${repo}:v1,latest`, 'hi.txt:text/plain', '--artifact-type', 'application/vnd.example', '-a', 'team=rockets', '--format', 'json')) as { digest: string };
  manifestDigest = pushed.digest;
  await ok('attach', `${repo}:v1`, 'sbom.json:application/json', '--artifact-type', 'application/vnd.example.sbom', '-a', 'kind=sbom');
}, 60_000);
afterAll(() => registry?.stop());

describe('--format json: the same keys as ORAS 1.3', () => {
  it('push: reference, descriptor, annotations, artifactType, referenceAsTags sorted', async () => {
    const out = JSON.parse(await ok('push', `${repo}:b,a`, 'hi.txt', '-a', 'x=y', '--artifact-type', 'application/vnd.example', '--format', 'json'));
    expect(Object.keys(out)).toEqual([...DESCRIPTOR_KEYS, 'annotations', 'artifactType', 'referenceAsTags']);
    expect(out.referenceAsTags).toEqual([`${repo}:a`, `${repo}:b`]);
  });

  it('pull: reference and files, each file with its absolute path and descriptor', async () => {
    const out = JSON.parse(await ok('pull', `${repo}:v1`, '-o', 'pulled', '--format', 'json'));
    expect(Object.keys(out)).toEqual(['reference', 'files']);
    expect(out.reference).toBe(`${repo}@${manifestDigest}`);
    expect(Object.keys(out.files[0])).toEqual(['path', ...DESCRIPTOR_KEYS, 'annotations']);
    expect(out.files[0].path).toBe(path.join(cwd, 'pulled', 'hi.txt'));
  });

  it('attach: the descriptor with its reference', async () => {
    const out = JSON.parse(await ok('attach', `${repo}:v1`, '--artifact-type', 'application/vnd.example.note', '-a', 'note=1', '--format', 'json'));
    expect(Object.keys(out)).toEqual([...DESCRIPTOR_KEYS, 'annotations', 'artifactType']);
  });

  it('discover: referrers nested under referrers', async () => {
    const out = JSON.parse(await ok('discover', `${repo}:v1`, '--format', 'json', '--artifact-type', 'application/vnd.example.sbom'));
    expect(Object.keys(out).slice(0, 4)).toEqual(DESCRIPTOR_KEYS);
    expect(Object.keys(out).at(-1)).toBe('referrers');
    expect(out.referrers).toHaveLength(1);
    expect(Object.keys(out.referrers[0])).toEqual([...DESCRIPTOR_KEYS, 'annotations', 'artifactType', 'referrers']);
    expect(out.referrers[0].referrers).toEqual([]);
  });

  it('repo ls: registry and full repository names; repo tags: tags', async () => {
    expect(JSON.parse(await ok('repo', 'ls', `${registry.host}/parity`, '--format', 'json'))).toEqual({ registry: registry.host, repositories: ['parity/hello'] });
    const tags = JSON.parse(await ok('repo', 'tags', repo, '--format', 'json'));
    expect(Object.keys(tags)).toEqual(['tags']);
    expect(tags.tags).toContain('v1');
  });

  it('manifest fetch: the descriptor with its reference and the content', async () => {
    const out = JSON.parse(await ok('manifest', 'fetch', `${repo}:v1`, '--format', 'json'));
    expect(Object.keys(out).slice(0, 4)).toEqual(DESCRIPTOR_KEYS);
    expect(Object.keys(out).at(-1)).toBe('content');
    expect(out.content.layers[0].annotations['org.opencontainers.image.title']).toBe('hi.txt');
  });
});

describe('--format go-template and --template', () => {
  it('print the template over the JSON model, with no newline added', async () => {
    expect(await ok('push', `${repo}:t1`, 'hi.txt', '--format', 'go-template={{.digest}}')).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await ok('pull', `${repo}:v1`, '-o', 'tpl', '--format', 'go-template', '--template', '{{range .files}}{{.path}}{{end}}')).toBe(path.join(cwd, 'tpl', 'hi.txt'));
    expect(await ok('attach', `${repo}:v1`, '--artifact-type', 'application/vnd.example.t', '-a', 'a=b', '--format', 'go-template={{.artifactType}}')).toBe('application/vnd.example.t');
    expect(await ok('discover', `${repo}:v1`, '--artifact-type', 'application/vnd.example.sbom', '--format', 'go-template={{range .referrers}}{{index .annotations "kind"}}{{end}}')).toBe('sbom');
    expect(await ok('resolve', `${repo}:v1`, '--format', 'go-template={{.digest}}')).toBe(manifestDigest);
    expect(await ok('repo', 'ls', registry.host, '--format', 'go-template={{join "," .repositories}}')).toBe('parity/hello');
    expect(await ok('repo', 'tags', repo, '--format', 'go-template={{if .tags}}some{{end}}')).toBe('some');
    expect(await ok('manifest', 'fetch', `${repo}:v1`, '--format', 'go-template={{(index .content.layers 0).size}} {{toJson .content.config.mediaType}}')).toBe('5 "application/vnd.oci.empty.v1+json"');
  });

  it('a template mistake, a template without go-template, or go-template without one: exit 1 before any request', async () => {
    const bad = await oras('push', `${repo}:never`, 'hi.txt', '--format', 'go-template={{.digest');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('Error: --template: template:1:1: unclosed action\n');
    const alone = await oras('resolve', `${repo}:v1`, '--template', '{{.digest}}');
    expect([alone.code, alone.stderr]).toEqual([1, 'Error: --template must be used with --format go-template\n']);
    const empty = await oras('resolve', `${repo}:v1`, '--format', 'go-template');
    expect([empty.code, empty.stderr]).toEqual([1, expect.stringMatching(/"go-template" format specified but no template given/)]);
    expect((await oras('resolve', `${repo}:never`)).code).toBe(1);
  });
});

describe('discover views', () => {
  it('table: count with the reference as typed, Digest line, Artifact Type then Digest', async () => {
    const result = await oras('discover', `${repo}:v1`, '--format', 'table', '--artifact-type', 'application/vnd.example.sbom');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('Format "table" is deprecated and will be removed in a future release.\n');
    const lines = result.stdout.split('\n');
    // fmt.Println(key, padding, value) with the column as wide as the longest type.
    const width = 'application/vnd.example.sbom'.length;
    expect(lines.slice(0, 4)).toEqual([
      `Discovered 1 artifact referencing ${repo}:v1`,
      `Digest: ${manifestDigest}`,
      '',
      `Artifact Type ${' '.repeat(width - 'Artifact Type'.length + 1)} Digest`,
    ]);
    expect(lines[4]).toMatch(/^application\/vnd\.example\.sbom   sha256:[a-f0-9]{64}$/);
  });

  it('tree: subject, artifact type, digest, then its [annotations]', async () => {
    const lines = (await ok('discover', `${repo}:v1`, '--artifact-type', 'application/vnd.example.sbom')).split('\n');
    expect(lines[0]).toBe(`${repo}@${manifestDigest}`);
    expect(lines[1]).toBe('└── application/vnd.example.sbom');
    expect(lines[2]).toMatch(/^ {4}└── sha256:[a-f0-9]{64}$/);
    expect(lines[3]).toBe('        └── [annotations]');
    expect(lines[4]).toBe('            ├── kind: sbom');
    expect(lines[5]).toMatch(/^ {12}└── org\.opencontainers\.image\.created: "\d{4}-\d\d-\d\dT[\d:.]+Z"$/);
  });
});

describe('--descriptor and --pretty', () => {
  it('manifest fetch --descriptor is one line with no line end; --pretty indents and ends it', async () => {
    const one = await ok('manifest', 'fetch', `${repo}:v1`, '--descriptor');
    expect(one).not.toContain('\n');
    expect(Object.keys(JSON.parse(one)).slice(0, 3)).toEqual(['mediaType', 'digest', 'size']);
    const pretty = await ok('manifest', 'fetch', `${repo}:v1`, '--descriptor', '--pretty');
    expect(pretty.endsWith('}\n')).toBe(true);
    expect(pretty.split('\n').length).toBeGreaterThan(3);
    expect((await oras('manifest', 'fetch', `${repo}:v1`, '--format', 'json', '--descriptor')).code).toBe(1);
  });

  it('blob fetch and manifest fetch-config --descriptor: one line; fetch-config --pretty indents the config', async () => {
    const manifest = JSON.parse(await ok('manifest', 'fetch', `${repo}:v1`));
    const layer = manifest.layers[0].digest as string;
    const blob = await ok('blob', 'fetch', `${repo}@${layer}`, '--descriptor');
    expect(blob).not.toContain('\n');
    expect(JSON.parse(blob)).toMatchObject({ digest: layer, size: 5 });
    expect((await ok('blob', 'fetch', `${repo}@${layer}`, '--descriptor', '--pretty')).endsWith('}\n')).toBe(true);
    expect((await oras('blob', 'fetch', `${repo}@${layer}`, '--descriptor', '-o', '-')).code).toBe(1);
    const config = await ok('manifest', 'fetch-config', `${repo}:v1`, '--descriptor');
    expect(JSON.parse(config)).toMatchObject({ mediaType: 'application/vnd.oci.empty.v1+json', size: 2 });
    expect(config).not.toContain('\n');
    expect(await ok('manifest', 'fetch-config', `${repo}:v1`, '--pretty')).toBe('{}\n');
  });

  it('blob push --descriptor: one line, ORAS’s default media type; manifest push --descriptor: one line', async () => {
    const blob = JSON.parse(await ok('blob', 'push', repo, 'hi.txt', '--descriptor'));
    expect(blob).toEqual({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: expect.stringMatching(/^sha256:/), size: 5 });
    await writeFile(path.join(cwd, 'fresh.bin'), 'fresh');
    const text = await ok('blob', 'push', repo, 'fresh.bin');
    expect(text).toMatch(new RegExp(`^Uploading [a-f0-9]{12} application/vnd\\.oci\\.image\\.layer\\.v1\\.tar\\nUploaded  [a-f0-9]{12} application/vnd\\.oci\\.image\\.layer\\.v1\\.tar\\nPushed: \\[registry\\] ${repo}\\nDigest: sha256:[a-f0-9]{64}\\n$`));
    await writeFile(path.join(cwd, 'manifest.json'), await ok('manifest', 'fetch', `${repo}:v1`));
    const pushed = await ok('manifest', 'push', `${repo}:copy`, 'manifest.json', '--descriptor');
    expect(pushed).not.toContain('\n');
    expect(JSON.parse(pushed).digest).toBe(manifestDigest);
  });
});

describe('deletes', () => {
  it('manifest delete -f and blob delete -f of something missing: Missing, exit 0; without -f: exit 1', async () => {
    expect(await ok('manifest', 'delete', '-f', `${repo}:gone`)).toBe(`Missing ${repo}:gone\n`);
    const absent = `${repo}@sha256:${'0'.repeat(64)}`;
    expect(await ok('blob', 'delete', '-f', absent)).toBe(`Missing ${absent}\n`);
    const manifest = await oras('manifest', 'delete', '-f', '--descriptor', `${repo}:gone`);
    expect(manifest.code).toBe(1);
    expect(manifest.stderr).toContain(`${repo}:gone: the specified manifest does not exist`);
  });

  it('Deleted [registry] <reference as typed>; --descriptor prints what was deleted', async () => {
    await ok('push', `${repo}:doomed`, 'sbom.json');
    expect(await ok('manifest', 'remove', '-f', `${repo}:doomed`)).toBe(`Deleted [registry] ${repo}:doomed\n`);
    await writeFile(path.join(cwd, 'lonely.bin'), 'lonely');
    const blob = JSON.parse(await ok('blob', 'push', repo, 'lonely.bin', '--descriptor'));
    const deleted = await ok('blob', 'rm', '-f', '--descriptor', `${repo}@${blob.digest}`);
    expect(JSON.parse(deleted)).toMatchObject({ digest: blob.digest, size: 6 });
  });
});

describe('--platform', () => {
  it('on resolve, manifest fetch, fetch-config, discover, attach and cp picks that platform of an index', async () => {
    const digests: Record<string, { digest: string; size: number; mediaType: string }> = {};
    for (const arch of ['amd64', 'arm64']) {
      await writeFile(path.join(cwd, `config-${arch}.json`), JSON.stringify({ architecture: arch, os: 'linux' }));
      const out = JSON.parse(await ok('push', `${repo}:${arch}`, 'hi.txt', '--config', `config-${arch}.json:application/vnd.oci.image.config.v1+json`, '--format', 'json'));
      digests[arch] = { digest: out.digest, size: out.size, mediaType: out.mediaType };
    }
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: ['amd64', 'arm64'].map((arch) => ({ ...digests[arch], platform: { architecture: arch, os: 'linux' } })),
    };
    await writeFile(path.join(cwd, 'index.json'), JSON.stringify(index));
    await ok('manifest', 'push', `${repo}:multi`, 'index.json');

    expect(await ok('resolve', `${repo}:multi`, '--platform', 'linux/arm64')).toBe(`${digests.arm64!.digest}\n`);
    expect(JSON.parse(await ok('manifest', 'fetch', `${repo}:multi`, '--platform', 'linux/amd64', '--descriptor')).digest).toBe(digests.amd64!.digest);
    expect(JSON.parse(await ok('manifest', 'fetch-config', `${repo}:multi`, '--platform', 'linux/arm64'))).toEqual({ architecture: 'arm64', os: 'linux' });
    await ok('attach', `${repo}:multi`, '--platform', 'linux/arm64', '--artifact-type', 'application/vnd.example.arm-note', '-a', 'k=v');
    const arm = JSON.parse(await ok('discover', `${repo}:multi`, '--platform', 'linux/arm64', '--format', 'json'));
    expect(arm.digest).toBe(digests.arm64!.digest);
    expect(arm.referrers.map((r: { artifactType: string }) => r.artifactType)).toEqual(['application/vnd.example.arm-note']);
    await ok('cp', `${repo}:multi`, `${registry.host}/parity/amd:only`, '--platform', 'linux/amd64');
    expect(await ok('resolve', `${registry.host}/parity/amd:only`)).toBe(`${digests.amd64!.digest}\n`);

    const missing = await oras('resolve', `${repo}:multi`, '--platform', 'linux/s390x');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no manifest for platform linux\/s390x .*it has linux\/amd64, linux\/arm64/);
    expect((await oras('resolve', `${repo}:multi`, '--platform', 'nonsense/')).code).toBe(1);
  });
});

describe('flags, aliases, statuses and version', () => {
  it('takes the deprecated -v/--verbose and -d for --debug', async () => {
    await ok('pull', `${repo}:v1`, '-o', 'verbose', '-v');
    await ok('resolve', `${repo}:v1`, '--verbose', '-d');
    const debug = await oras('resolve', `${repo}:none`, '-d');
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/OrasError NOT_FOUND/);
  });

  it('pull replaces files that exist; -k/--keep-old-files keeps them and fails', async () => {
    await ok('pull', `${repo}:v1`, '-o', 'again');
    await writeFile(path.join(cwd, 'again', 'hi.txt'), 'mine');
    const kept = await oras('pull', `${repo}:v1`, '-o', 'again', '-k');
    expect(kept.code).toBe(1);
    expect(await readFile(path.join(cwd, 'again', 'hi.txt'), 'utf8')).toBe('mine');
    await ok('pull', `${repo}:v1`, '-o', 'again');
    expect(await readFile(path.join(cwd, 'again', 'hi.txt'), 'utf8')).toBe('hello');
  });

  it('has the aliases digest, show, remove', async () => {
    expect(await ok('digest', `${repo}:v1`)).toBe(`${manifestDigest}\n`);
    expect(JSON.parse(await ok('manifest', 'show', `${repo}:v1`)).schemaVersion).toBe(2);
  });

  it('exits 1 on usage errors', async () => {
    expect((await oras('push')).code).toBe(1);
    expect((await oras('resolve', `${repo}:v1`, '--no-such-flag')).code).toBe(1);
    expect((await oras('resolve', 'NOT/A:ref')).code).toBe(1);
  });

  it('prints the version in ORAS’s layout', async () => {
    const lines = (await ok('version')).split('\n');
    expect(lines[0]).toMatch(/^Version: {8}\d+\.\d+\.\d+/);
    expect(lines[1]).toBe(`Node version:   ${process.version}`);
    expect(lines[2]).toBe(`OS/Arch:        ${process.platform}/${process.arch}`);
  });

  it('cp and push name extra tags alone in their Tagged lines', async () => {
    const cp = await ok('cp', `${repo}:v1`, `${registry.host}/parity/copy:c1,c2`);
    expect(cp).toContain('\nTagged c2\n');
  });
});
