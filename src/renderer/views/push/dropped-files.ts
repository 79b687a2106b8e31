/** DroppedFiles is a drop as `stageFiles` takes it: files, and each one's path inside a dropped folder. */
export interface DroppedFiles {
  files: File[];
  /** `docs/guide/a.md` for a file of the dropped folder `docs`; undefined for a file dropped as itself. */
  relativePaths: (string | undefined)[];
  /** Folders of a dropped folder that hold nothing (`docs/empty`, or `docs` itself), so the layer keeps them. */
  emptyFolders: string[];
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
  if (!browserMode || !data) return Promise.resolve({ files, relativePaths: files.map(() => undefined), emptyFolders: [] });
  const folders: FileSystemDirectoryEntry[] = [];
  for (const item of Array.from(data.items ?? [])) {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry?.() : null;
    if (entry?.isDirectory) folders.push(entry as FileSystemDirectoryEntry);
  }
  const folderNames = new Set(folders.map((f) => f.name));
  const loose = files.filter((f) => !folderNames.has(f.name));
  return (async () => {
    const inFolders: { file: File; path: string }[] = [];
    const emptyFolders: string[] = [];
    for (const folder of folders) await walk(folder, folder.name, inFolders, emptyFolders);
    return {
      files: [...loose, ...inFolders.map((f) => f.file)],
      relativePaths: [...loose.map(() => undefined), ...inFolders.map((f) => f.path)],
      emptyFolders,
    };
  })();
}

/**
 * walk lists a dropped folder's files, depth first, and the folders that hold nothing;
 * readEntries answers in batches until an empty one.
 */
async function walk(folder: FileSystemDirectoryEntry, prefix: string, out: { file: File; path: string }[], emptyFolders: string[]): Promise<void> {
  const reader = folder.createReader();
  for (let entries = 0; ; ) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) {
      if (entries === 0) emptyFolders.push(prefix);
      return;
    }
    entries += batch.length;
    for (const entry of batch) {
      const entryPath = `${prefix}/${entry.name}`;
      if (entry.isDirectory) await walk(entry as FileSystemDirectoryEntry, entryPath, out, emptyFolders);
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
  return { files, relativePaths: files.map((f) => f.webkitRelativePath || undefined), emptyFolders: [] };
}

/**
 * EMPTY_FOLDER says why a picked folder with no files adds nothing: a browser's folder
 * picker lists files only, so its empty folders cannot be seen (dropping keeps them).
 */
export const EMPTY_FOLDER = 'the browser’s folder picker shows no files in that folder, so there is nothing to upload: drop the folder on the window instead, which keeps empty folders';

/** stageDropped stages what a drop or a folder pick gave, or says why it adds nothing. */
export function stageDropped(
  dropped: Promise<DroppedFiles>,
  actions: { stageFiles: (files: readonly File[], as: 'layers', folders: Pick<DroppedFiles, 'relativePaths' | 'emptyFolders'>) => Promise<void>; stageProblem: (message: string) => void },
): void {
  dropped.then(
    ({ files, relativePaths, emptyFolders }) =>
      files.length === 0 && emptyFolders.length === 0 ? actions.stageProblem(EMPTY_FOLDER) : actions.stageFiles(files, 'layers', { relativePaths, emptyFolders }),
    (error: unknown) => actions.stageProblem(`the dropped folder could not be read (${String(error)}): choose it with “Choose a folder…”`),
  );
}
