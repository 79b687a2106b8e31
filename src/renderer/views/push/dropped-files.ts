/**
 * droppedFiles splits a drop into files the page can stage and folders it cannot.
 * In Electron a dropped folder is a `File` whose path main packs as one tar+gzip layer;
 * in browser mode a folder cannot be uploaded as one (the browser gives no stream of
 * it), so it is named back to the user instead of failing halfway.
 */
export function droppedFiles(data: DataTransfer | null, browserMode: boolean): { files: File[]; folders: string[] } {
  const files = Array.from(data?.files ?? []);
  if (!browserMode || !data) return { files, folders: [] };
  const folders = new Set<string>();
  for (const item of Array.from(data.items ?? [])) {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry?.() : null;
    if (entry?.isDirectory) folders.add(entry.name);
  }
  return { files: files.filter((f) => !folders.has(f.name)), folders: [...folders] };
}

/** foldersMessage says what to do with folders browser mode cannot take. */
export const foldersMessage = (folders: readonly string[]): string =>
  `${folders.join(', ')}: a folder cannot be dropped in browser mode. Use “Choose a folder…” (each file becomes a layer), the desktop app, or \`oras push\`, which packs a folder as one layer.`;
