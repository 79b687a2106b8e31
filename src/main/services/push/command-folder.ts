import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
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
    if (entry !== name) await rm(path.join(root, entry), { recursive: true, force: true });
  }
  // Made afresh each time: a file moved since still gets a link that says where it is now.
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { mode: 0o700 });
  for (const link of links) {
    const at = await resolveWritePath(folder, link.title);
    await mkdir(path.dirname(at.path), { recursive: true });
    await symlink(link.target, at.path);
  }
  for (const helper of helpers) await writeFile(path.join(folder, helper.name), helper.text, { flag: 'wx' });
  return folder;
}
