import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DownloadStarted } from '../../../shared/browse';
import { layerTitle, summarizeManifest } from '../../../shared/manifest-summary';
import { writeStreamAtomic } from '../../engine/content/atomic-write';
import { FileStore } from '../../engine/content/file-store';
import { fsError, isNotFound } from '../../engine/content/fs-error';
import type { Descriptor } from '../../engine/descriptor';
import { parseDigest } from '../../engine/digest';
import { OrasError, isOrasError } from '../../engine/errors';
import { pull } from '../../engine/oras/pull';
import type { DownloadOffer, DownloadOffers } from '../downloads';
import type { JobContext, JobsService } from '../jobs';
import type { BrowseService } from './browse-service';
import { checkEntryName, checkRequestedName, safeFileName } from './safe-name';
import { CountBytes, HoldLastChunk } from './stream-parts';
import { tarOfFiles, type TarFile } from './tar-of-files';
import type { BrowseTarget } from './targets';

/**
 * DesktopDialogs is how Electron asks the user where to save: each answers a path, or
 * undefined when the user cancelled. Browser mode has none (the browser asks).
 */
export interface DesktopDialogs {
  saveFile(defaultName: string): Promise<string | undefined>;
  pickFolder(): Promise<string | undefined>;
}

export interface DownloadServiceOptions {
  browse: BrowseService;
  jobs: JobsService;
  offers: DownloadOffers;
  /** Electron's dialogs; absent in browser mode, where downloads are browser downloads. */
  dialogs?: DesktopDialogs;
}

interface BlobRequest {
  registry: string;
  repository: string;
  digest: string;
  mediaType?: string;
  name?: string;
}

interface PullRequest {
  registry: string;
  repository: string;
  reference: string;
}

/**
 * DownloadService runs `downloads.blob` and `downloads.pull` as jobs (progress in
 * bytes, cancel through `jobs.cancel`). Everything streams from the registry and is
 * verified on the way; a failed or cancelled download leaves no file: Electron writes
 * a temp file (or folder) beside the target and renames it on success; browser mode
 * destroys the response, so the browser drops its partial file. In both modes the job
 * exists from the answer on (`jobId`), so the page knows its row by id.
 */
export class DownloadService {
  constructor(private readonly options: DownloadServiceOptions) {}

  /** blob saves one blob: to the file the user picks (Electron), or as a browser download. */
  async blob(request: BlobRequest): Promise<DownloadStarted> {
    const name = request.name === undefined ? parseDigest(request.digest).encoded : checkRequestedName(request.name);
    const open = await this.options.browse.targets.open(request.registry, request.repository);
    const { size } = await open.target.statBlob(request.digest);
    // The blob endpoint whatever the media type: a manifest is a blob there too.
    const desc: Descriptor = { mediaType: 'application/octet-stream', digest: request.digest, size };
    const title = `Download ${name}`;
    const { dialogs, jobs } = this.options;
    if (dialogs) {
      const file = await dialogs.saveFile(name);
      if (file === undefined) return { cancelled: true };
      const { jobId } = jobs.start(
        'download',
        async (ctx) => {
          const source = await open.target.fetch(desc, { signal: ctx.signal });
          const counted = source.pipe(new CountBytes((bytes) => ctx.progress({ bytes, total: size })));
          source.once('error', (error) => counted.destroy(error));
          await writeStreamAtomic(file, counted, { expected: desc, what: `blob ${request.digest}`, signal: ctx.signal });
          ctx.progress({ bytes: size, total: size });
        },
        { title },
      );
      return { jobId, savedTo: file };
    }
    return this.offerAsJob('download', title, { name, size, contentType: 'application/octet-stream' }, size, (signal) => open.target.fetch(desc, { signal }));
  }

  /**
   * pull saves every file of an artifact: in Electron into the folder the user picks
   * (the engine's path-safe pull, through a temp folder moved into place on success);
   * in browser mode as one .tar of its layers (titled ones by title, others by digest).
   */
  async pull(request: PullRequest): Promise<DownloadStarted> {
    const open = await this.options.browse.targets.open(request.registry, request.repository);
    const details = await this.options.browse.manifest(request);
    const summary = summarizeManifest(details.raw, details.descriptor.mediaType);
    const label = `${request.repository}${request.reference.includes(':') ? '@' : ':'}${request.reference}`;
    const title = `Pull ${label}`;
    const { dialogs, jobs } = this.options;
    if (dialogs) {
      const folder = await dialogs.pickFolder();
      if (folder === undefined) return { cancelled: true };
      const total = summary.layers.filter((l) => layerTitle(l) !== undefined).reduce((sum, l) => sum + l.size, 0);
      const { jobId } = jobs.start('pull', (ctx) => pullIntoFolder(open, details.descriptor.digest, folder, total, ctx), { title });
      return { jobId, savedTo: folder };
    }
    if (summary.kind === 'index') {
      throw new OrasError('UNSUPPORTED', `${label} is an index: open one of its platforms' manifests to download its files`);
    }
    const files = tarEntries(summary.layers);
    const total = files.reduce((sum, f) => sum + f.desc.size, 0);
    const name = `${safeFileName(label.replace(/[/:@]/g, '_'), 'artifact')}.tar`;
    return this.offerAsJob('download', title, { name, contentType: 'application/x-tar' }, total, async (signal) => tarOfFiles(files, (desc) => open.target.fetch(desc, { signal })));
  }

  /**
   * offerAsJob offers a browser download and starts its job at once, so the answer
   * carries the `jobId` in browser mode as in Electron. The job runs with 0 bytes while
   * it waits for the browser; when the browser fetches the offer the job streams the
   * content to it and ends when the last byte went out. Cancelling the job before the
   * fetch withdraws the offer; an offer never fetched within its time fails the job
   * saying so. After the fetch, cancelling (or a failure) destroys the stream, and a
   * browser that goes away cancels the job.
   */
  private offerAsJob(kind: string, title: string, file: Omit<DownloadOffer, 'open' | 'onExpire'>, total: number, source: (signal: AbortSignal) => Promise<Readable>): DownloadStarted {
    const { jobs, offers } = this.options;
    let ended = false;
    let fetched!: (handover: Handover) => void;
    let expired!: (error: OrasError) => void;
    const browserFetched = new Promise<Handover>((resolve, reject) => {
      fetched = resolve;
      expired = reject;
    });
    const within = offers.ttlMs >= 60_000 ? `${Math.round(offers.ttlMs / 60_000)} minutes` : `${Math.round(offers.ttlMs / 1000)} s`;
    const browserDownload = offers.offer({
      ...file,
      open: () => (ended ? Promise.reject(new OrasError('NOT_FOUND', 'this download was cancelled: start it again')) : new Promise<Readable>((resolve, reject) => fetched({ resolve, reject }))),
      onExpire: () => expired(new OrasError('NETWORK', `the browser did not fetch ${file.name} within ${within} (blocked, or the page was closed): start the download again`)),
    });
    const { jobId } = jobs.start(
      kind,
      async (ctx) => {
        try {
          ctx.progress({ bytes: 0, total });
          const handover = await untilAborted(browserFetched, ctx.signal);
          let input: Readable;
          try {
            input = await source(ctx.signal);
          } catch (error) {
            // Failed before a stream was handed over (say, the blob is gone): the browser's request fails too.
            handover.reject(error);
            throw error;
          }
          const out = new PassThrough();
          // The browser went away (its download cancelled): cancel the job. A stream our
          // own pipeline destroyed carries the engine's error instead, and the job fails with it.
          out.once('close', () => {
            if (!out.writableFinished && !isOrasError(out.errored)) jobs.cancel(ctx.jobId);
          });
          handover.resolve(out);
          await pipeline(input, new CountBytes((bytes) => ctx.progress({ bytes, total: Math.max(total, bytes) })), new HoldLastChunk(), out, { signal: ctx.signal });
        } finally {
          ended = true;
          offers.withdraw(browserDownload.id);
        }
      },
      { title },
    );
    return { jobId, browserDownload };
  }
}

/** Handover is the browser's request waiting for the stream to send. */
interface Handover {
  resolve(stream: Readable): void;
  reject(error: unknown): void;
}

/** untilAborted waits for `promise`, or rejects with the signal's reason once it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** tarEntries names the layers of an archive: the title (checked), else the digest's hex; a name taken twice is kept once. */
function tarEntries(layers: Array<{ mediaType: string; digest: string; size: number; annotations?: Record<string, string> }>): TarFile[] {
  const seen = new Set<string>();
  const files: TarFile[] = [];
  for (const layer of layers) {
    const title = layerTitle(layer);
    const name = title === undefined ? parseDigest(layer.digest).encoded : checkEntryName(title);
    if (seen.has(name)) continue;
    seen.add(name);
    files.push({ name, desc: { mediaType: 'application/octet-stream', digest: layer.digest, size: layer.size } });
  }
  return files;
}

/**
 * pullIntoFolder pulls into a fresh hidden folder inside `folder`, then moves what it
 * wrote into `folder`, refusing to replace anything there. On any failure or cancel
 * the hidden folder is removed: nothing partial stays.
 */
async function pullIntoFolder(open: BrowseTarget, digest: string, folder: string, total: number, ctx: JobContext): Promise<{ files: string[] }> {
  await mkdir(folder, { recursive: true }).catch((error: unknown) => {
    throw fsError(error, 'create folder', folder);
  });
  const staging = path.join(folder, `.oras-pull-${randomBytes(8).toString('hex')}`);
  await mkdir(staging);
  const store = new FileStore(staging);
  const moved: string[] = [];
  try {
    const done = new Map<string, number>();
    await pull(open.target, digest, store, {
      signal: ctx.signal,
      onProgress: (event) => {
        // Only files count: manifests and configs stay in memory and are not what the user waits for.
        if (event.descriptor.annotations?.['org.opencontainers.image.title'] === undefined) return;
        done.set(event.descriptor.digest, event.bytes);
        let bytes = 0;
        for (const value of done.values()) bytes += value;
        ctx.progress({ bytes, total: Math.max(total, bytes) });
      },
    });
    const names = (await readdir(staging)).filter((n) => !n.startsWith('.oras-'));
    for (const name of names) {
      const exists = await lstat(path.join(folder, name)).then(
        () => true,
        (error: unknown) => !isNotFound(error),
      );
      if (exists) throw new OrasError('ALREADY_EXISTS', `${path.join(folder, name)} already exists: choose another folder, or move it away first`);
    }
    for (const name of names) {
      await rename(path.join(staging, name), path.join(folder, name));
      moved.push(name);
    }
    return { files: moved };
  } catch (error) {
    // What was moved already is complete and verified, but the pull as a whole failed: take it back.
    await Promise.all(moved.map((name) => rm(path.join(folder, name), { recursive: true, force: true })));
    throw error;
  } finally {
    await store.close().catch(() => {});
    await rm(staging, { recursive: true, force: true });
  }
}
