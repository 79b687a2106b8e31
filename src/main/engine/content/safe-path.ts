import type { Stats } from 'node:fs';
import { lstat, mkdir, readlink, realpath, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { OrasError } from '../errors';
import { fsError, isNotFound } from './fs-error';

/*
 * Path safety for content written from untrusted descriptors and archives. A title or
 * a tar entry name comes from whoever pushed the artifact; pulling must never write
 * outside the chosen folder (CVE-2021-21272, oras' own "path traversal on pull";
 * oras-go GHSA-8xwf-rjm4-xvhv for the symlink variant).
 */

/** Separators a name is split on for safety checks: both, so `..\x` is refused everywhere. */
const ANY_SEPARATOR = /[\\/]+/;

function unsafe(message: string): OrasError {
  return new OrasError('UNSAFE_PATH', message);
}

/** isAbsoluteAnywhere: absolute on POSIX or Windows, including `C:x` drive-relative names. */
export function isAbsoluteAnywhere(name: string): boolean {
  return path.posix.isAbsolute(name) || path.win32.isAbsolute(name) || /^[A-Za-z]:/.test(name);
}

/**
 * isPlainFileName: a name that is one file in the folder itself, nothing else: no
 * separator of either kind, not `.` or `..`, no NUL, not a drive (`C:`), not empty.
 */
export function isPlainFileName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[\\/\0]/.test(name) && !isAbsoluteAnywhere(name);
}

/**
 * checkRelativeName refuses names that are empty, absolute, hold NUL, or climb out
 * with `..`; `what` names the thing in the error (`title "../x"`).
 */
export function checkRelativeName(name: string, what: string): void {
  if (name === '') throw unsafe(`${what} is empty`);
  if (name.includes('\0')) throw unsafe(`${what} contains a NUL character`);
  if (isAbsoluteAnywhere(name)) {
    throw unsafe(`${what} is an absolute path; refusing to write outside the destination folder`);
  }
  let depth = 0;
  for (const part of name.split(ANY_SEPARATOR)) {
    if (part === '' || part === '.') continue;
    depth += part === '..' ? -1 : 1;
    if (depth < 0) throw unsafe(`${what} climbs out of the destination folder with ".."; refusing to write it`);
  }
  if (depth === 0) throw unsafe(`${what} names the destination folder itself, not a file in it`);
}

/** isInside tells whether `target` is `root` or below it (both absolute, normalised). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** WritePath is where a title will be written, and what is there now. */
export interface WritePath {
  /** absolute path of the file or folder to write */
  path: string;
  /**
   * the folder `segments` are below: the root; for a path outside it (allowed only
   * with `allowPathTraversal`), the deepest folder on its way that exists, real path
   */
  base: string;
  /** path components below `base`: the folders to create, then the name */
  segments: string[];
  /** what exists at `path` now (never a symlink: that is refused) */
  existing?: Stats;
}

/** WritePathOptions: what a write may do beyond the usual rules. */
export interface WritePathOptions {
  /**
   * Let a title be absolute or climb out of the folder with `..`, as ORAS's
   * `--allow-path-traversal` (oras-go's `AllowPathTraversalOnWrite`). Default false.
   * Still refused: a symlink inside the folder on the way, and at the target a
   * symlink or a file with other hard links.
   */
  allowPathTraversal?: boolean;
}

/**
 * resolveWritePath checks `name` (a descriptor's title) and finds where it goes under
 * `root`, which must be a real path (no symlinks). It refuses, with UNSAFE_PATH and
 * before anything is written: absolute names, `..` escapes (both allowed with
 * `allowPathTraversal`), a path that walks through an existing symlink in the root
 * (it could point anywhere), an existing symlink at the target, and an existing file
 * with other hard links (one of them may be outside the root; replacing or writing
 * through it is not ours to decide).
 */
export async function resolveWritePath(root: string, name: string, options: WritePathOptions = {}): Promise<WritePath> {
  const what = `title ${JSON.stringify(name)}`;
  if (options.allowPathTraversal) {
    if (name === '') throw unsafe(`${what} is empty`);
    if (name.includes('\0')) throw unsafe(`${what} contains a NUL character`);
  } else {
    checkRelativeName(name, what);
  }
  const target = path.resolve(root, name);
  if (target === root) throw unsafe(`${what} names the destination folder itself, not a file in it`);
  // Replacing a folder that holds the destination (`..` with -T) would replace the destination too.
  if (isInside(target, root)) throw unsafe(`${what} names a folder that holds the destination folder; refusing to write it`);
  if (!isInside(root, target)) {
    if (!options.allowPathTraversal) throw unsafe(`${what} points outside the destination folder; refusing to write it`);
    return resolveOutside(target, what);
  }
  const segments = path.relative(root, target).split(path.sep);
  let current = root;
  for (const [i, segment] of segments.entries()) {
    current = path.join(current, segment);
    let stats: Stats;
    try {
      stats = await lstat(current);
    } catch (err) {
      if (isNotFound(err)) return { path: target, base: root, segments };
      throw fsError(err, 'inspect', current);
    }
    const shown = JSON.stringify(segments.slice(0, i + 1).join('/'));
    if (stats.isSymbolicLink()) {
      throw unsafe(`${what} goes through the symbolic link ${shown}, which may point outside the destination folder; remove the link and try again`);
    }
    if (i < segments.length - 1) {
      if (!stats.isDirectory()) {
        throw new OrasError('ALREADY_EXISTS', `cannot write ${what}: ${shown} is a file where a folder is needed`);
      }
    } else {
      if (stats.isFile() && stats.nlink > 1) {
        throw unsafe(`${what} names an existing file with other hard links (one may be outside the destination folder); remove it and try again`);
      }
      return { path: target, base: root, segments, existing: stats };
    }
  }
  return { path: target, base: root, segments };
}

/**
 * resolveOutside finds where a title outside the root goes (`allowPathTraversal`).
 * The folders on its way are the user's own, not the pushed artifact's: they are
 * followed as the system has them (symlinks too, like /tmp on macOS), from the deepest
 * one that exists; the folders missing below it are created as usual, and the target
 * itself is checked as inside the root.
 */
async function resolveOutside(target: string, what: string): Promise<WritePath> {
  const missing = [path.basename(target)];
  let folder = path.dirname(target);
  for (;;) {
    try {
      if (!(await stat(folder)).isDirectory()) throw new OrasError('ALREADY_EXISTS', `cannot write ${what}: ${folder} is a file where a folder is needed`);
      break;
    } catch (err) {
      if (!isNotFound(err)) throw err instanceof OrasError ? err : fsError(err, 'inspect', folder);
      if (path.dirname(folder) === folder) throw fsError(err, 'inspect', folder);
      missing.unshift(path.basename(folder));
      folder = path.dirname(folder);
    }
  }
  const base = await realpath(folder);
  const full = path.join(base, ...missing);
  if (missing.length > 1) return { path: full, base, segments: missing };
  let stats: Stats;
  try {
    stats = await lstat(full);
  } catch (err) {
    if (isNotFound(err)) return { path: full, base, segments: missing };
    throw fsError(err, 'inspect', full);
  }
  if (stats.isSymbolicLink()) throw unsafe(`${what} names the symbolic link ${full}; refusing to write through it`);
  if (stats.isFile() && stats.nlink > 1) throw unsafe(`${what} names an existing file with other hard links (${full}); remove it and try again`);
  return { path: full, base, segments: missing, existing: stats };
}

/**
 * ensureDirs creates the folders `segments` names below `root`, one at a time,
 * refusing any that exists as a symlink (it may have appeared since it was checked).
 * It returns the folders it created, deepest last, so a failed write can remove them.
 */
export async function ensureDirs(root: string, segments: string[]): Promise<string[]> {
  const created: string[] = [];
  let current = root;
  try {
    for (const segment of segments) {
      current = path.join(current, segment);
      try {
        await mkdir(current);
        created.push(current);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(err, 'create folder', current);
        const stats = await lstat(current);
        if (stats.isSymbolicLink()) throw unsafe(`${current} is a symbolic link; refusing to write through it`);
        if (!stats.isDirectory()) {
          throw new OrasError('ALREADY_EXISTS', `cannot create folder ${current}: a file with that name exists`);
        }
      }
    }
    return created;
  } catch (err) {
    await removeDirs(created);
    throw err;
  }
}

/** removeDirs removes folders ensureDirs created, deepest first, if they are still empty. */
export async function removeDirs(created: string[]): Promise<void> {
  for (const dir of [...created].reverse()) await rmdir(dir).catch(() => {});
}

/** The most links followed while resolving one name, like the kernel's ELOOP limit. */
const MAX_LINK_HOPS = 40;

/**
 * resolveInside resolves `target` (a symlink's text) as the file system would, from
 * the folder `base` (components below `root`), following the symlinks it meets, and
 * returns where it lands as components below `root` — or undefined if it is absolute,
 * ever climbs above `root`, or loops. Checking the text alone is not enough: with
 * `a/up -> ..`, the link `x -> a/up/..` looks like it stays inside but lands outside.
 * Components that do not exist yet are taken as written.
 */
export async function resolveInside(
  root: string,
  base: string[],
  target: string,
  budget = { hops: MAX_LINK_HOPS },
): Promise<string[] | undefined> {
  if (target === '' || isAbsoluteAnywhere(target)) return undefined;
  const stack = [...base];
  const separator = process.platform === 'win32' ? ANY_SEPARATOR : /\/+/;
  for (const part of target.split(separator)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (stack.length === 0) return undefined;
      stack.pop();
      continue;
    }
    const here = path.join(root, ...stack, part);
    let stats: Stats | undefined;
    try {
      stats = await lstat(here);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw fsError(err, 'inspect', here);
    }
    if (stats?.isSymbolicLink()) {
      budget.hops -= 1;
      if (budget.hops < 0) return undefined;
      const resolved = await resolveInside(root, stack, await readlink(here), budget);
      if (resolved === undefined) return undefined;
      stack.splice(0, stack.length, ...resolved);
    } else {
      stack.push(part);
    }
  }
  return stack;
}
