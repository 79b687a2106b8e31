import { assertAnnotations, assertDescriptor, type Descriptor, type Index } from '../descriptor';
import { OrasError } from '../errors';
import { MediaType } from '../media-type';

/*
 * The `index.json` of an OCI image layout (image-spec "image-layout.md", "index.json
 * file"): the layout's list of manifests, tags recorded in each entry's
 * `org.opencontainers.image.ref.name` annotation. These functions are pure: each
 * returns a new index (or the same one when nothing changes), so the store can
 * read-modify-write the file under one lock.
 */

/** REF_NAME is the annotation an OCI layout records a tag in. */
export const REF_NAME = 'org.opencontainers.image.ref.name';

/** emptyIndex is the index.json of a new layout. */
export function emptyIndex(): Index {
  return { schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: [] };
}

/** parseIndex reads index.json text, checking it is an image index; `where` names the file in errors. */
export function parseIndex(text: string, where: string): Index {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new OrasError('INVALID_MANIFEST', `${where} is not valid JSON (${(err as Error).message}); fix or remove it`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OrasError('INVALID_MANIFEST', `${where} is not an image index: expected a JSON object`);
  }
  const index = value as Record<string, unknown>;
  if (index.schemaVersion !== 2) {
    throw new OrasError('INVALID_MANIFEST', `${where} has schemaVersion ${JSON.stringify(index.schemaVersion)}; an image index has 2`);
  }
  if (!Array.isArray(index.manifests)) {
    throw new OrasError('INVALID_MANIFEST', `${where} has no "manifests" array`);
  }
  index.manifests.forEach((m, i) => assertDescriptor(m, `${where} manifests[${i}]`));
  if (index.annotations !== undefined) assertAnnotations(index.annotations, `${where} annotations`);
  return value as Index;
}

/** tagOf is the tag an index entry records, if any. */
export function tagOf(entry: Descriptor): string | undefined {
  return entry.annotations?.[REF_NAME];
}

/** tagsOf lists an index's tags, sorted, each once. */
export function tagsOf(index: Index): string[] {
  const tags = new Set<string>();
  for (const entry of index.manifests) {
    const tag = tagOf(entry);
    if (tag !== undefined) tags.add(tag);
  }
  return [...tags].sort();
}

/** findTag returns the descriptor tagged `tag`, without the ref.name annotation. */
export function findTag(index: Index, tag: string): Descriptor | undefined {
  const entry = index.manifests.find((m) => tagOf(m) === tag);
  return entry === undefined ? undefined : withoutRefName(entry);
}

/**
 * withManifest lists `desc` untagged, unless the index lists its digest already. A
 * layout lists every manifest pushed to it, as oras-go's does, so tools that walk
 * index.json (and garbage collectors) see them all.
 */
export function withManifest(index: Index, desc: Descriptor): Index {
  if (index.manifests.some((m) => m.digest === desc.digest)) return index;
  return { ...index, manifests: [...index.manifests, entryOf(desc)] };
}

/** withTag points `tag` at `desc`: the tag leaves any other entry, the digest's untagged entry goes. */
export function withTag(index: Index, desc: Descriptor, tag: string): Index {
  const kept = index.manifests.filter((m) => tagOf(m) !== tag && !(m.digest === desc.digest && tagOf(m) === undefined));
  const entry = entryOf(desc);
  entry.annotations = { ...entry.annotations, [REF_NAME]: tag };
  return keepListed(index, { ...index, manifests: [...kept, entry] });
}

/** withoutTag removes `tag`; the manifest stays listed, untagged, if nothing else lists it. */
export function withoutTag(index: Index, tag: string): Index {
  return keepListed(index, { ...index, manifests: index.manifests.filter((m) => tagOf(m) !== tag) });
}

/** withoutDigest removes every entry for `digest` (the manifest is being deleted). */
export function withoutDigest(index: Index, digest: string): Index {
  if (!index.manifests.some((m) => m.digest === digest)) return index;
  return { ...index, manifests: index.manifests.filter((m) => m.digest !== digest) };
}

/** keepListed re-adds, untagged, manifests `before` listed that `after` dropped. */
function keepListed(before: Index, after: Index): Index {
  const listed = new Set(after.manifests.map((m) => m.digest));
  const dropped = before.manifests.filter((m) => !listed.has(m.digest));
  const restored = new Map<string, Descriptor>();
  for (const m of dropped) restored.set(m.digest, withoutRefName(m));
  return restored.size === 0 ? after : { ...after, manifests: [...after.manifests, ...restored.values()] };
}

/** entryOf keeps what an index entry should carry: no `data`, no ref.name. */
function entryOf(desc: Descriptor): Descriptor {
  const entry: Descriptor = { mediaType: desc.mediaType, digest: desc.digest, size: desc.size };
  if (desc.artifactType !== undefined) entry.artifactType = desc.artifactType;
  if (desc.platform !== undefined) entry.platform = desc.platform;
  const annotations = withoutRefName(desc).annotations;
  if (annotations !== undefined) entry.annotations = annotations;
  return entry;
}

function withoutRefName(desc: Descriptor): Descriptor {
  if (desc.annotations?.[REF_NAME] === undefined) return { ...desc };
  const { [REF_NAME]: _dropped, ...rest } = desc.annotations;
  const copy: Descriptor = { ...desc, annotations: rest };
  if (Object.keys(rest).length === 0) delete copy.annotations;
  return copy;
}
