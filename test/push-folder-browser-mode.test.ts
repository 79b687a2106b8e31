import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrasApi } from '../src/shared/contract';
import type { PushDraftInput } from '../src/shared/push';
import type { BrowserMode } from '../src/main/web/browser-mode';
import { buildCliBin } from './support/cli-bin';
import { jobOutcome, startBrowserModeApp, value } from './support/browser-mode-app';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * A folder through browser mode's HTTP as the page's shim sends it: its nested files
 * uploaded by relative path into ONE staged folder, pushed to a real registry as one
 * tar+gzip layer whose entries are those paths; bad paths refused before a byte lands.
 */

const tempDir = useTempDirs('oras-push-folder-web-');
let registry: Registry;
let mode: BrowserMode;
let oras: OrasApi;

beforeAll(async () => {
  registry = await startRegistry();
  ({ mode, oras } = await startBrowserModeApp(tempDir));
}, 60_000);

afterAll(async () => {
  await mode?.close();
  await registry?.stop();
});

/** tarEntries lists a tar+gzip blob's entries: name, type and, for files, content. */
async function tarEntries(blob: Readable): Promise<Array<{ name: string; type: string; content?: string }>> {
  const entries: Array<{ name: string; type: string; content?: string }> = [];
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      entries.push({ name: header.name, type: header.type ?? 'file', ...(header.type === 'file' ? { content: Buffer.concat(chunks).toString('utf8') } : {}) });
      next();
    });
  });
  await pipeline(blob, createGunzip(), reader);
  return entries;
}

describe('push a folder in browser mode', () => {
  it('uploads nested files into one staged folder and pushes it as one tar+gzip layer of their relative paths', async () => {
    const files = [new File(['<h1>hi</h1>'], 'index.html'), new File(['p{}'], 'main.css'), new File(['deep'], 'c.txt'), new File(['loose'], 'notes.txt')];
    const progress: Array<{ index: number; sent: number }> = [];
    const staged = value(
      await oras.stageFiles(files, {
        relativePaths: ['site/index.html', 'site/css/main.css', 'site/css/a/b/c.txt', undefined],
        onProgress: ({ index, sent }) => progress.push({ index, sent }),
      }),
    );
    expect(staged).toEqual([
      { id: expect.any(String), name: 'site', size: 0, kind: 'directory' },
      { id: expect.any(String), name: 'notes.txt', size: 5, kind: 'file' },
    ]);
    // Without XMLHttpRequest (Node) the shim reports each file once it is sent.
    expect(progress).toEqual([
      { index: 0, sent: 11 },
      { index: 1, sent: 3 },
      { index: 2, sent: 4 },
      { index: 3, sent: 5 },
    ]);
    const folder = staged[0]!;
    const folderPath = mode.services.staging.resolve(folder.id).path;
    expect(path.basename(folderPath)).toBe('site');

    const draft: PushDraftInput = {
      files: [{ stagedId: folder.id, title: 'site', mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }],
      target: { registry: registry.host, repository: 'web/site', tags: ['v1'] },
      reproducible: true,
    };
    value(await oras.saveDraft({ draft }));
    const preview = value(await oras.previewPush({ draft }));
    const started = value(await oras.runPush({ draft }));
    expect(await jobOutcome(oras, started.jobId)).toMatchObject({ state: 'done', digest: preview.digest });

    const manifest = value(await oras.getManifest({ registry: registry.host, repository: 'web/site', reference: 'v1' }));
    const layers = (JSON.parse(manifest.raw) as { layers: Array<{ digest: string; mediaType: string; annotations?: Record<string, string> }> }).layers;
    expect(layers).toHaveLength(1);
    expect(layers[0]!.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(layers[0]!.annotations).toMatchObject({ 'org.opencontainers.image.title': 'site', 'io.deis.oras.content.unpack': 'true' });
    const blob = await fetch(`${registry.url}/v2/web/site/blobs/${layers[0]!.digest}`);
    expect(blob.status).toBe(200);
    const entries = await tarEntries(Readable.fromWeb(blob.body as never));
    const filesIn = entries.filter((e) => e.type === 'file').map((e) => [e.name, e.content]);
    expect(Object.fromEntries(filesIn)).toEqual({ 'site/index.html': '<h1>hi</h1>', 'site/css/main.css': 'p{}', 'site/css/a/b/c.txt': 'deep' });
    expect(entries.filter((e) => e.type === 'directory').map((e) => e.name.replace(/\/$/, ''))).toEqual(expect.arrayContaining(['site', 'site/css', 'site/css/a', 'site/css/a/b']));
    // Pushed: the draft and its uploaded folder are gone.
    expect(existsSync(folderPath)).toBe(false);
  });

  it('keeps empty folders, so a reproducible layer of the uploaded folder is the one of the folder on disk', async () => {
    // On disk: site/a.txt, site/empty/, site/deep/er/ (empty), site/deep/b.txt.
    const disk = await tempDir();
    await mkdir(path.join(disk, 'site', 'empty'), { recursive: true });
    await mkdir(path.join(disk, 'site', 'deep', 'er'), { recursive: true });
    await writeFile(path.join(disk, 'site', 'a.txt'), 'a');
    await writeFile(path.join(disk, 'site', 'deep', 'b.txt'), 'b');
    const [onDisk] = await mode.services.staging.register([path.join(disk, 'site')]);
    // The same folder as the page sends a drop of it: files by path, empty folders named.
    const [uploaded] = value(
      await oras.stageFiles([new File(['a'], 'a.txt'), new File(['b'], 'b.txt')], {
        relativePaths: ['site/a.txt', 'site/deep/b.txt'],
        emptyFolders: ['site/empty', 'site/deep/er'],
      }),
    );
    const uploadedPath = mode.services.staging.resolve(uploaded!.id).path;
    expect((await readdir(uploadedPath)).sort()).toEqual(['a.txt', 'deep', 'empty']);
    const layerOf = async (stagedId: string) => {
      const draft: PushDraftInput = {
        files: [{ stagedId, title: 'site', mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }],
        target: { registry: registry.host, repository: 'web/empty-folders', tags: ['v1'] },
        reproducible: true,
      };
      return value(await oras.previewPush({ draft })).layers[0]!.digest;
    };
    expect(await layerOf(uploaded!.id)).toBe(await layerOf(onDisk!.id));

    // A dropped folder holding nothing at all is one empty folder, too.
    const [empty] = value(await oras.stageFiles([], { emptyFolders: ['void'] }));
    expect(empty).toMatchObject({ name: 'void', kind: 'directory' });
    expect(await readdir(mode.services.staging.resolve(empty!.id).path)).toEqual([]);
  });

  it('lays files uploaded together side by side, so the preview’s `oras push` line runs where it says and gives the same digest', async () => {
    const [a, b] = value(await oras.stageFiles([new File(['alpha\n'], 'alpha.txt'), new File(['beta\n'], 'beta.txt')]));
    const draft: PushDraftInput = {
      files: [
        { stagedId: a!.id, title: 'alpha.txt', mediaType: 'text/plain' },
        { stagedId: b!.id, title: 'beta.txt', mediaType: 'text/plain' },
      ],
      annotations: { 'com.example.note': 'side by side' },
      target: { registry: registry.host, repository: 'web/side-by-side', tags: ['v1'] },
      reproducible: true,
    };
    const preview = value(await oras.previewPush({ draft }));
    const { command } = preview;
    expect(command.note).toBeUndefined();
    expect(command.prepared).toBeUndefined();
    expect(command.files).toEqual([]);
    expect(command.cwd).toBe(path.dirname(mode.services.staging.resolve(a!.id).path));
    const cli = await buildCliBin();
    try {
      const run = await cli.run(command.words.slice(1), { cwd: command.cwd!, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: await tempDir(), ...command.env } });
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(`Digest: ${preview.digest}`);
    } finally {
      await cli.remove();
    }
  });

  it('refuses a path leaving the folder, an absolute one and an unknown folder, leaving nothing staged', async () => {
    const staging = mode.services.staging.stagingDir!;
    const before = await readdir(staging);
    const upload = (headers: Record<string, string>) =>
      fetch(`${mode.server.origin}/api/upload`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-oras-token': mode.server.token, ...headers },
        body: 'x',
      }).then((r) => r.json());
    expect(await upload({ 'x-oras-folder-path': encodeURIComponent('site/../../etc/passwd') })).toMatchObject({ ok: false, error: { code: 'UNSAFE_PATH' } });
    expect(await upload({ 'x-oras-folder-path': encodeURIComponent('/etc/passwd') })).toMatchObject({ ok: false, error: { code: 'UNSAFE_PATH' } });
    expect(await upload({ 'x-oras-folder-path': encodeURIComponent('site/a\0b') })).toMatchObject({ ok: false, error: { code: 'UNSAFE_PATH' } });
    expect(await upload({ 'x-oras-folder-path': 'site%2Fa', 'x-oras-folder-id': 'not-staged' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // A folder to make is checked as strictly as a file's path.
    expect(await upload({ 'x-oras-folder-path': encodeURIComponent('site/..'), 'x-oras-folder-entry': 'directory' })).toMatchObject({ ok: false, error: { code: 'UNSAFE_PATH' } });
    expect(await upload({ 'x-oras-folder-path': encodeURIComponent('..'), 'x-oras-folder-entry': 'directory' })).toMatchObject({ ok: false, error: { code: 'UNSAFE_PATH' } });
    expect(await readdir(staging)).toEqual(before);
  });
});
