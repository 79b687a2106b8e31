import { describe, expect, it } from 'vitest';
import { droppedFiles, foldersMessage } from './dropped-files';

/** transfer fakes the part of a DataTransfer droppedFiles reads: files, and items with their entries. */
function transfer(entries: { name: string; directory: boolean }[]): DataTransfer {
  return {
    files: entries.map((e) => new File([e.directory ? '' : 'x'], e.name)),
    items: entries.map((e) => ({ kind: 'file', webkitGetAsEntry: () => ({ name: e.name, isDirectory: e.directory }) })),
  } as unknown as DataTransfer;
}

describe('droppedFiles', () => {
  const drop = transfer([
    { name: 'rocket.txt', directory: false },
    { name: 'docs', directory: true },
  ]);

  it('keeps folders in Electron, where main packs a folder by its path', () => {
    const { files, folders } = droppedFiles(drop, false);
    expect(files.map((f) => f.name)).toEqual(['rocket.txt', 'docs']);
    expect(folders).toEqual([]);
  });

  it('names folders back in browser mode instead of uploading them', () => {
    const { files, folders } = droppedFiles(drop, true);
    expect(files.map((f) => f.name)).toEqual(['rocket.txt']);
    expect(folders).toEqual(['docs']);
    expect(foldersMessage(folders)).toMatch(/^docs: a folder cannot be dropped in browser mode/);
  });
});
