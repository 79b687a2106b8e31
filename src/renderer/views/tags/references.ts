import type { RegistryEntry } from '../../../shared/contract';

/**
 * referenceOf is what "Copy reference" puts on the clipboard: `host/repo:tag` or
 * `host/repo@sha256:…` for a registry; for the local store the layout folder with the
 * tag or digest (`<folder>/repo:tag`), which `oras … --oci-layout` reads.
 */
export function referenceOf(entry: RegistryEntry | undefined, registry: string, repository: string, at: { tag?: string; digest?: string }): string {
  const name = entry?.kind === 'local' ? `${entry.path ?? 'oci-layout'}/${repository}` : `${registry}/${repository}`;
  return at.digest ? `${name}@${at.digest}` : `${name}:${at.tag ?? 'latest'}`;
}
