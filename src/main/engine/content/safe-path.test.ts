import { link, mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOrasError } from '../errors';
import { checkRelativeName, ensureDirs, isInside, removeDirs, resolveInside, resolveWritePath } from './safe-path';

let root: string;
beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'safe-path-')));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('checkRelativeName', () => {
  it.each(['a.txt', 'a/b/c', './a', 'a/../b', '..a', 'a..', 'dir/'])('accepts %j', (name) => {
    expect(() => checkRelativeName(name, 'name')).not.toThrow();
  });

  it.each(['', '/etc/x', 'C:\\x', 'C:x', '\\\\server\\share', '../x', 'a/../../x', '..\\x', '.', 'a/..', 'a\0b'])('refuses %j', (name) => {
    expect(() => checkRelativeName(name, 'name')).toThrow(expect.objectContaining({ code: 'UNSAFE_PATH' }));
  });
});

describe('isInside', () => {
  it('tells inside from outside without being fooled by names starting with ".."', () => {
    expect(isInside('/r', '/r')).toBe(true);
    expect(isInside('/r', '/r/a')).toBe(true);
    expect(isInside('/r', '/r/..a')).toBe(true);
    expect(isInside('/r', '/')).toBe(false);
    expect(isInside('/r', '/rr')).toBe(false);
  });
});

describe('resolveWritePath', () => {
  it('finds the path and what is there', async () => {
    await writeFile(path.join(root, 'a.txt'), 'a');
    expect(await resolveWritePath(root, 'new/file')).toEqual({ path: path.join(root, 'new', 'file'), base: root, segments: ['new', 'file'] });
    const found = await resolveWritePath(root, 'a.txt');
    expect(found.existing?.isFile()).toBe(true);
  });

  it('refuses a path through a symlink, even one pointing inside', async () => {
    await mkdir(path.join(root, 'real'));
    await symlink('real', path.join(root, 'link'));
    const err = await resolveWritePath(root, 'link/x').catch((e: unknown) => e);
    expect(isOrasError(err, 'UNSAFE_PATH')).toBe(true);
    expect((err as Error).message).toMatch(/symbolic link "link"/);
  });

  it('refuses a hard-linked file and a file where a folder is needed', async () => {
    await writeFile(path.join(root, 'a'), 'a');
    await link(path.join(root, 'a'), path.join(root, 'b'));
    expect(isOrasError(await resolveWritePath(root, 'b').catch((e: unknown) => e), 'UNSAFE_PATH')).toBe(true);
    expect(isOrasError(await resolveWritePath(root, 'a/x').catch((e: unknown) => e), 'ALREADY_EXISTS')).toBe(true);
  });
});

describe('resolveWritePath with allowPathTraversal (ORAS -T)', () => {
  const allow = { allowPathTraversal: true };

  it('still refuses .. and absolute names without it', async () => {
    await expect(resolveWritePath(path.join(root, 'out'), '../x')).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await expect(resolveWritePath(path.join(root, 'out'), path.join(root, 'x'))).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
  });

  it('places .. and absolute names outside the folder, below the deepest folder that exists', async () => {
    const out = path.join(root, 'out');
    await mkdir(out);
    expect(await resolveWritePath(out, '../up.txt', allow)).toEqual({ path: path.join(root, 'up.txt'), base: root, segments: ['up.txt'] });
    expect(await resolveWritePath(out, '../new/dir/f', allow)).toEqual({ path: path.join(root, 'new', 'dir', 'f'), base: root, segments: ['new', 'dir', 'f'] });
    expect(await resolveWritePath(out, path.join(root, 'abs.txt'), allow)).toEqual({ path: path.join(root, 'abs.txt'), base: root, segments: ['abs.txt'] });
    // Climbing out and back in is inside, checked as usual.
    expect(await resolveWritePath(out, '../out/in.txt', allow)).toEqual({ path: path.join(out, 'in.txt'), base: out, segments: ['in.txt'] });
  });

  it('follows the user\'s own symlinks outside the folder, never one planted inside it or at the target', async () => {
    const out = path.join(root, 'out');
    const real = path.join(root, 'real');
    await mkdir(out);
    await mkdir(real);
    await symlink(real, path.join(root, 'alias'));
    expect(await resolveWritePath(out, '../alias/f', allow)).toEqual({ path: path.join(real, 'f'), base: real, segments: ['f'] });
    await symlink(real, path.join(out, 'planted'));
    await expect(resolveWritePath(out, 'planted/f', allow)).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await symlink(path.join(real, 'f'), path.join(root, 'link.txt'));
    await expect(resolveWritePath(out, '../link.txt', allow)).rejects.toMatchObject({ code: 'UNSAFE_PATH', message: expect.stringMatching(/symbolic link/) });
    await writeFile(path.join(root, 'file'), 'x');
    await expect(resolveWritePath(out, '../file/f', allow)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(resolveWritePath(out, '..', allow)).rejects.toMatchObject({ code: 'UNSAFE_PATH', message: expect.stringMatching(/holds the destination folder/) });
    await expect(resolveWritePath(out, '/', allow)).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await expect(resolveWritePath(out, '.', allow)).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
  });
});

describe('ensureDirs and removeDirs', () => {
  it('creates missing folders and removes only those it created', async () => {
    await mkdir(path.join(root, 'a'));
    const created = await ensureDirs(root, ['a', 'b', 'c']);
    expect(created).toEqual([path.join(root, 'a', 'b'), path.join(root, 'a', 'b', 'c')]);
    await removeDirs(created);
    expect(await readdir(root)).toEqual(['a']);
  });

  it('refuses to go through a symlink', async () => {
    await symlink(tmpdir(), path.join(root, 'link'));
    expect(isOrasError(await ensureDirs(root, ['link', 'x']).catch((e: unknown) => e), 'UNSAFE_PATH')).toBe(true);
  });
});

describe('resolveInside', () => {
  it('follows links as the file system does', async () => {
    await mkdir(path.join(root, 'a', 'b'), { recursive: true });
    await symlink('b', path.join(root, 'a', 'tob'));
    expect(await resolveInside(root, [], 'a/tob/../x')).toEqual(['a', 'x']);
    expect(await resolveInside(root, ['a'], '../missing/y')).toEqual(['missing', 'y']);
  });

  it('catches escapes the text alone hides, absolute targets and loops', async () => {
    await mkdir(path.join(root, 'a'));
    await symlink('..', path.join(root, 'a', 'up'));
    expect(await resolveInside(root, [], 'a/up')).toEqual([]);
    expect(await resolveInside(root, [], 'a/up/..')).toBeUndefined();
    expect(await resolveInside(root, [], '/etc')).toBeUndefined();
    await symlink('loop2', path.join(root, 'loop1'));
    await symlink('loop1', path.join(root, 'loop2'));
    expect(await resolveInside(root, [], 'loop1')).toBeUndefined();
  });
});
