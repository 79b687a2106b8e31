import { tmpdir } from 'node:os';
import type { DigestCache } from '../../engine/content/digest-cache';
import { reproducibleTime } from '../../engine/content/dir-pack';
import { FileStore } from '../../engine/content/file-store';
import { Annotation, type Descriptor } from '../../engine/descriptor';
import { digestOf } from '../../engine/digest';
import { MediaType } from '../../engine/media-type';
import { fetchBytes, pushBytes } from '../../engine/oras/bytes';
import { formatCreated, packManifest } from '../../engine/oras/pack';
import type { CheckedDraft } from './draft-check';

/** CONFIG_NAME is the name a config file is added under, as the CLI does (it is never a layer title). */
const CONFIG_NAME = '$config';

/** BuiltArtifact: the packed manifest in a file store over the draft's files. Close `store` when done. */
export interface BuiltArtifact {
  store: FileStore;
  root: Descriptor;
  manifest: Uint8Array;
  layers: Descriptor[];
  config: Descriptor;
  /** The created annotation written, when there is one. */
  created?: string;
}

export interface BuildOptions {
  digestCache?: DigestCache;
  /** The created time to write when not reproducible (the preview's, so the push matches it); default now. */
  created?: string;
  /** attach: the subject's descriptor. */
  subject?: Descriptor;
  signal?: AbortSignal;
  /** Told bytes hashed so far over all files (and folder tars), and the total when known. */
  onHashed?: (bytes: number, current: { title: string; bytes: number; size: number }) => void;
}

/**
 * buildArtifact turns a checked draft into the manifest `oras push` of the same input
 * writes: each file added to a FileStore (hashed as it streams, or found in the digest
 * cache; folders packed as tar+gzip, at SOURCE_DATE_EPOCH's time when reproducible),
 * per-file annotations merged over the title, the config added (file, inline JSON or
 * none), then packManifest. Nothing leaves the machine; preview and push share it, so
 * the previewed digest is the pushed one.
 */
export async function buildArtifact(draft: CheckedDraft, options: BuildOptions = {}): Promise<BuiltArtifact> {
  const store = new FileStore(tmpdir(), {
    ...(options.digestCache ? { digestCache: options.digestCache } : {}),
    ...(draft.reproducible ? { tarMtime: reproducibleTime() } : {}),
  });
  try {
    let done = 0;
    const layers: Descriptor[] = [];
    for (const file of draft.files) {
      const size = file.staged.size;
      const desc = await store.add(file.title, file.mediaType, file.staged.path, {
        signal: options.signal,
        onBytes: (bytes) => options.onHashed?.(done + bytes, { title: file.title, bytes, size }),
      });
      done += desc.size;
      const extra = file.annotations;
      // The title stays the file's name: the store serves the layer by it.
      layers.push(Object.keys(extra).length > 0 ? { ...desc, annotations: { ...desc.annotations, ...extra, [Annotation.Title]: file.title } } : desc);
    }
    let config: Descriptor | undefined;
    if (draft.config.kind === 'file') {
      const added = await store.add(CONFIG_NAME, draft.config.mediaType || MediaType.UnknownConfig, draft.config.staged.path, { signal: options.signal });
      config = { mediaType: added.mediaType, digest: added.digest, size: added.size };
    } else if (draft.config.kind === 'inline') {
      const bytes = draft.config.bytes;
      config = { mediaType: draft.config.mediaType || MediaType.UnknownConfig, digest: digestOf(bytes), size: bytes.byteLength };
      await pushBytes(store, config, bytes, { signal: options.signal });
    }
    const created = draft.reproducible || draft.imageSpec === 'v1.0' || Annotation.Created in draft.annotations ? undefined : (options.created ?? formatCreated(new Date()));
    const root = await packManifest(store, {
      imageSpec: draft.imageSpec,
      ...(draft.artifactType === undefined ? {} : { artifactType: draft.artifactType }),
      ...(config ? { config } : {}),
      layers,
      annotations: draft.annotations,
      ...(options.subject ? { subject: options.subject } : {}),
      created: created ?? false,
      signal: options.signal,
    });
    const manifest = await fetchBytes(store, root, { signal: options.signal });
    const parsed = JSON.parse(new TextDecoder().decode(manifest)) as { config: Descriptor };
    return { store, root, manifest, layers, config: parsed.config, ...(created === undefined ? {} : { created }) };
  } catch (error) {
    await store.close();
    throw error;
  }
}
