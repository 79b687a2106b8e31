import path from 'node:path';
import { DigestCache } from '../main/engine/content/digest-cache';
import type { ProgressEvent } from '../main/engine/content/storage';
import { Annotation, type Descriptor } from '../main/engine/descriptor';
import { uploadFilesFirst } from '../main/engine/oras/upload-files';
import type { ArtifactPlan } from './artifact-files';
import type { CliIo } from './io';
import { UPLOAD } from './progress';
import { startProgress, withProgress } from './transfer';

/** UploadedFirst: the digests of the files already sent, and the cache that names them for the push. */
export interface UploadedFirst {
  digestCache: DigestCache;
  digests: Set<string>;
}

/**
 * uploadLargeFilesFirst is `oras push`'s one-read path: large files go to the
 * registry before the manifest is packed, each read once and hashed as it is sent
 * (see uploadFilesFirst), with their own progress lines. Their digest is unknown while
 * they go, so those lines leave the digest column blank until the `Uploaded` line.
 * The push that follows finds them in `digestCache` and in the registry; `quietSkips`
 * keeps its `Exists` lines for them from saying the same thing twice.
 */
export async function uploadLargeFilesFirst(
  io: CliIo,
  flags: { format: string; tty?: boolean; concurrency: number },
  target: object,
  plan: ArtifactPlan,
): Promise<UploadedFirst> {
  const digestCache = new DigestCache();
  const digests = new Set<string>();
  const pending = new Map<string, Descriptor>();
  plan.files.forEach((file, i) => {
    // A digest-shaped key no real digest has: 12 blanks where the short digest goes.
    const key = `:${' '.repeat(12)}${i}`;
    pending.set(path.resolve(io.cwd, file.path), { mediaType: file.mediaType ?? '', digest: key, size: 0, annotations: { [Annotation.Title]: file.title } });
  });
  const reporter = startProgress(io, flags, UPLOAD);
  const started = new Set<string>();
  await withProgress(reporter, () =>
    uploadFilesFirst(target, [...pending.keys()], digestCache, {
      concurrency: flags.concurrency,
      signal: io.signal,
      onBytes: (file, bytes) => {
        const desc = pending.get(file)!;
        const state = started.has(file) ? 'progress' : 'started';
        started.add(file);
        reporter.onProgress({ descriptor: desc, bytes, state });
      },
      onUploaded: (file, digest, size) => {
        digests.add(digest);
        const desc = pending.get(file)!;
        reporter.onProgress({ descriptor: { ...desc, digest, size }, bytes: size, state: 'done' });
      },
    }),
  );
  return { digestCache, digests };
}

/** quietSkips drops the `skipped` events of blobs uploaded first, passing every other event on. */
export function quietSkips(uploaded: UploadedFirst, onProgress: (event: ProgressEvent) => void): (event: ProgressEvent) => void {
  return (event) => {
    if (event.state === 'skipped' && uploaded.digests.has(event.descriptor.digest)) return;
    onProgress(event);
  };
}
