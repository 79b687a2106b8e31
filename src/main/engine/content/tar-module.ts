/**
 * loadTar loads the tar library the first time a folder or a tar archive is handled.
 * Loaded with the rest, it cost every `oras` command about 0.02 s of CPU at start,
 * though most never pack or unpack anything.
 */
export function loadTar(): Promise<typeof import('tar')> {
  loaded ??= import('tar');
  return loaded;
}

let loaded: Promise<typeof import('tar')> | undefined;
