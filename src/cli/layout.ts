import { stat } from 'node:fs/promises';
import { OciLayoutStore } from '../main/engine/content/oci-layout-store';
import { OrasError } from '../main/engine/errors';

/**
 * openLayout opens the OCI image layout at `folder` (absolute). A destination
 * (`create`) is made when missing; a source must exist, so a typo in its name is
 * NOT_FOUND rather than a new empty layout. It answers the store itself, with all its
 * powers (tags, delete, predecessors), so this file needs nothing of `target.ts`.
 */
export async function openLayout(folder: string, options: { create: boolean; signal?: AbortSignal }): Promise<OciLayoutStore> {
  if (!options.create) {
    const info = await stat(folder).catch(() => undefined);
    if (info === undefined) throw new OrasError('NOT_FOUND', `OCI layout ${folder} does not exist`);
    if (!info.isDirectory()) throw new OrasError('INVALID_ARGUMENT', `OCI layout ${folder} is not a folder`);
  }
  return OciLayoutStore.open(folder, { signal: options.signal });
}
