import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DigestCache } from '../engine/content/digest-cache';
import { digestOf } from '../engine/digest';
import { DownloadOffers } from './downloads';
import { StagingArea, folderEntryPath, safeFileName } from './staging';

describe('safeFileName', () => {
  it.each([
    ['rocket.txt', 'rocket.txt'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\win.ini', 'win.ini'],
    ['/abs/path/file.bin', 'file.bin'],
    ['..', 'file'],
    ['.', 'file'],
    ['', 'file'],
    ['   ', 'file'],
    ['name\u0000with\u001fcontrols\u007f.txt', 'namewithcontrols.txt'],
    ['what?<>:"|*.txt', 'what_______.txt'],
    ['trailing. . .', 'trailing'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['🚀.txt', '🚀.txt'],
  ])('%j → %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  it('keeps names within 200 bytes of UTF-8 without splitting a character', () => {
    const name = safeFileName('é'.repeat(300));
    expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(200);
    expect(name).toBe('é'.repeat(100));
  });
});

describe('folderEntryPath', () => {
  it('gives the names of a path inside a folder', () => {
    expect(folderEntryPath('photos/2024/a.jpg')).toEqual(['photos', '2024', 'a.jpg']);
    expect(folderEntryPath('🚀/b c.txt')).toEqual(['🚀', 'b c.txt']);
  });

  it.each([
    ['/etc/passwd', /absolute/],
    ['C:/Windows/win.ini', /absolute/],
    ['c:evil', /absolute/],
    ['photos/../../etc/passwd', /\.\./],
    ['photos/./a', /\.\./],
    ['photos//a', /empty/],
    ['photos/', /empty/],
    ['..', /names no folder/],
    ['a.txt', /names no folder/],
    ['photos\\..\\x', /backslash/],
    ['photos/a\u0000b', /NUL/],
    ['photos/a\nb', /control/],
    [`photos/${'x'.repeat(256)}`, /255 bytes/],
  ])('refuses %j', (input, why) => {
    expect(() => folderEntryPath(input)).toThrow(why);
    try {
      folderEntryPath(input);
    } catch (error) {
      expect(error).toMatchObject({ code: 'UNSAFE_PATH' });
    }
  });
});

describe('StagingArea', () => {
  let parent: string;
  beforeEach(async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'oras-staging-test-'));
  });
  afterEach(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('receives uploads into a private folder, under safe names that never collide, and removes them all on dispose', async () => {
    const staging = new StagingArea({ parent });
    const a = await staging.receive('../../a.txt', Readable.from([Buffer.from('hello')]));
    const b = await staging.receive('a.txt', Readable.from([Buffer.from('other')]));
    expect(a).toEqual({ id: expect.any(String), name: 'a.txt', size: 5, kind: 'file' });
    expect(a.id).not.toBe(b.id);
    const root = staging.stagingDir!;
    expect(path.dirname(root)).toBe(parent);
    expect((await stat(root)).mode & 0o777).toBe(0o700);
    const fileA = staging.resolve(a.id).path;
    expect(fileA.startsWith(root + path.sep)).toBe(true);
    expect(await readFile(fileA, 'utf8')).toBe('hello');
    expect(await readFile(staging.resolve(b.id).path, 'utf8')).toBe('other');
    // Side by side while their names are free, as on the user's disk; a taken name gets a folder of its own.
    const c = await staging.receive('c.txt', Readable.from([Buffer.from('c')]));
    expect(path.dirname(staging.resolve(c.id).path)).toBe(path.dirname(fileA));
    expect(path.dirname(staging.resolve(b.id).path)).not.toBe(path.dirname(fileA));
    expect(await staging.release(b.id)).toBe(true);
    expect(await readFile(staging.resolve(c.id).path, 'utf8')).toBe('c');
    expect(await staging.release(c.id)).toBe(true);
    expect(await readFile(fileA, 'utf8')).toBe('hello');
    await staging.dispose();
    await expect(stat(root)).rejects.toThrow();
    expect(() => staging.resolve(a.id)).toThrow(/no longer staged/);
  });

  it('leaves nothing behind when an upload breaks off', async () => {
    const staging = new StagingArea({ parent });
    const broken = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(staging.receive('x.bin', broken)).rejects.toBeDefined();
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(staging.stagingDir!, { recursive: true })).toEqual(['files']);
    await staging.dispose();
  });

  it('receives an uploaded folder, file by file, into ONE staged folder named by its first name', async () => {
    const staging = new StagingArea({ parent });
    const folder = await staging.receiveInFolder('site/index.html', Readable.from([Buffer.from('<p>')]));
    expect(folder).toEqual({ id: expect.any(String), name: 'site', size: 0, kind: 'directory' });
    const again = await staging.receiveInFolder('site/css/deep/main.css', Readable.from([Buffer.from('p{}')]), { folderId: folder.id });
    expect(again).toEqual(folder);
    const root = staging.resolve(folder.id).path;
    expect(path.basename(root)).toBe('site');
    expect(root.startsWith(staging.stagingDir! + path.sep)).toBe(true);
    expect(await readFile(path.join(root, 'css/deep/main.css'), 'utf8')).toBe('p{}');
    expect(await readFile(path.join(root, 'index.html'), 'utf8')).toBe('<p>');
    // Another folder's name, a bad path or an unknown folder are refused.
    await expect(staging.receiveInFolder('other/x', Readable.from(['x']), { folderId: folder.id })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(staging.receiveInFolder('site/../x', Readable.from(['x']), { folderId: folder.id })).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await expect(staging.receiveInFolder('site/x', Readable.from(['x']), { folderId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The same file twice is refused, and the half folder goes with it.
    await expect(staging.receiveInFolder('site/index.html', Readable.from(['again']), { folderId: folder.id })).rejects.toBeDefined();
    await expect(stat(root)).rejects.toThrow();
    expect(() => staging.resolve(folder.id)).toThrow(/no longer staged/);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(staging.stagingDir!, { recursive: true })).toEqual(['files']);
    await staging.dispose();
  });

  it('makes empty folders inside a staged folder, or the folder itself, refusing paths that leave it', async () => {
    const staging = new StagingArea({ parent });
    const folder = await staging.receiveInFolder('void', Readable.from([]), { directory: true });
    expect(folder).toMatchObject({ name: 'void', kind: 'directory' });
    await staging.receiveInFolder('void/a/b', Readable.from([]), { directory: true, folderId: folder.id });
    const at = staging.resolve(folder.id).path;
    expect(await readdir(path.join(at, 'a'))).toEqual(['b']);
    await expect(staging.receiveInFolder('void/..', Readable.from([]), { directory: true, folderId: folder.id })).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await expect(staging.receiveInFolder('void', Readable.from(['x']))).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await staging.dispose();
  });

  it('hashes an upload as it arrives, into the digest cache', async () => {
    const digestCache = new DigestCache();
    const staging = new StagingArea({ parent, digestCache });
    const staged = await staging.receive('a.txt', Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    const at = staging.resolve(staged.id).path;
    const info = await stat(at);
    expect(digestCache.get(at, { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino })).toEqual({ digest: digestOf('hello world'), size: 11 });
    await staging.dispose();
  });

  it('hashes a large upload on a thread of its own, behind the writes, into the digest cache', async () => {
    const digestCache = new DigestCache();
    const staging = new StagingArea({ parent, digestCache });
    // 40 MiB in pieces of 64 KiB, as off a socket: over the size that gets a thread.
    const piece = Buffer.alloc(64 * 1024);
    const pieces = Array.from({ length: 640 }, (_, i) => Buffer.from(piece.fill(i % 251)));
    const whole = Buffer.concat(pieces);
    const staged = await staging.receive('big.bin', Readable.from(pieces), undefined, whole.byteLength);
    const at = staging.resolve(staged.id).path;
    const info = await stat(at);
    expect(info.size).toBe(whole.byteLength);
    expect((await readFile(at)).equals(whole)).toBe(true);
    expect(digestCache.get(at, { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino })).toEqual({ digest: digestOf(whole), size: whole.byteLength });
    await staging.dispose();
  });

  it('leaves nothing behind when a large upload breaks off', async () => {
    const staging = new StagingArea({ parent });
    let sent = 0;
    const broken = new Readable({
      read() {
        sent += 1;
        if (sent > 100) this.destroy(new Error('connection reset'));
        else this.push(Buffer.alloc(64 * 1024, 7));
      },
    });
    await expect(staging.receive('big.bin', broken, undefined, 64 * 1024 * 1024)).rejects.toBeDefined();
    expect(await readdir(staging.stagingDir!, { recursive: true })).toEqual(['files']);
    await staging.dispose();
  });

  it('removes the whole folder when one of its files breaks off', async () => {
    const staging = new StagingArea({ parent });
    const folder = await staging.receiveInFolder('f/a.txt', Readable.from(['a']));
    const broken = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(staging.receiveInFolder('f/b/c.txt', broken, { folderId: folder.id })).rejects.toBeDefined();
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(staging.stagingDir!, { recursive: true })).toEqual(['files']);
    await staging.dispose();
  });

  it('registers files and folders the user dropped, where they are (Electron)', async () => {
    const staging = new StagingArea({ parent });
    const file = path.join(parent, 'dropped.txt');
    const folder = path.join(parent, 'folder');
    await writeFile(file, '12345678');
    await mkdir(folder);
    const [f, d] = await staging.register([file, folder]);
    expect(f).toMatchObject({ name: 'dropped.txt', size: 8, kind: 'file' });
    expect(d).toMatchObject({ name: 'folder', size: 0, kind: 'directory' });
    expect(staging.resolve(f!.id).path).toBe(file);
    await expect(staging.register([path.join(parent, 'missing')])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await staging.release(f!.id)).toBe(true);
    expect(await readFile(file, 'utf8')).toBe('12345678'); // a dropped file is never deleted
    expect(staging.stagingDir).toBeUndefined();
  });
});

describe('DownloadOffers', () => {
  it('hands an offer out once, by an unguessable id', () => {
    const offers = new DownloadOffers();
    const open = async () => Readable.from(['x']);
    const a = offers.offer({ name: 'blob.bin', size: 1, open });
    const b = offers.offer({ name: 'blob.bin', open });
    expect(a).toEqual({ id: expect.stringMatching(/^[\w-]{22}$/), name: 'blob.bin', size: 1 });
    expect(a.id).not.toBe(b.id);
    expect(offers.take(a.id)?.name).toBe('blob.bin');
    expect(offers.take(a.id)).toBeUndefined();
    offers.clear();
    expect(offers.take(b.id)).toBeUndefined();
  });

  it('withdraws an offer, and tells an offer that ran out unfetched (only that one)', async () => {
    const offers = new DownloadOffers(20);
    const open = async () => Readable.from(['x']);
    const expired: string[] = [];
    const kept = offers.offer({ name: 'kept.bin', open, onExpire: () => expired.push('kept') });
    offers.offer({ name: 'late.bin', open, onExpire: () => expired.push('late') });
    expect(offers.withdraw(kept.id)).toBe(true);
    expect(offers.withdraw(kept.id)).toBe(false);
    expect(offers.take(kept.id)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(expired).toEqual(['late']);
  });
});
