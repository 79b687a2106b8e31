import { existsSync } from 'node:fs';
import path from 'node:path';
import { reproducibleTime } from '../main/engine/content/dir-pack';
import type { DigestCache } from '../main/engine/content/digest-cache';
import { FileStore } from '../main/engine/content/file-store';
import { Annotation, type Descriptor } from '../main/engine/descriptor';
import { MediaType, assertMediaType } from '../main/engine/media-type';
import {
  assertFileAnnotationsUsed,
  mergeAnnotations,
  parseAnnotationFlags,
  readAnnotationFile,
  type AnnotationSet,
} from './annotations';
import { UsageError, asUsage } from './errors';
import { assertUniqueTitles, parseFileArg, titleFor, type FileArg } from './file-args';
import type { CliIo } from './io';

/** The flags push and attach share for what goes into the artifact. */
export interface ArtifactFlags {
  annotation?: string[];
  annotationFile?: string;
  artifactType?: string;
  config?: string;
  manifestConfig?: string;
  disablePathValidation?: boolean;
  exportManifest?: string;
  /** `--reproducible`: no created annotation, folder tars at SOURCE_DATE_EPOCH (or the epoch). */
  reproducible?: boolean;
}

/** ArtifactPlan is everything checked on the command line before any file is read. */
export interface ArtifactPlan {
  files: Array<FileArg & { title: string }>;
  config?: FileArg;
  annotations: AnnotationSet;
  artifactType?: string;
}

/**
 * planArtifact checks the file operands, config, annotations and artifact type. Every
 * mistake is a usage error, found before anything is read or sent.
 */
export async function planArtifact(io: CliIo, fileArgs: readonly string[], flags: ArtifactFlags): Promise<ArtifactPlan> {
  const exists = (p: string): boolean => existsSync(path.resolve(io.cwd, p));
  const files = fileArgs.map((arg) => {
    const parsed = parseFileArg(arg, exists);
    return { ...parsed, title: titleFor(parsed.path, flags.disablePathValidation) };
  });
  assertUniqueTitles(files.map((f) => f.title));
  if (flags.config !== undefined && flags.manifestConfig !== undefined && flags.config !== flags.manifestConfig) {
    throw new UsageError('--config and --manifest-config name the same thing; give one of them');
  }
  const configText = flags.config ?? flags.manifestConfig;
  const config = configText === undefined ? undefined : parseFileArg(configText, exists);
  if (flags.artifactType !== undefined) asUsage(() => assertMediaType(flags.artifactType!, '--artifact-type'));
  const fromFile = flags.annotationFile === undefined ? undefined : await readAnnotationFile(path.resolve(io.cwd, flags.annotationFile));
  const annotations = mergeAnnotations(fromFile, parseAnnotationFlags(flags.annotation ?? []));
  assertFileAnnotationsUsed(annotations, files.map((f) => f.title));
  if (Object.keys(annotations.config).length > 0 && config === undefined) {
    throw new UsageError('the annotation file has "$config" annotations, but no --config is given to carry them');
  }
  return { files, config, annotations, artifactType: flags.artifactType };
}

/** LoadedArtifact: the file store holding the files, and their descriptors. */
export interface LoadedArtifact {
  store: FileStore;
  layers: Descriptor[];
  config?: Descriptor;
}

/** CONFIG_NAME is the name the config file is added to the file store under (ORAS's). */
const CONFIG_NAME = '$config';

/**
 * loadArtifact adds the planned files to a FileStore rooted at the working folder
 * (folders are packed as tar+gzip), then applies the per-file and config annotations.
 * The config descriptor carries no title: the seed's manifest has none. The caller
 * closes the store (it removes the packed folders' temp files).
 */
export async function loadArtifact(io: CliIo, plan: ArtifactPlan, options: { reproducible?: boolean; digestCache?: DigestCache } = {}): Promise<LoadedArtifact> {
  // Folder tars are always packed with fixed times; --reproducible makes that time
  // SOURCE_DATE_EPOCH's when it is set (read from the command's environment). Files in
  // `digestCache` (sent already, see upload-first.ts) are not read again.
  const store = new FileStore(io.cwd, {
    ...(options.reproducible ? { tarMtime: reproducibleTime(io.env) } : {}),
    ...(options.digestCache ? { digestCache: options.digestCache } : {}),
  });
  try {
    const layers: Descriptor[] = [];
    for (const file of plan.files) {
      const desc = await store.add(file.title, file.mediaType ?? '', path.resolve(io.cwd, file.path), { signal: io.signal });
      const extra = plan.annotations.files.get(file.title);
      // The title stays the file's name: the store serves the layer by it.
      layers.push(extra ? { ...desc, annotations: { ...desc.annotations, ...extra, [Annotation.Title]: file.title } } : desc);
    }
    let config: Descriptor | undefined;
    if (plan.config) {
      const added = await store.add(CONFIG_NAME, plan.config.mediaType ?? MediaType.UnknownConfig, path.resolve(io.cwd, plan.config.path), { signal: io.signal });
      const annotations = plan.annotations.config;
      config = { mediaType: added.mediaType, digest: added.digest, size: added.size, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) };
    }
    return { store, layers, config };
  } catch (err) {
    await store.close();
    throw err;
  }
}
