import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowseTargets, LAYOUT_DEPTH } from './targets';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'oras-targets-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const layout = async (...parts: string[]) => {
  const folder = path.join(root, ...parts);
  await mkdir(path.join(folder, 'blobs', 'sha256'), { recursive: true });
  await writeFile(path.join(folder, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(path.join(folder, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
};

const targets = (connection: () => Promise<{ plainHttp?: boolean } | undefined> = vi.fn(async () => undefined)) => new BrowseTargets({ localRoot: root, connection, credentials: async () => undefined });

describe('BrowseTargets', () => {
  it('lists the folders holding an oci-layout file as repositories, sorted, skipping names no reference could address', async () => {
    await layout('team-b', 'web');
    await layout('team-a', 'app');
    await layout('team-a', 'tools', 'cli');
    await layout('Upper', 'case');
    await mkdir(path.join(root, 'empty', 'folder'), { recursive: true });
    // An old root-level oci-layout file is no repository.
    await writeFile(path.join(root, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    expect(await targets().localRepositories()).toEqual(['team-a/app', 'team-a/tools/cli', 'team-b/web']);
  });

  it(`looks no deeper than ${LAYOUT_DEPTH} levels`, async () => {
    const deep = Array.from({ length: LAYOUT_DEPTH + 1 }, (_, i) => `d${i}`);
    await layout(...deep);
    await layout(...deep.slice(0, LAYOUT_DEPTH));
    expect(await targets().localRepositories()).toEqual([deep.slice(0, LAYOUT_DEPTH).join('/')]);
  });

  it('answers NOT_FOUND for a local repository without a layout, and creates nothing', async () => {
    await expect(targets().open('local', 'no/such')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await readdir(root)).toEqual([]);
    await expect(targets().open('local', '../escape')).rejects.toMatchObject({ code: 'INVALID_REFERENCE' });
  });

  it('opens one Registry per host with its saved options, and reopens it after forget', async () => {
    const connection = vi.fn(async () => ({ plainHttp: true }));
    const t = targets(connection);
    const a = await t.registry('registry.example:5000');
    expect(await t.registry('registry.example:5000')).toBe(a);
    expect(connection).toHaveBeenCalledTimes(1);
    expect(a.client.baseUrl.protocol).toBe('http:');
    await t.forget('registry.example:5000');
    expect(await t.registry('registry.example:5000')).not.toBe(a);
    expect(connection).toHaveBeenCalledTimes(2);
    await t.dispose();
  });
});
