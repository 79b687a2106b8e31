import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveWritePath } from '../../engine/content/safe-path';

/** One file of the draft as the command names it: its title, and where it really is. */
export interface CommandLink {
  title: string;
  target: string;
}

/**
 * prepareCommandFolder makes the folder the preview's `oras push` line runs in when
 * the draft's titles are not its files' own names in one folder (files dropped from two
 * folders, a title edited): a symbolic link per file, named by its title, pointing at
 * the file or folder on disk, plus the helper files the line reads. `oras` names each
 * layer by the path it is given, so in that folder the line pushes the very manifest
 * the preview shows, and nothing is copied.
 *
 * The folder is named by what it holds, so the same draft gets the same folder; the
 * folders of earlier drafts below `root` are removed. Titles were checked by the
 * draft (relative, no `..`), and are checked again here against leaving the folder.
 */
export async function prepareCommandFolder(root: string, links: readonly CommandLink[], helpers: readonly { name: string; text: string }[]): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ links, helpers }));
  const name = hash.digest('hex').slice(0, 16);
  const folder = path.join(root, name);
  await mkdir(root, { recursive: true, mode: 0o700 });
  for (const entry of await readdir(root)) {
    if (entry !== name && !entry.startsWith(`${name}.part-`)) await rm(path.join(root, entry), { recursive: true, force: true });
  }
  // The same draft asks again on every edit: its folder, named by what it holds and
  // only ever renamed into place whole, is kept (a draft of many files would otherwise
  // make all its links again each time).
  if (await isFolder(folder)) return folder;
  const building = `${folder}.part-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(building, { mode: 0o700 });
    for (const link of links) {
      const at = await resolveWritePath(building, link.title);
      await mkdir(path.dirname(at.path), { recursive: true });
      await symlink(link.target, at.path);
    }
    for (const helper of helpers) await writeFile(path.join(building, helper.name), helper.text, { flag: 'wx' });
    await rename(building, folder);
  } catch (err) {
    await rm(building, { recursive: true, force: true });
    // Another preview of the same draft finished first: its folder is the same.
    if (!(await isFolder(folder))) throw err;
  }
  return folder;
}

async function isFolder(folder: string): Promise<boolean> {
  return (await lstat(folder).catch(() => undefined))?.isDirectory() === true;
}
