import { stat } from 'node:fs/promises';
import { OciLayoutStore } from '../main/engine/content/oci-layout-store';
import { TarLayoutStore } from '../main/engine/content/tar-layout-store';
import { OrasError } from '../main/engine/errors';

/**
 * openLayout opens the OCI image layout at `path` (absolute). A destination
 * (`create`) is a folder, made when missing; a source must exist, so a typo in its
 * name is NOT_FOUND rather than a new empty layout. A source that is a file is read
 * as a tar archive of a layout, in place and read-only, as ORAS 1.3 reads
 * `--oci-layout layout.tar:v1`. It answers the store itself, with all its powers
 * (tags, delete, predecessors), so this file needs nothing of `target.ts`.
 */
export async function openLayout(path: string, options: { create: boolean; signal?: AbortSignal }): Promise<OciLayoutStore | TarLayoutStore> {
  const info = await stat(path).catch(() => undefined);
  if (!options.create) {
    if (info === undefined) throw new OrasError('NOT_FOUND', `OCI layout ${path} does not exist`);
    if (info.isFile()) return TarLayoutStore.open(path, { signal: options.signal });
    if (!info.isDirectory()) throw new OrasError('INVALID_ARGUMENT', `OCI layout ${path} is neither a folder nor a tar archive`);
  } else if (info?.isFile()) {
    throw new OrasError(
      'UNSUPPORTED',
      `OCI layout ${path} is a file: a layout written to must be a folder (an OCI layout in a tar archive is read-only). Name a folder, or extract the archive into one (tar -xf)`,
    );
  }
  return OciLayoutStore.open(path, { signal: options.signal });
}
