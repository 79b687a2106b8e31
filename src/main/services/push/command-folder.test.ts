import { mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareCommandFolder } from './command-folder';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'command-folder-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('prepareCommandFolder', () => {
  it('links each file under its title, writes the helper files, and keeps the folder for the same draft', async () => {
    const file = path.join(dir, 'a.txt');
    await writeFile(file, 'a');
    const root = path.join(dir, 'commands');
    const links = [{ title: 'notes/renamed.txt', target: file }];
    const helpers = [{ name: 'annotations.json', text: '{}\n' }];
    const folder = await prepareCommandFolder(root, links, helpers);
    expect(await readlink(path.join(folder, 'notes', 'renamed.txt'))).toBe(file);
    expect(await readFile(path.join(folder, 'notes', 'renamed.txt'), 'utf8')).toBe('a');
    expect(await readFile(path.join(folder, 'annotations.json'), 'utf8')).toBe('{}\n');
    const made = (await stat(folder)).ino;
    expect(await prepareCommandFolder(root, links, helpers)).toBe(folder);
    expect((await stat(folder)).ino).toBe(made);
    // Another draft's folder replaces it.
    const other = await prepareCommandFolder(root, [{ title: 'b.txt', target: file }], []);
    expect(other).not.toBe(folder);
    await expect(stat(folder)).rejects.toThrow();
  });

  it('refuses a title that leaves the folder, and leaves no half-made folder', async () => {
    const root = path.join(dir, 'commands');
    await expect(prepareCommandFolder(root, [{ title: '../escape.txt', target: '/etc/hostname' }], [])).rejects.toThrow();
    await expect(stat(path.join(dir, 'escape.txt'))).rejects.toThrow();
    expect(await readdir(root)).toEqual([]);
  });
});
