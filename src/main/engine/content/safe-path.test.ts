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
    expect(await resolveWritePath(root, 'new/file')).toEqual({ path: path.join(root, 'new', 'file'), segments: ['new', 'file'] });
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
