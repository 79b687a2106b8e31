import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryEntry } from '../src/shared/contract';
import { orasCommand, type OrasCommand } from '../src/shared/oras-command';
import { bundleNode } from '../scripts/bundle-node.mjs';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * "The CLI run with that command gives the same result": each line `orasCommand` writes
 * is run as a person would paste it, by a real POSIX shell with an `oras` on PATH (our
 * CLI), and what it prints or saves is compared with what the registry itself serves
 * (the distribution API read with fetch) or what the OCI layout holds on disk.
 */

const exec = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const MANIFEST_TYPES = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';

const tempDir = useTempDirs('oras-command-it-');
let binDir: string;
let home: string;

/** sh runs a command line in a shell whose PATH starts with our `oras`. */
async function sh(line: string, cwd: string): Promise<{ stdout: Buffer; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('sh', ['-c', line], {
      cwd,
      encoding: 'buffer',
      env: { PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { stdout, stderr: stderr.toString('utf8') };
  } catch (error) {
    const e = error as { stderr?: Buffer; code?: number };
    throw new Error(`"${line}" failed (exit ${e.code}): ${e.stderr?.toString('utf8')}`);
  }
}

const lines = (out: Buffer): string[] => out.toString('utf8').split('\n').filter(Boolean);

async function filesIn(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(path.join(dir, name), 'utf8');
  return out;
}

beforeAll(async () => {
  // Our CLI, bundled privately (no race with other files building dist/), as `oras`.
  binDir = path.join(ROOT, 'dist', `test-oras-command-${randomBytes(4).toString('hex')}`);
  await mkdir(binDir, { recursive: true });
  await bundleNode(path.join(ROOT, 'src', 'cli', 'main.ts'), path.join(binDir, 'cli.js'));
  await writeFile(path.join(binDir, 'oras.mjs'), "import { run } from './cli.js';\nawait run();\n");
  await writeFile(path.join(binDir, 'oras'), `#!/bin/sh\nexec '${process.execPath}' '${path.join(binDir, 'oras.mjs')}' "$@"\n`);
  await chmod(path.join(binDir, 'oras'), 0o755);
  home = await tempDir();
}, 120_000);

afterAll(async () => {
  if (binDir) await rm(binDir, { recursive: true, force: true });
});

/** pushDemo pushes two files with a config, as `oras push` (the fixture, not under test). */
async function pushDemo(target: string, flags: string[] = []): Promise<{ cwd: string; files: Record<string, string> }> {
  const cwd = await tempDir();
  const files = { 'hello.txt': 'hello, registry\n', 'data.json': '{"n":1}' };
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(cwd, name), text);
  await writeFile(path.join(cwd, 'config.json'), '{"demo":true}');
  await sh(`oras push ${flags.join(' ')} ${target} hello.txt:text/plain data.json:application/json --config config.json:application/vnd.demo.config.v1+json`, cwd);
  return { cwd, files };
}

describe('orasCommand lines against a registry', () => {
  let registry: Registry;
  let entry: RegistryEntry;
  let files: Record<string, string>;
  const repository = 'team/demo';
  const where = () => ({ registry: registry.host, repository });
  const line = (command: OrasCommand) => orasCommand(command, entry)!;
  const api = (p: string, accept?: string) => fetch(`${registry.url}/v2/${p}`, accept ? { headers: { accept } } : {});

  beforeAll(async () => {
    registry = await startRegistry();
    entry = { id: registry.host, kind: 'remote', label: registry.host, options: { plainHttp: true } };
    ({ files } = await pushDemo(`${registry.host}/${repository}:v1`));
    await sh(`oras tag ${registry.host}/${repository}:v1 v2`, await tempDir());
  });
  afterAll(() => registry?.stop());

  it('repo ls and repo tags print what the catalog and tags list hold', async () => {
    const cwd = await tempDir();
    const catalog = (await (await api('_catalog')).json()) as { repositories: string[] };
    expect(lines((await sh(line({ kind: 'repo-ls', registry: registry.host }), cwd)).stdout)).toEqual(catalog.repositories);
    const tags = (await (await api(`${repository}/tags/list`)).json()) as { tags: string[] };
    expect(lines((await sh(line({ kind: 'repo-tags', ...where() }), cwd)).stdout).sort()).toEqual(tags.tags.sort());
  });

  it('manifest fetch prints the bytes the registry serves, by tag and by digest', async () => {
    const cwd = await tempDir();
    const served = await api(`${repository}/manifests/v1`, MANIFEST_TYPES);
    const bytes = Buffer.from(await served.arrayBuffer());
    const digest = served.headers.get('docker-content-digest')!;
    expect((await sh(line({ kind: 'manifest-fetch', ...where(), reference: 'v1' }), cwd)).stdout.equals(bytes)).toBe(true);
    expect((await sh(line({ kind: 'manifest-fetch', ...where(), reference: digest }), cwd)).stdout.equals(bytes)).toBe(true);
  });

  it('blob fetch saves the bytes of the blob, under the name given', async () => {
    const cwd = await tempDir();
    const manifest = (await (await api(`${repository}/manifests/v1`, MANIFEST_TYPES)).json()) as { layers: { digest: string; annotations: Record<string, string> }[] };
    for (const layer of manifest.layers) {
      const title = layer.annotations['org.opencontainers.image.title']!;
      await sh(line({ kind: 'blob-fetch', ...where(), digest: layer.digest, output: `got ${title}` }), cwd);
      const served = Buffer.from(await (await api(`${repository}/blobs/${layer.digest}`)).arrayBuffer());
      expect(await readFile(path.join(cwd, `got ${title}`))).toEqual(served);
      expect(served.toString('utf8')).toBe(files[title]);
    }
  });

  it('pull writes every file of the artifact', async () => {
    const cwd = await tempDir();
    await sh(line({ kind: 'pull', ...where(), reference: 'v2', output: 'pulled files' }), cwd);
    expect(await filesIn(path.join(cwd, 'pulled files'))).toEqual(files);
  });

  it('discover lists the referrers the registry has (tag schema)', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'sig.txt'), 'signed');
    await sh(`oras attach --artifact-type application/vnd.demo.signature ${registry.host}/${repository}:v1 sig.txt:text/plain`, cwd);
    const digest = (await api(`${repository}/manifests/v1`, MANIFEST_TYPES)).headers.get('docker-content-digest')!;
    // Debian's registry has no referrers API: the referrers live in the tag schema's index.
    const referrers = (await (await api(`${repository}/manifests/${digest.replace(':', '-')}`, MANIFEST_TYPES)).json()) as { manifests: { digest: string }[] };
    expect(referrers.manifests).toHaveLength(1);
    const out = (await sh(line({ kind: 'discover', ...where(), reference: digest }), cwd)).stdout.toString('utf8');
    expect(out).toContain(referrers.manifests[0]!.digest);
    expect(out).toContain('application/vnd.demo.signature');
  });

  it('tag and manifest delete change what the registry serves', async () => {
    const cwd = await tempDir();
    const digest = (await api(`${repository}/manifests/v1`, MANIFEST_TYPES)).headers.get('docker-content-digest')!;
    await sh(line({ kind: 'tag', ...where(), reference: digest, tags: ['v3', 'stable'] }), cwd);
    const tags = (await (await api(`${repository}/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags).toEqual(expect.arrayContaining(['v1', 'v2', 'v3', 'stable']));
    await sh(line({ kind: 'manifest-delete', ...where(), reference: digest, force: true }), cwd);
    expect((await api(`${repository}/manifests/${digest}`, MANIFEST_TYPES)).status).toBe(404);
  });
});

describe('orasCommand lines against the local store (OCI layout folders)', () => {
  let root: string;
  let entry: RegistryEntry;
  let files: Record<string, string>;
  const where = { registry: 'local', repository: 'team/demo' };
  const line = (command: OrasCommand) => orasCommand(command, entry)!;

  beforeAll(async () => {
    // A data folder with a space, as on macOS ("Application Support"): the lines quote it.
    root = path.join(await tempDir(), 'Application Support', 'oci-layout');
    await mkdir(root, { recursive: true });
    entry = { id: 'local', kind: 'local', label: 'Local OCI layout', path: root, options: {} };
    ({ files } = await pushDemo(`'${path.join(root, 'team/demo')}:v1'`, ['--oci-layout']));
  });

  const layoutIndex = async () =>
    JSON.parse(await readFile(path.join(root, 'team/demo', 'index.json'), 'utf8')) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
  const layoutBlob = (digest: string) => readFile(path.join(root, 'team/demo', 'blobs', ...digest.split(':')));

  it('repo tags lists the tags of the layout, and there is no line for listing layouts', async () => {
    expect(orasCommand({ kind: 'repo-ls', registry: 'local' }, entry)).toBeUndefined();
    const tags = (await layoutIndex()).manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name']).filter(Boolean);
    expect(lines((await sh(line({ kind: 'repo-tags', ...where }), await tempDir())).stdout)).toEqual(tags);
  });

  it('manifest fetch, blob fetch and pull give the layout’s bytes and files', async () => {
    const cwd = await tempDir();
    const digest = (await layoutIndex()).manifests[0]!.digest;
    const bytes = await layoutBlob(digest);
    expect((await sh(line({ kind: 'manifest-fetch', ...where, reference: 'v1' }), cwd)).stdout.equals(bytes)).toBe(true);
    const manifest = JSON.parse(bytes.toString('utf8')) as { layers: { digest: string }[] };
    await sh(line({ kind: 'blob-fetch', ...where, digest: manifest.layers[0]!.digest, output: 'first' }), cwd);
    expect(await readFile(path.join(cwd, 'first'))).toEqual(await layoutBlob(manifest.layers[0]!.digest));
    await sh(line({ kind: 'pull', ...where, reference: digest, output: 'out' }), cwd);
    expect(await filesIn(path.join(cwd, 'out'))).toEqual(files);
  });
});
