import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { pushDraftSchema, type DraftStagedFile, type DraftState, type PushDraft } from '../../../shared/push';
import { OrasError } from '../../engine/errors';
import { JsonFile } from '../json-file';
import type { StagingArea } from '../staging';

/** DRAFT_FILE is the draft's file in the data folder. */
export const DRAFT_FILE = 'push-draft.json';
/** RECENT_LIMIT is how many recently pushed media types are remembered. */
const RECENT_LIMIT = 12;

const stagedRecordSchema = z.object({
  name: z.string(),
  size: z.number(),
  kind: z.enum(['file', 'directory']),
  path: z.string(),
});
type StagedRecord = z.infer<typeof stagedRecordSchema>;

const fileSchema = z.object({
  version: z.literal(1),
  draft: pushDraftSchema.nullable(),
  /** Where each staged file of the draft lives, so a restart can find it again. Paths, never secrets. */
  staged: z.record(z.string(), stagedRecordSchema),
  recentMediaTypes: z.array(z.string()),
});
type DraftFileContent = z.infer<typeof fileSchema>;

const empty = (): DraftFileContent => ({ version: 1, draft: null, staged: {}, recentMediaTypes: [] });

/** ResolvedStaged is a staged file with its path on this machine, for main's own use. */
export interface ResolvedStaged {
  id: string;
  name: string;
  size: number;
  kind: 'file' | 'directory';
  path: string;
}

/**
 * PushDrafts keeps the composer's one draft in `<dataDir>/push-draft.json` (written
 * whole through a temp file, no secrets: logins stay with the registries), with the
 * path of each staged file it names. The staging area forgets its files when the app
 * restarts; the draft's record lets a file dropped in Electron be found again, while a
 * browser-mode upload (removed at exit) shows as `missing`. Uploads the draft staged
 * are kept until the draft is pushed or discarded.
 */
export class PushDrafts {
  private readonly file: JsonFile<typeof fileSchema>;

  constructor(
    dataDir: string,
    private readonly staging: StagingArea,
  ) {
    this.file = new JsonFile(path.join(dataDir, DRAFT_FILE), fileSchema, empty);
  }

  /** get answers the draft (null when none) with its staged files. */
  async get(): Promise<DraftState> {
    return this.stateOf(await this.file.read());
  }

  /** save replaces the draft, recording where each of its staged files lives. */
  async save(draft: PushDraft): Promise<DraftState> {
    const ids = stagedIdsOf(draft);
    const next = await this.file.update((current) => {
      const staged: Record<string, StagedRecord> = {};
      for (const id of ids) {
        const record = this.fromStaging(id) ?? current.staged[id];
        if (record) staged[id] = record;
      }
      return { ...current, draft, staged };
    });
    return this.stateOf(next);
  }

  /** discard drops the draft and releases its staged files (deleting uploads); false when there was none. */
  async discard(): Promise<boolean> {
    let had = false;
    let ids: string[] = [];
    await this.file.update((current) => {
      had = current.draft !== null;
      ids = Object.keys(current.staged);
      return { ...current, draft: null, staged: {} };
    });
    await Promise.all(ids.map((id) => this.staging.release(id).catch(() => false)));
    return had;
  }

  /**
   * pushed remembers the media types a push used (newest first) and drops the draft,
   * unless it changed while the push ran (the user went on editing): then it is kept.
   */
  async pushed(draft: PushDraft, mediaTypes: string[]): Promise<void> {
    let same = false;
    await this.file.update((current) => {
      same = current.draft !== null && JSON.stringify(current.draft) === JSON.stringify(draft);
      return {
        ...current,
        recentMediaTypes: [...new Set([...mediaTypes.filter((t) => t !== ''), ...current.recentMediaTypes])].slice(0, RECENT_LIMIT),
      };
    });
    if (same) await this.discard();
  }

  /** recentMediaTypes lists the media types pushed lately, newest first. */
  async recentMediaTypes(): Promise<string[]> {
    return (await this.file.read()).recentMediaTypes;
  }

  /**
   * resolve finds a staged file by id: in the staging area, else in the draft's record
   * (a file dropped before a restart). NOT_FOUND when neither has it or it is gone.
   */
  async resolve(id: string): Promise<ResolvedStaged> {
    const live = this.fromStaging(id);
    if (live) return { id, ...live };
    const record = (await this.file.read()).staged[id];
    if (record && (await existsAs(record))) return { id, ...record };
    throw new OrasError('NOT_FOUND', `${record ? JSON.stringify(record.name) : 'a file of the draft'} is no longer available: drop it again`);
  }

  private fromStaging(id: string): StagedRecord | undefined {
    try {
      const { name, size, kind, path: filePath } = this.staging.resolve(id);
      return { name, size, kind, path: filePath };
    } catch {
      return undefined;
    }
  }

  private async stateOf(content: DraftFileContent): Promise<DraftState> {
    const staged: Record<string, DraftStagedFile> = {};
    for (const id of content.draft ? stagedIdsOf(content.draft) : []) {
      const record = this.fromStaging(id) ?? content.staged[id];
      if (!record) {
        staged[id] = { id, name: '', size: 0, kind: 'file', missing: true };
        continue;
      }
      const present = this.fromStaging(id) !== undefined || (await existsAs(record));
      staged[id] = { id, name: record.name, size: record.size, kind: record.kind, ...(present ? {} : { missing: true }) };
    }
    return { draft: content.draft, staged, recentMediaTypes: content.recentMediaTypes };
  }
}

function stagedIdsOf(draft: PushDraft): string[] {
  const ids = draft.files.map((f) => f.stagedId);
  if (draft.config.kind === 'file') ids.push(draft.config.stagedId);
  return [...new Set(ids)];
}

async function existsAs(record: StagedRecord): Promise<boolean> {
  const info = await stat(record.path).catch(() => undefined);
  return info !== undefined && (record.kind === 'directory' ? info.isDirectory() : info.isFile());
}
