import type { Descriptor } from '../descriptor';
import { OrasError, isOrasError, throwIfAborted } from '../errors';
import { isIndexMediaType } from '../media-type';
import { isPredecessorFinder, isTagLister, type Fetcher, type IoOptions, type PredecessorFinder, type ReadOnlyTarget, type Target } from '../content/storage';
import { fetchBytes } from './bytes';
import { copyGraph, tagRoot, type CopyGraphOptions } from './copy';
import { parseIndex } from './manifest-codec';
import { onSide } from './side';

/*
 * The verbs behind `oras backup` and `oras restore` (ORAS 1.3, cmd/oras/root/backup.go
 * and restore.go): copies of tagged artifacts between a repository and an OCI layout,
 * with their referrers. Either side may be any Target; the CLI puts a registry on one
 * and a layout (folder or tar) on the other.
 */

/** TaggedArtifact is one tag to back up or restore and the manifest it names. */
export interface TaggedArtifact {
  tag: string;
  root: Descriptor;
}

/**
 * resolveTags resolves each of `tags` in `target`, in the order given; with no tags it
 * lists every tag of `target` (ascending) and resolves those, as ORAS does when the
 * reference names none. A tag that does not resolve fails the whole call, naming it.
 */
export async function resolveTags(target: ReadOnlyTarget, tags: readonly string[], options: IoOptions = {}): Promise<TaggedArtifact[]> {
  let names = [...tags];
  if (names.length === 0) {
    if (!isTagLister(target)) throw new OrasError('UNSUPPORTED', 'the source cannot list its tags: name the tags to copy');
    for await (const tag of target.tags({ signal: options.signal })) names.push(tag);
    names = [...new Set(names)];
  }
  const found: TaggedArtifact[] = [];
  for (const tag of names) {
    throwIfAborted(options.signal);
    try {
      found.push({ tag, root: await target.resolve(tag, { signal: options.signal }) });
    } catch (err) {
      if (isOrasError(err) && err.code !== 'ABORTED') throw new OrasError(err.code, `failed to resolve tag ${JSON.stringify(tag)}: ${err.message}`, { cause: err, response: err.response });
      throw err;
    }
  }
  return found;
}

/** CopyTaggedOptions: copyGraph's options; `includeReferrers` also brings the referrers. */
export type CopyTaggedOptions = CopyGraphOptions;

/**
 * copyTagged copies `artifact.root` with everything it points at from `src` to `dst`
 * and tags it `artifact.tag` there, once all of it has landed. With
 * `includeReferrers`, the artifacts that refer to the root are copied too,
 * recursively, and when the root is an index, those referring to each of its manifests
 * (a signature of one platform's image): ORAS's `recursiveCopy`.
 */
export async function copyTagged(src: ReadOnlyTarget, dst: Target, artifact: TaggedArtifact, options: CopyTaggedOptions = {}): Promise<void> {
  const { root, tag } = artifact;
  await copyGraph(src, dst, root, options);
  if (options.includeReferrers && isIndexMediaType(root.mediaType)) {
    for (const child of await onSide('source', () => indexChildren(src, root, options))) {
      // The child itself landed with the index: only its referrers are news.
      const quiet = (desc: Descriptor): boolean => desc.digest === child.digest;
      await copyGraph(src, dst, child, {
        ...options,
        onProgress: (event) => (quiet(event.descriptor) && event.state === 'skipped' ? undefined : options.onProgress?.(event)),
        onCopySkipped: (desc) => (quiet(desc) ? undefined : options.onCopySkipped?.(desc)),
      });
    }
  }
  await tagRoot(dst, root, tag, options.signal);
}

/**
 * countReferrers counts the artifacts that refer to `root`, recursively (referrers of
 * referrers), and for an index those of its manifests too: the number ORAS prints in
 * `Pulled tag v1 with 2 referrer(s)`. `store` must list referrers (an OCI layout does).
 */
export async function countReferrers(store: Fetcher & Partial<PredecessorFinder>, root: Descriptor, options: IoOptions = {}): Promise<number> {
  if (!isPredecessorFinder(store)) throw new OrasError('UNSUPPORTED', 'this store cannot list referrers, so they cannot be counted');
  const starts = [root, ...(isIndexMediaType(root.mediaType) ? await indexChildren(store, root, options) : [])];
  const seen = new Set<string>(starts.map((d) => d.digest));
  let count = 0;
  for (let level = starts; level.length > 0; ) {
    const next: Descriptor[] = [];
    for (const desc of level) {
      for (const referrer of await store.predecessors(desc, { signal: options.signal })) {
        if (seen.has(referrer.digest)) continue;
        seen.add(referrer.digest);
        count++;
        next.push(referrer);
      }
    }
    level = next;
  }
  return count;
}

async function indexChildren(fetcher: Fetcher, root: Descriptor, options: IoOptions & { maxMetadataBytes?: number }): Promise<Descriptor[]> {
  const bytes = await fetchBytes(fetcher, root, { signal: options.signal, maxBytes: options.maxMetadataBytes });
  return parseIndex(bytes, root).manifests;
}
