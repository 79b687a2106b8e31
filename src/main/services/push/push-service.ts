import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { LOCAL_REGISTRY, type ConnectionOptions, type JobProgressEvent, type RegistryEntry } from '../../../shared/contract';
import type {
  CopyArtifactRequest,
  DraftProblem,
  JobOutcome,
  MediaTypeSuggestion,
  OrasPushCommand,
  PushDraft,
  PushPreview,
  PushStarted,
} from '../../../shared/push';
import { DigestCache } from '../../engine/content/digest-cache';
import { OciLayoutStore } from '../../engine/content/oci-layout-store';
import type { ProgressEvent, Target } from '../../engine/content/storage';
import { Annotation, type Descriptor } from '../../engine/descriptor';
import { isValidDigest } from '../../engine/digest';
import { OrasError, isOrasError, throwIfAborted } from '../../engine/errors';
import { copy, copyGraph, SMALL_BLOB_CONCURRENCY, tagRoot } from '../../engine/oras/copy';
import { successors } from '../../engine/oras/manifest-codec';
import { checkAnnotations } from '../../engine/oras/pack';
import { resolve } from '../../engine/oras/verbs';
import type { BrowseTargets } from '../browse/targets';
import type { JobContext, JobsService } from '../jobs';
import { toSerializedError } from '../serialized-error';
import { buildArtifact, type BuiltArtifact } from './build-artifact';
import { checkDraft, validateDraft, type CheckedDraft } from './draft-check';
import type { PushDrafts } from './draft-store';
import { suggestMediaTypes } from './media-types';
import { prepareCommandFolder } from './command-folder';
import { pushCommand, type CommandContext } from './push-command';

/** HASH_JOB_BYTES: a preview hashing more than this (not yet cached) runs as a job with progress. */
const HASH_JOB_BYTES = 8 * 1024 * 1024;
/** EXISTS_DEADLINE_MS bounds the preview's "is it there already?" question. */
const EXISTS_DEADLINE_MS = 10_000;
/** OUTCOMES_KEPT: how many finished jobs' outcomes are remembered for `push.outcome`. */
const OUTCOMES_KEPT = 200;

export interface PushServiceOptions {
  drafts: PushDrafts;
  targets: BrowseTargets;
  jobs: JobsService;
  /** `<dataDir>/oci-layout`: each local repository is an OCI layout folder below it, made on push. */
  localRoot: string;
  /** A registry's saved connection options, for the equivalent command's flags. */
  connection: (registry: string) => Promise<ConnectionOptions | undefined>;
  /** Digests known by path, size and mtime; shared with the staging area, which hashes uploads as they arrive. */
  digestCache?: DigestCache;
  /** Where the preview makes the folder its command line runs in when titles are not the files' names (see prepareCommandFolder). */
  commandRoot?: string;
}

/**
 * PushService is the composer's main side: media-type suggestions, the preview (the
 * exact manifest and digest before any upload), the push and attach job, copying an
 * artifact, and how each job ended. Targets are opened the way browsing opens them
 * (`BrowseTargets`: saved options and logins), except that a local repository's layout
 * is created on push. Files are hashed once per path, size and mtime (a `DigestCache`),
 * so editing a title does not read a large file again.
 */
export class PushService {
  private readonly digestCache: DigestCache;
  private readonly outcomes = new Map<string, JobOutcome>();

  constructor(private readonly options: PushServiceOptions) {
    this.digestCache = options.digestCache ?? new DigestCache();
  }

  /** suggestMediaTypes ranks media types for a staged file, then the recently pushed ones. */
  async suggestMediaTypes(stagedId: string): Promise<MediaTypeSuggestion[]> {
    const staged = await this.options.drafts.resolve(stagedId);
    const recent = await this.options.drafts.recentMediaTypes();
    return suggestMediaTypes({ name: staged.name, path: staged.path, kind: staged.kind }, recent);
  }

  /** validate lists every problem of a draft by field, reading no file's content. */
  validate(draft: PushDraft): Promise<DraftProblem[]> {
    return validateDraft(draft, (id) => this.options.drafts.resolve(id));
  }

  /**
   * preview computes what `run` would push: the manifest, its digest, each file's digest
   * and size, whether the target has it already, and the equivalent `oras` line. Large
   * files not hashed before are hashed as a job (progress events, cancellable).
   */
  async preview(draft: PushDraft): Promise<PushPreview> {
    const checked = await checkDraft(draft, (id) => this.options.drafts.resolve(id));
    const subject = checked.mode === 'attach' ? await this.resolveSubject(checked) : undefined;
    const build = (ctx?: JobContext): Promise<BuiltArtifact> =>
      buildArtifact(checked, {
        digestCache: this.digestCache,
        ...(subject ? { subject } : {}),
        ...(ctx ? { signal: ctx.signal, onHashed: hashProgress(ctx, checked) } : {}),
      });
    let built: BuiltArtifact;
    if ((await this.uncachedBytes(checked)) > HASH_JOB_BYTES) {
      const { result } = this.options.jobs.start('hash', build, { title: `Hash files for ${this.referenceOf(checked)}` });
      const outcome = await result;
      if (!outcome.ok) throw new OrasError(outcome.error.code, outcome.error.message);
      built = outcome.value;
    } else {
      built = await build();
    }
    try {
      const { exists, existsError } = await this.existsAlready(checked, built.root);
      const entry = await this.entryOf(checked.registry);
      return {
        manifest: new TextDecoder().decode(built.manifest),
        digest: built.root.digest,
        size: built.root.size,
        mediaType: built.root.mediaType,
        layers: built.layers.map((layer, i) => ({
          stagedId: checked.files[i]!.stagedId,
          title: checked.files[i]!.title,
          mediaType: layer.mediaType,
          digest: layer.digest,
          size: layer.size,
        })),
        config: {
          ...(checked.config.kind === 'file' ? { stagedId: checked.config.staged.id } : {}),
          mediaType: built.config.mediaType,
          digest: built.config.digest,
          size: built.config.size,
        },
        ...(built.created === undefined ? {} : { created: built.created }),
        reference: this.referenceOf(checked),
        ...(exists === undefined ? {} : { exists }),
        ...(existsError === undefined ? {} : { existsError }),
        command: await this.commandFor(checked, {
          layoutFolder: this.layoutFolder(checked.repository),
          ...(entry ? { entry } : {}),
          ...(built.created === undefined ? {} : { created: built.created }),
          sourceDateEpoch: process.env['SOURCE_DATE_EPOCH'] ?? '',
        }),
      };
    } finally {
      await built.store.close();
    }
  }

  /**
   * commandFor is the preview's `oras push` line. Where the titles are not the files'
   * own names in one folder, or the line reads files of its own (an inline config, an
   * annotation file), the line is given a folder of links named by the titles, with
   * those files written, to run in: it pushes the same manifest with nothing to arrange
   * and nothing written beside the user's files.
   */
  private async commandFor(checked: CheckedDraft, context: CommandContext): Promise<OrasPushCommand> {
    const command = pushCommand(checked, context);
    const root = this.options.commandRoot;
    if ((command.cwd !== undefined && command.files.length === 0) || checked.files.length === 0 || root === undefined) return command;
    const links = checked.files.map((f) => ({ title: f.title, target: f.staged.path }));
    const cwd = await prepareCommandFolder(root, links, command.files);
    const { note: _unneeded, ...exact } = command;
    return { ...exact, cwd, prepared: true };
  }

  /**
   * run saves the draft, checks it (a bad one is refused at once, naming the field) and
   * pushes it as a job: files hashed (or found in the cache), blobs the target lacks
   * uploaded, then the manifest, then the tags, only if nothing failed and nobody
   * cancelled, so a cancelled push writes no tag. The draft is dropped only when the
   * push succeeded; a failed or cancelled one leaves it as it was.
   */
  async run(draft: PushDraft, created?: string): Promise<PushStarted> {
    // As saved (defaults filled in): after the push, the draft is dropped only if it is still this one.
    const saved = (await this.options.drafts.save(draft)).draft ?? draft;
    const checked = await checkDraft(draft, (id) => this.options.drafts.resolve(id));
    if (created !== undefined) checkAnnotations({ [Annotation.Created]: created }, 'created');
    const reference = this.referenceOf(checked);
    const verb = checked.mode === 'attach' ? 'Attach to' : 'Push';
    const where = { registry: checked.registry, repository: checked.repository, tag: checked.tags[0] };
    const { jobId } = this.options.jobs.start(checked.mode, this.tracked(where, (ctx) => this.push(checked, saved, created, ctx)), { title: `${verb} ${reference}` });
    return { jobId, reference };
  }

  /** outcome says how a push, attach or copy job ended (NOT_FOUND for an unknown or long-gone job). */
  outcome(jobId: string): JobOutcome {
    const found = this.outcomes.get(jobId);
    if (!found) throw new OrasError('NOT_FOUND', 'no push, attach or copy job of that id (finished long ago, or never started)');
    return found;
  }

  /**
   * copy copies a manifest with all it points at (and its referrers when asked) to
   * another repository of a saved registry or of the local store, as a job. Blobs the
   * destination has are skipped; within one registry blobs are mounted from the
   * source repository rather than uploaded. Tagged `to.tag`, else the source's tag.
   */
  async copy(request: CopyArtifactRequest): Promise<PushStarted> {
    const { from, to } = request;
    const source = (await this.options.targets.open(from.registry, from.repository)).target;
    const tag = to.tag ?? (isValidDigest(from.reference) ? '' : from.reference);
    const sameRegistry = from.registry !== LOCAL_REGISTRY && from.registry === to.registry && from.repository !== to.repository;
    const reference = `${to.registry === LOCAL_REGISTRY ? this.layoutFolder(to.repository) : `${to.registry}/${to.repository}`}${tag ? `:${tag}` : ''}`;
    const where = { registry: to.registry, repository: to.repository, tag: tag || undefined };
    const { jobId } = this.options.jobs.start(
      'copy',
      this.tracked(where, (ctx) =>
        this.withWriteTarget(to.registry, to.repository, (destination) =>
          copy(source, from.reference, destination, tag, {
            signal: ctx.signal,
            includeReferrers: request.referrers ?? false,
            smallBlobConcurrency: SMALL_BLOB_CONCURRENCY,
            ...(sameRegistry ? { mountFrom: from.repository } : {}),
            onProgress: transferProgress(ctx).onProgress,
          }),
        ),
      ),
      { title: `Copy ${from.registry}/${from.repository}:${from.reference} to ${reference}` },
    );
    return { jobId, reference };
  }

  private async push(draft: CheckedDraft, saved: PushDraft, created: string | undefined, ctx: JobContext): Promise<Descriptor> {
    const root = await this.withWriteTarget(draft.registry, draft.repository, (target) => this.pushTo(target, draft, created, ctx));
    await this.options.drafts.pushed(saved, [...root.mediaTypes]).catch(() => {});
    return root.root;
  }

  private async pushTo(target: Target, draft: CheckedDraft, created: string | undefined, ctx: JobContext): Promise<{ root: Descriptor; mediaTypes: string[] }> {
    const subject = draft.mode === 'attach' ? await resolve(target, draft.subject!, { signal: ctx.signal }) : undefined;
    const built = await buildArtifact(draft, {
      digestCache: this.digestCache,
      ...(created === undefined ? {} : { created }),
      ...(subject ? { subject } : {}),
      signal: ctx.signal,
      onHashed: hashProgress(ctx, draft),
    });
    try {
      const progress = transferProgress(ctx, totalOf(built));
      await copyGraph(built.store, target, built.root, {
        signal: ctx.signal,
        smallBlobConcurrency: SMALL_BLOB_CONCURRENCY,
        onProgress: progress.onProgress,
        // The subject is in the target already and not in the file store: never walk into it.
        ...(subject
          ? { findSuccessors: async (fetcher, desc, io) => (await successors(fetcher, desc, io)).filter((d) => d.digest !== subject.digest) }
          : {}),
      });
      // Last chance to stop before a tag is written: a cancel that came in as the last
      // blob landed leaves the manifest untagged (harmless) rather than tagged.
      throwIfAborted(ctx.signal);
      for (const tag of new Set(draft.tags)) await tagRoot(target, built.root, tag, ctx.signal);
    } finally {
      await built.store.close();
    }
    const mediaTypes = [...built.layers.map((l) => l.mediaType), ...(draft.config.kind === 'none' ? [] : [built.config.mediaType])];
    return { root: built.root, mediaTypes };
  }

  /**
   * tracked wraps a job's body so its outcome is recorded before the job's final
   * `job.state` event goes out: a page asking `push.outcome` on that event finds it.
   * Keeps the newest OUTCOMES_KEPT.
   */
  private tracked(
    where: { registry: string; repository: string; tag?: string | undefined },
    body: (ctx: JobContext) => Promise<Descriptor>,
  ): (ctx: JobContext) => Promise<Descriptor> {
    const place = { registry: where.registry, repository: where.repository, ...(where.tag === undefined ? {} : { tag: where.tag }) };
    const record = (jobId: string, outcome: JobOutcome): void => {
      this.outcomes.delete(jobId);
      this.outcomes.set(jobId, outcome);
      while (this.outcomes.size > OUTCOMES_KEPT) this.outcomes.delete(this.outcomes.keys().next().value!);
    };
    return async (ctx) => {
      record(ctx.jobId, { state: 'running', ...place });
      try {
        const root = await body(ctx);
        record(ctx.jobId, { state: 'done', digest: root.digest, ...place });
        return root;
      } catch (error) {
        // As the jobs service decides: whatever a cancelled job throws, it was cancelled.
        const cancelled = ctx.signal.aborted;
        const shown = cancelled && !isOrasError(error, 'ABORTED') ? new OrasError('ABORTED', 'the job was cancelled', { cause: error }) : error;
        record(ctx.jobId, { state: cancelled || isOrasError(error, 'ABORTED') ? 'cancelled' : 'failed', ...place, error: toSerializedError(shown, () => {}) });
        throw error;
      }
    };
  }

  /**
   * withWriteTarget opens a repository to push into and runs `work` on it. A local
   * repository's layout is created if missing, and removed again (with the folders
   * made for it) when `work` fails or is cancelled: nothing half-made stays in the
   * local store. An existing layout keeps whatever complete blobs landed, as a registry does.
   */
  private async withWriteTarget<T>(registry: string, repository: string, work: (target: Target) => Promise<T>): Promise<T> {
    if (registry !== LOCAL_REGISTRY) return work((await this.options.targets.open(registry, repository)).target);
    const folder = this.layoutFolder(repository);
    const made = await firstMissing(this.options.localRoot, repository.split('/'));
    try {
      return await work(await OciLayoutStore.open(folder));
    } catch (error) {
      if (made !== undefined) await rm(made, { recursive: true, force: true }).catch(() => {});
      throw error;
    }
  }

  private async resolveSubject(draft: CheckedDraft): Promise<Descriptor> {
    try {
      const target = draft.registry === LOCAL_REGISTRY
        ? await this.options.targets.localLayout(draft.repository)
        : (await this.options.targets.open(draft.registry, draft.repository)).target;
      return await resolve(target, draft.subject!);
    } catch (error) {
      if (error instanceof OrasError) throw new OrasError(error.code, `subject: ${error.message}`, { cause: error });
      throw error;
    }
  }

  /** existsAlready asks the target whether it has the manifest, within a deadline; never creates a local layout. */
  private async existsAlready(draft: CheckedDraft, root: Descriptor): Promise<Pick<PushPreview, 'exists' | 'existsError'>> {
    try {
      const signal = AbortSignal.timeout(EXISTS_DEADLINE_MS);
      if (draft.registry === LOCAL_REGISTRY) {
        const layout = await this.options.targets.localLayout(draft.repository).catch((error: unknown) => {
          if (isOrasError(error, 'NOT_FOUND')) return undefined;
          throw error;
        });
        return { exists: layout ? await layout.exists(root, { signal }) : false };
      }
      const target = (await this.options.targets.open(draft.registry, draft.repository)).target;
      return { exists: await target.exists(root, { signal }) };
    } catch (error) {
      return { existsError: toSerializedError(error, () => {}) };
    }
  }

  private async uncachedBytes(draft: CheckedDraft): Promise<number> {
    let total = 0;
    for (const file of draft.files) {
      if (file.staged.kind === 'directory') return Infinity;
      const info = await stat(file.staged.path).catch(() => undefined);
      if (!info) continue;
      if (!this.digestCache.get(file.staged.path, { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino })) total += info.size;
    }
    return total;
  }

  private referenceOf(draft: CheckedDraft): string {
    const name = draft.registry === LOCAL_REGISTRY ? this.layoutFolder(draft.repository) : `${draft.registry}/${draft.repository}`;
    if (draft.mode === 'attach') return `${name}${draft.subject!.includes(':') ? '@' : ':'}${draft.subject}`;
    return draft.tags.length > 0 ? `${name}:${draft.tags.join(',')}` : name;
  }

  private layoutFolder(repository: string): string {
    return path.join(this.options.localRoot, ...repository.split('/'));
  }

  private async entryOf(registry: string): Promise<RegistryEntry | undefined> {
    if (registry === LOCAL_REGISTRY) return undefined;
    const options = await this.options.connection(registry).catch(() => undefined);
    return { id: registry, kind: 'remote', label: registry, options: options ?? {} };
  }
}

/**
 * firstMissing is the outermost folder of `root/parts…` that does not exist yet (what
 * creating the layout would make, and so what to remove after a failure), or undefined.
 */
async function firstMissing(root: string, parts: string[]): Promise<string | undefined> {
  // The local root itself is never removed: other repositories live in it.
  let folder = root;
  for (const part of parts) {
    folder = path.join(folder, part);
    if (!(await stat(folder).then(() => true, () => false))) return folder;
  }
  return undefined;
}

/** totalOf is what a push moves at most: the layers, the config and the manifest. */
function totalOf(built: BuiltArtifact): number {
  return built.layers.reduce((sum, l) => sum + l.size, 0) + built.config.size + built.root.size;
}

/** hashProgress reports hashing as the job's progress: bytes over the files' total. */
function hashProgress(ctx: JobContext, draft: CheckedDraft): (bytes: number, current: { title: string; bytes: number; size: number }) => void {
  const total = draft.files.reduce((sum, f) => sum + f.staged.size, 0);
  return (bytes, current) =>
    ctx.progress({ bytes, total: Math.max(total, bytes), current: { digest: '', title: current.title, bytes: current.bytes, size: current.size } });
}

/**
 * transferProgress folds the engine's per-descriptor events into the job's progress:
 * bytes over all descriptors (a skipped one counts whole), the one moving now as
 * `current`. With no total known up front (a copy) the total grows as descriptors start.
 */
function transferProgress(ctx: JobContext, knownTotal?: number): { onProgress: (event: ProgressEvent) => void } {
  const done = new Map<string, number>();
  const sizes = new Map<string, number>();
  return {
    onProgress: (event) => {
      const { descriptor } = event;
      sizes.set(descriptor.digest, descriptor.size);
      done.set(descriptor.digest, event.state === 'skipped' || event.state === 'done' ? descriptor.size : event.bytes);
      let bytes = 0;
      for (const value of done.values()) bytes += value;
      let seen = 0;
      for (const value of sizes.values()) seen += value;
      const total = Math.max(knownTotal ?? seen, bytes);
      const title = descriptor.annotations?.[Annotation.Title];
      const update: Omit<JobProgressEvent, 'jobId'> = {
        bytes,
        total,
        current: { digest: descriptor.digest, ...(title === undefined ? {} : { title }), bytes: done.get(descriptor.digest) ?? 0, size: descriptor.size },
      };
      ctx.progress(update);
    },
  };
}
