import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/testing/test-io';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * `oras pull -T/--allow-path-traversal` (ORAS 1.3's root/pull.go, oras-go's
 * AllowPathTraversalOnWrite) against the real registry: artifacts whose layer titles
 * climb out of the output folder or are absolute, pushed as hand-made manifests.
 */

const tempDir = useTempDirs('oras-flags-pull-');
let registry: Registry;
let cwd: string;

const oras = (...argv: string[]) => runCli(argv, { cwd, env: { HOME: cwd } });

async function ok(...argv: string[]): Promise<string> {
  const result = await oras(...argv);
  expect(result.code, `oras ${argv.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

const sha256 = (bytes: string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** pushTitled pushes an artifact of one text layer whose title is `title`, exactly as given. */
async function pushTitled(reference: string, title: string, content: string): Promise<void> {
  const repo = reference.split(':').slice(0, -1).join(':');
  const file = path.join(cwd, `layer-${sha256(content).slice(7, 19)}`);
  await writeFile(file, content);
  await ok('blob', 'push', repo, file);
  await ok('blob', 'push', repo, path.join(cwd, 'empty.json'), '--media-type', 'application/vnd.oci.empty.v1+json');
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: 'application/vnd.example.traversal',
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256('{}'), size: 2 },
    layers: [{ mediaType: 'text/plain', digest: sha256(content), size: Buffer.byteLength(content), annotations: { 'org.opencontainers.image.title': title } }],
  };
  const manifestFile = path.join(cwd, 'manifest.json');
  await writeFile(manifestFile, JSON.stringify(manifest));
  await ok('manifest', 'push', reference, manifestFile);
}

beforeAll(async () => {
  registry = await startRegistry();
  cwd = await tempDir();
  await writeFile(path.join(cwd, 'empty.json'), '{}');
}, 60_000);
afterAll(() => registry?.stop());

describe('pull -T/--allow-path-traversal', () => {
  it('without -T refuses a title with .., says how to allow it, and writes nothing', async () => {
    await pushTitled(`${registry.host}/t/up:v1`, '../escape.txt', 'climbed');
    const result = await oras('pull', `${registry.host}/t/up:v1`, '-o', 'out1');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('climbs out of the destination folder');
    expect(result.stderr).toContain('pull with -T (--allow-path-traversal)');
    await expect(stat(path.join(cwd, 'escape.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('with -T writes it outside the output folder, and lists it by its absolute path', async () => {
    const out = JSON.parse(await ok('pull', `${registry.host}/t/up:v1`, '-o', 'out2', '-T', '--format', 'json')) as { files: Array<{ path: string }> };
    expect(await readFile(path.join(cwd, 'escape.txt'), 'utf8')).toBe('climbed');
    expect(out.files.map((f) => f.path)).toEqual([path.join(cwd, 'escape.txt')]);
    // Again: ORAS replaces files by default, -T or not.
    await ok('pull', `${registry.host}/t/up:v1`, '-o', 'out2', '--allow-path-traversal');
  });

  it('with -T writes an absolute title where it says, creating its folders', async () => {
    const target = path.join(cwd, 'abs', 'deep', 'file.txt');
    await pushTitled(`${registry.host}/t/abs:v1`, target, 'absolute');
    const refused = await oras('pull', `${registry.host}/t/abs:v1`, '-o', 'out3');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is an absolute path');
    await ok('pull', `${registry.host}/t/abs:v1`, '-o', 'out3', '-T');
    expect(await readFile(target, 'utf8')).toBe('absolute');
  });

  it('even with -T never writes through a symlink planted in the output folder', async () => {
    await pushTitled(`${registry.host}/t/link:v1`, 'planted/x.txt', 'through the link');
    const elsewhere = path.join(cwd, 'elsewhere');
    await mkdir(path.join(cwd, 'out4'), { recursive: true });
    await mkdir(elsewhere);
    await symlink(elsewhere, path.join(cwd, 'out4', 'planted'));
    const result = await oras('pull', `${registry.host}/t/link:v1`, '-o', 'out4', '-T');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('symbolic link');
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('is in oras pull --help', async () => {
    const help = await oras('pull', '--help');
    expect(help.stdout).toContain('-T, --allow-path-traversal');
    expect(help.stdout).toContain('refused unless -T (--allow-path-traversal) is given');
  });
});
