/** DroppedFiles is a drop as `stageFiles` takes it: files, and each one's path inside a dropped folder. */
export interface DroppedFiles {
  files: File[];
  /** `docs/guide/a.md` for a file of the dropped folder `docs`; undefined for a file dropped as itself. */
  relativePaths: (string | undefined)[];
}

/**
 * droppedFiles reads a drop. In Electron a dropped folder is a `File` whose path main
 * packs as one tar+gzip layer, so the drop is taken as it is. In browser mode a
 * folder's `File` has no content, so each dropped folder is walked in the page
 * (`webkitGetAsEntry`) and its files come with their paths, the folder's name first:
 * the shim uploads them into ONE staged folder. The entries are taken at once (a
 * DataTransfer is emptied when the drop event ends); only the walk is asynchronous.
 * No file is read here: the browser streams each from disk as it is uploaded.
 */
export function droppedFiles(data: DataTransfer | null, browserMode: boolean): Promise<DroppedFiles> {
  const files = Array.from(data?.files ?? []);
  if (!browserMode || !data) return Promise.resolve({ files, relativePaths: files.map(() => undefined) });
  const folders: FileSystemDirectoryEntry[] = [];
  for (const item of Array.from(data.items ?? [])) {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry?.() : null;
    if (entry?.isDirectory) folders.push(entry as FileSystemDirectoryEntry);
  }
  const folderNames = new Set(folders.map((f) => f.name));
  const loose = files.filter((f) => !folderNames.has(f.name));
  return (async () => {
    const inFolders: { file: File; path: string }[] = [];
    for (const folder of folders) await walk(folder, folder.name, inFolders);
    return {
      files: [...loose, ...inFolders.map((f) => f.file)],
      relativePaths: [...loose.map(() => undefined), ...inFolders.map((f) => f.path)],
    };
  })();
}

/** walk lists a dropped folder's files, depth first; readEntries answers in batches until an empty one. */
async function walk(folder: FileSystemDirectoryEntry, prefix: string, out: { file: File; path: string }[]): Promise<void> {
  const reader = folder.createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return;
    for (const entry of batch) {
      const entryPath = `${prefix}/${entry.name}`;
      if (entry.isDirectory) await walk(entry as FileSystemDirectoryEntry, entryPath, out);
      else if (entry.isFile) {
        const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
        out.push({ file, path: entryPath });
      }
    }
  }
}

/** pickedFolder reads `<input webkitdirectory>`: every file with its path, the folder's name first. */
export function pickedFolder(list: FileList | null): DroppedFiles {
  const files = Array.from(list ?? []);
  return { files, relativePaths: files.map((f) => f.webkitRelativePath || undefined) };
}

/** EMPTY_FOLDER says why a dropped or picked folder with no files adds nothing (only files are uploaded). */
export const EMPTY_FOLDER = 'that folder has no files, so there is nothing to upload (browser mode sends files only, not empty folders)';
