import { describe, expect, it, vi } from 'vitest';
import { droppedFiles, EMPTY_FOLDER, pickedFolder, stageDropped } from './dropped-files';

interface FakeEntry {
  name: string;
  children?: FakeEntry[];
}

/** entryOf fakes the FileSystemEntry API: folders answer their children in batches of two, then an empty batch. */
function entryOf(node: FakeEntry): FileSystemEntry {
  if (!node.children) {
    return { name: node.name, isFile: true, isDirectory: false, file: (ok: (f: File) => void) => ok(new File([`content of ${node.name}`], node.name)) } as unknown as FileSystemEntry;
  }
  const children = node.children.map(entryOf);
  return {
    name: node.name,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok: (entries: FileSystemEntry[]) => void) => {
          const batch = children.slice(at, at + 2);
          at += batch.length;
          setTimeout(() => ok(batch));
        },
      };
    },
  } as unknown as FileSystemEntry;
}

/** transfer fakes the part of a DataTransfer droppedFiles reads: files, and items with their entries. */
function transfer(nodes: FakeEntry[]): DataTransfer {
  return {
    files: nodes.map((n) => new File([n.children ? '' : 'x'], n.name)),
    items: nodes.map((n) => ({ kind: 'file', webkitGetAsEntry: () => entryOf(n) })),
  } as unknown as DataTransfer;
}

const drop = () =>
  transfer([
    { name: 'rocket.txt' },
    { name: 'docs', children: [{ name: 'a.md' }, { name: 'guide', children: [{ name: 'b.md' }, { name: 'deep', children: [{ name: 'c.md' }] }, { name: 'empty', children: [] }] }, { name: 'z.md' }] },
  ]);

describe('droppedFiles', () => {
  it('keeps folders as they are in Electron, where main packs a folder by its path', async () => {
    const { files, relativePaths } = await droppedFiles(drop(), false);
    expect(files.map((f) => f.name)).toEqual(['rocket.txt', 'docs']);
    expect(relativePaths).toEqual([undefined, undefined]);
  });

  it('walks a dropped folder in browser mode: every file with its path, the folder first', async () => {
    const { files, relativePaths, emptyFolders } = await droppedFiles(drop(), true);
    expect(relativePaths).toEqual([undefined, 'docs/a.md', 'docs/guide/b.md', 'docs/guide/deep/c.md', 'docs/z.md']);
    expect(emptyFolders).toEqual(['docs/guide/empty']);
    expect(files.map((f) => f.name)).toEqual(['rocket.txt', 'a.md', 'b.md', 'c.md', 'z.md']);
    expect(await files[3]!.text()).toBe('content of c.md');
  });

  it('takes nothing from no drop', async () => {
    expect(await droppedFiles(null, true)).toEqual({ files: [], relativePaths: [], emptyFolders: [] });
  });

  it('keeps a dropped folder that holds nothing, as an empty folder', async () => {
    expect(await droppedFiles(transfer([{ name: 'void', children: [] }]), true)).toEqual({ files: [], relativePaths: [], emptyFolders: ['void'] });
  });
});

describe('stageDropped', () => {
  const actions = () => ({ stageFiles: vi.fn(async () => {}), stageProblem: vi.fn() });

  it('stages files with their folders, and a folder holding only empty folders', async () => {
    const a = actions();
    stageDropped(droppedFiles(transfer([{ name: 'void', children: [{ name: 'inner', children: [] }] }]), true), a);
    await vi.waitFor(() => expect(a.stageFiles).toHaveBeenCalledWith([], 'layers', { relativePaths: [], emptyFolders: ['void/inner'] }));
    expect(a.stageProblem).not.toHaveBeenCalled();
  });

  it('says why a picked folder with no files adds nothing', async () => {
    const a = actions();
    stageDropped(Promise.resolve(pickedFolder([] as unknown as FileList)), a);
    await vi.waitFor(() => expect(a.stageProblem).toHaveBeenCalledWith(EMPTY_FOLDER));
    expect(a.stageFiles).not.toHaveBeenCalled();
  });

  it('says when a dropped folder cannot be read', async () => {
    const a = actions();
    stageDropped(Promise.reject(new Error('NotReadableError')), a);
    await vi.waitFor(() => expect(a.stageProblem).toHaveBeenCalledWith(expect.stringContaining('could not be read')));
  });
});

describe('pickedFolder', () => {
  it('gives each file of <input webkitdirectory> its webkitRelativePath', () => {
    const file = new File(['x'], 'b.md');
    Object.defineProperty(file, 'webkitRelativePath', { value: 'docs/guide/b.md' });
    const list = [file] as unknown as FileList;
    expect(pickedFolder(list)).toEqual({ files: [file], relativePaths: ['docs/guide/b.md'], emptyFolders: [] });
  });
});
