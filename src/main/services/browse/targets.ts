import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LOCAL_REGISTRY, type ConnectionOptions } from '../../../shared/contract';
import { OciLayoutStore } from '../../engine/content/oci-layout-store';
import { fsError, isNotFound } from '../../engine/content/fs-error';
import type { BlobStater, Deleter, PredecessorFinder, Target } from '../../engine/content/storage';
import { OrasError } from '../../engine/errors';
import { normalizeRegistry, validateRepository } from '../../engine/reference';
import { parseRegistryHost } from '../../engine/registry-host';
import { Registry } from '../../engine/registry/registry';
import type { Repository } from '../../engine/registry/repository';
import type { CredentialProvider } from '../../engine/transport/credential';

/** LAYOUT_DEPTH bounds how deep the local folder is searched for layouts (`a/b/c/…`). */
export const LAYOUT_DEPTH = 8;

/** BrowseTarget is what every browse call reads: a remote repository or a local layout. */
export type BrowseTarget =
  | { kind: 'remote'; registry: Registry; repository: Repository; target: Repository }
  | { kind: 'local'; layout: OciLayoutStore; target: OciLayoutStore };

/** Readable is what both kinds of target offer the browse service. */
export type BrowseStore = Target & Deleter & PredecessorFinder & BlobStater;

export interface BrowseTargetsOptions {
  /** `<dataDir>/oci-layout`: one OCI layout folder per repository below it. */
  localRoot: string;
  /** The saved connection options of a registry (settings.json), if any. */
  connection: (registry: string) => Promise<ConnectionOptions | undefined>;
  /** The saved logins, as the engine reads them. */
  credentials: CredentialProvider;
}

/**
 * BrowseTargets opens what a sidebar id names. `local`: `<localRoot>/<repository>/`, an
 * OCI layout of its own (never created by a read: a missing one is NOT_FOUND). Remote:
 * one `Registry` per host, with its saved options and the saved logins, kept so its
 * connections and tokens are reused; `forget` closes one when its login or options
 * change, `dispose` closes all.
 */
export class BrowseTargets {
  private readonly registries = new Map<string, Promise<Registry>>();

  constructor(private readonly options: BrowseTargetsOptions) {}

  /** open opens a repository of a registry (or of the local store). */
  async open(registryId: string, repository: string): Promise<BrowseTarget> {
    validateRepository(repository);
    if (registryId === LOCAL_REGISTRY) {
      const layout = await this.localLayout(repository);
      return { kind: 'local', layout, target: layout };
    }
    const registry = await this.registry(registryId);
    const repo = registry.repository(repository);
    return { kind: 'remote', registry, repository: repo, target: repo };
  }

  /** registry gives the shared Registry of a host, opening it with its saved options. */
  registry(registryId: string): Promise<Registry> {
    const host = parseRegistryHost(registryId);
    let opened = this.registries.get(host);
    if (!opened) {
      opened = (async () => {
        const saved = await this.options.connection(host);
        return new Registry(host, { ...(saved ?? {}), credentials: this.options.credentials });
      })();
      opened.catch(() => this.registries.delete(host));
      this.registries.set(host, opened);
    }
    return opened;
  }

  /** localLayout opens the layout of a local repository; NOT_FOUND when there is none. */
  async localLayout(repository: string): Promise<OciLayoutStore> {
    validateRepository(repository);
    const folder = path.join(this.options.localRoot, ...repository.split('/'));
    const marker = path.join(folder, 'oci-layout');
    const found = await stat(marker).then(
      (s) => s.isFile(),
      (error: unknown) => {
        if (isNotFound(error)) return false;
        throw fsError(error, 'read', marker);
      },
    );
    if (!found) throw new OrasError('NOT_FOUND', `the local store has no repository ${repository} (no OCI layout at ${folder})`);
    return OciLayoutStore.open(folder);
  }

  /**
   * localRepositories lists the folders under the local root that hold an `oci-layout`
   * file, as repository names, sorted; at most LAYOUT_DEPTH levels deep. Folders whose
   * path is not a valid repository name are skipped (nothing could address them).
   */
  async localRepositories(): Promise<string[]> {
    const found: string[] = [];
    const walk = async (folder: string, parts: string[]): Promise<void> => {
      let entries;
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch (error) {
        if (isNotFound(error)) return;
        throw fsError(error, 'read', folder);
      }
      if (parts.length > 0 && entries.some((e) => e.isFile() && e.name === 'oci-layout')) {
        const name = parts.join('/');
        if (isRepositoryName(name)) found.push(name);
      }
      if (parts.length >= LAYOUT_DEPTH) return;
      for (const entry of entries) {
        // Never descend into a layout's own content, nor follow links out of the root.
        if (!entry.isDirectory() || entry.name.startsWith('.') || (entry.name === 'blobs' && parts.length > 0)) continue;
        await walk(path.join(folder, entry.name), [...parts, entry.name]);
      }
    };
    await walk(this.options.localRoot, []);
    return found.sort();
  }

  /** forget closes a registry's connections (its login or options changed); the next call reopens it. */
  async forget(registryId: string): Promise<void> {
    const host = normalizeRegistry(registryId);
    const opened = this.registries.get(host);
    this.registries.delete(host);
    await opened?.then((r) => r.close()).catch(() => {});
  }

  /** dispose closes every registry's connections. */
  async dispose(): Promise<void> {
    const all = [...this.registries.values()];
    this.registries.clear();
    await Promise.all(all.map((opened) => opened.then((r) => r.close()).catch(() => {})));
  }
}

function isRepositoryName(name: string): boolean {
  try {
    validateRepository(name);
    return true;
  } catch {
    return false;
  }
}
