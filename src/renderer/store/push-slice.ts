import type { CopyArtifactRequest, DraftProblem, DraftStagedFile, JobOutcome, MediaTypeSuggestion, PushDraft, PushPreview, PushStarted } from '../../shared/push';
import type { StagedFile, StageOptions, StageProgress } from '../../shared/contract';
import type { SerializedError } from '../../shared/error-codes';
import { toServiceError } from '../services/oras';
import { emptyDraft, moveItem } from './push-logic';
import type { SliceCreator } from './types';

/**
 * The push slice: the composer's draft as the page edits it, and what main said about
 * it. Main keeps the draft (so it survives a reload and a restart); the page edits a
 * copy here and, once edits settle (SETTLE_MS), saves it, asks for its problems by
 * field, and when there are none, for the exact preview. Answers to an older edit are
 * dropped (a generation counter), so a slow preview never overwrites a newer one.
 */

/** SETTLE_MS is how long edits must pause before the draft is saved and previewed. */
export const SETTLE_MS = 300;

/**
 * Upload is a batch of files being staged: browser mode uploads them and reports the
 * bytes sent; Electron only names their paths, so `sent` stays 0 there.
 */
export interface Upload {
  id: number;
  /** The files, or for a folder's files the folder, as the user dropped or picked them. */
  names: string[];
  /** Bytes in the batch. */
  size: number;
  /** Bytes of the batch sent so far. */
  sent: number;
}

/** PushRun is the push job this page started, and how it ended once it has. */
export interface PushRun {
  jobId: string;
  reference: string;
  outcome?: JobOutcome;
}

export interface PushData {
  /** The draft being edited; null until main's copy has been read. */
  pushDraft: PushDraft | null;
  pushLoadError: SerializedError | null;
  /** The staged files the draft names, by id (name, size, kind, missing). */
  pushStaged: Record<string, DraftStagedFile>;
  pushRecentMediaTypes: string[];
  /** Ranked media types per staged file, asked once per file. */
  pushSuggestions: Record<string, MediaTypeSuggestion[]>;
  /** Main's problems with the last settled draft. */
  pushProblems: DraftProblem[];
  pushPreview: PushPreview | null;
  /** Why the preview (or the save) failed. */
  pushPreviewError: SerializedError | null;
  /** true from an edit until its preview (or problems) arrive. */
  pushSettling: boolean;
  pushUploads: Upload[];
  pushStageError: SerializedError | null;
  pushRun: PushRun | null;
  pushRunError: SerializedError | null;
  /** Bytes moved per file of the running push (by title, else digest), from its `job.progress` events. */
  pushFileProgress: Record<string, { bytes: number; size: number }>;
}

export interface PushActions {
  /** loadDraft reads main's draft (or starts an empty one) once; later calls do nothing. */
  loadDraft(): Promise<void>;
  /** editDraft changes the draft at once and saves and previews it once edits settle. */
  editDraft(change: (draft: PushDraft) => PushDraft): void;
  /**
   * stageFiles hands files to main, adding them as layers, or (`config`) as the config
   * file. `folders` (browser mode): `relativePaths` name each file's path in a picked or
   * dropped folder, the folder first, and `emptyFolders` the folders in it holding
   * nothing: a folder's files become ONE layer, the folder.
   */
  stageFiles(files: readonly File[], as?: 'layers' | 'config', folders?: Pick<StageOptions, 'relativePaths' | 'emptyFolders'>): Promise<void>;
  /** pickFolder asks for a folder with the desktop's dialog (Electron) and adds it as one layer. */
  pickFolder(): Promise<void>;
  /** stageProblem shows why some dropped things could not be staged (next to the drop zone). */
  stageProblem(message: string): void;
  removeFile(index: number): void;
  moveFile(from: number, to: number): void;
  /** runPush pushes the settled draft with the preview's created time; the draft stays until it succeeds. */
  runPush(): Promise<void>;
  cancelPush(): Promise<void>;
  /** pushJobEnded asks main how the push job ended (the composer calls it when the job's row finishes). */
  pushJobEnded(jobId: string): Promise<void>;
  /** discardDraft forgets the draft and its uploads in main and starts an empty one. */
  discardDraft(): Promise<void>;
  /** startPushTo opens a draft aimed at a repository (or attached to a subject), keeping its files. */
  startPushTo(target: { registry: string; repository?: string; subject?: string }): Promise<void>;
  /** copyArtifact copies a manifest elsewhere as a job (it shows in the Transfers panel); throws a ServiceError. */
  copyArtifact(request: CopyArtifactRequest): Promise<PushStarted>;
  /** watchPushProgress follows the push job's progress per file; call once, the result unsubscribes. */
  watchPushProgress(): () => void;
  /** settleNow saves and previews at once (no wait), answering when done. */
  settleNow(): Promise<void>;
}

export type PushSlice = PushData & PushActions;

export const initialPushData = (): PushData => ({
  pushDraft: null,
  pushLoadError: null,
  pushStaged: {},
  pushRecentMediaTypes: [],
  pushSuggestions: {},
  pushProblems: [],
  pushPreview: null,
  pushPreviewError: null,
  pushSettling: false,
  pushUploads: [],
  pushStageError: null,
  pushRun: null,
  pushRunError: null,
  pushFileProgress: {},
});

export const createPushSlice: SliceCreator<PushSlice> = ({ services }) => (set, get) => {
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loading: Promise<void> | undefined;
  let uploadIds = 0;

  /** addStaged adds what main staged to the draft: as layers titled by name, or as the config file. */
  const addStaged = (staged: readonly StagedFile[], as: 'layers' | 'config'): void => {
    set((s) => ({ pushStaged: { ...s.pushStaged, ...Object.fromEntries(staged.map((f) => [f.id, f])) } }));
    if (as === 'config') {
      const first = staged[0];
      if (first) get().editDraft((d) => ({ ...d, config: { kind: 'file', stagedId: first.id, mediaType: d.config.kind === 'none' ? '' : d.config.mediaType } }));
    } else {
      get().editDraft((d) => ({ ...d, files: [...d.files, ...staged.map((f) => ({ stagedId: f.id, title: f.name, mediaType: '', annotations: {} }))] }));
      void suggest(staged.map((f) => f.id));
    }
  };

  /** settle saves the draft, asks for its problems, and previews it when it has none. */
  const settle = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const draft = get().pushDraft;
    if (!draft) return;
    const mine = ++generation;
    const current = () => mine === generation;
    try {
      const saved = await services.push.saveDraft(draft);
      if (!current()) return;
      set({ pushStaged: saved.staged, pushRecentMediaTypes: saved.recentMediaTypes });
      const problems = await services.push.validate(draft);
      if (!current()) return;
      set({ pushProblems: problems, pushPreviewError: null });
      if (problems.length > 0) {
        set({ pushPreview: null, pushSettling: false });
        return;
      }
      const preview = await services.push.preview(draft);
      if (!current()) return;
      set({ pushPreview: preview, pushSettling: false });
    } catch (error) {
      if (!current()) return;
      set({ pushPreview: null, pushPreviewError: toServiceError(error).toJSON(), pushSettling: false });
    }
  };

  const schedule = (): void => {
    clearTimeout(timer);
    generation++; // an answer for the draft before this edit is stale now
    set({ pushSettling: true });
    timer = setTimeout(() => void settle(), SETTLE_MS);
  };

  const suggest = async (ids: string[]): Promise<void> => {
    for (const id of ids) {
      if (get().pushSuggestions[id]) continue;
      try {
        const ranked = await services.push.suggestMediaTypes(id);
        set((s) => ({ pushSuggestions: { ...s.pushSuggestions, [id]: ranked } }));
      } catch {
        // Suggestions are a help only: the field still takes any media type.
      }
    }
  };

  return {
    ...initialPushData(),

    loadDraft() {
      if (get().pushDraft) return Promise.resolve();
      loading ??= (async () => {
        try {
          const state = await services.push.getDraft();
          set({
            pushDraft: get().pushDraft ?? state.draft ?? emptyDraft(),
            pushStaged: state.staged,
            pushRecentMediaTypes: state.recentMediaTypes,
            pushLoadError: null,
          });
          const draft = get().pushDraft!;
          void suggest(draft.files.map((f) => f.stagedId));
          if (state.draft) await settle();
        } catch (error) {
          set({ pushLoadError: toServiceError(error).toJSON() });
        } finally {
          loading = undefined;
        }
      })();
      return loading;
    },

    editDraft(change) {
      const draft = get().pushDraft ?? emptyDraft();
      // An edit after a push that succeeded starts the next one: the old result goes.
      const run = get().pushRun;
      set({ pushDraft: change(draft), pushRunError: null, ...(run?.outcome?.state === 'done' ? { pushRun: null } : {}) });
      schedule();
    },

    async stageFiles(files, as = 'layers', folders = {}) {
      const { relativePaths, emptyFolders = [] } = folders;
      if (files.length === 0 && emptyFolders.length === 0) return;
      const names = [...new Set([...files.map((f, i) => relativePaths?.[i]?.split('/')[0] ?? f.name), ...emptyFolders.map((f) => f.split('/')[0]!)])];
      const upload: Upload = { id: ++uploadIds, names, size: files.reduce((n, f) => n + f.size, 0), sent: 0 };
      set((s) => ({ pushUploads: [...s.pushUploads, upload], pushStageError: null }));
      const sentPerFile = files.map(() => 0);
      const onProgress = ({ index, sent }: StageProgress): void => {
        sentPerFile[index] = sent;
        const total = sentPerFile.reduce((n, b) => n + b, 0);
        set((s) => ({ pushUploads: s.pushUploads.map((u) => (u.id === upload.id ? { ...u, sent: total } : u)) }));
      };
      try {
        if (!get().pushDraft) await get().loadDraft();
        const withPaths = {
          ...(relativePaths?.some((p) => p !== undefined) ? { relativePaths } : {}),
          ...(emptyFolders.length > 0 ? { emptyFolders } : {}),
        };
        addStaged(await services.push.stage(files, { ...withPaths, onProgress }), as);
      } catch (error) {
        set({ pushStageError: toServiceError(error).toJSON() });
      } finally {
        set((s) => ({ pushUploads: s.pushUploads.filter((u) => u.id !== upload.id) }));
      }
    },

    async pickFolder() {
      set({ pushStageError: null });
      try {
        if (!get().pushDraft) await get().loadDraft();
        const folder = await services.push.pickFolder();
        if (folder) addStaged([folder], 'layers');
      } catch (error) {
        set({ pushStageError: toServiceError(error).toJSON() });
      }
    },

    stageProblem(message) {
      set({ pushStageError: { code: 'UNSUPPORTED', message } });
    },

    removeFile(index) {
      get().editDraft((d) => ({ ...d, files: d.files.filter((_, i) => i !== index) }));
    },

    moveFile(from, to) {
      get().editDraft((d) => ({ ...d, files: moveItem(d.files, from, to) }));
    },

    async runPush() {
      if (timer !== undefined || get().pushSettling) await settle();
      const { pushDraft: draft, pushPreview: preview, pushProblems: problems } = get();
      if (!draft || problems.length > 0 || !preview) return;
      set({ pushRunError: null });
      try {
        const started = await services.push.run(draft, preview.created);
        set({ pushRun: { jobId: started.jobId, reference: started.reference }, pushFileProgress: {} });
      } catch (error) {
        set({ pushRunError: toServiceError(error).toJSON() });
      }
    },

    async cancelPush() {
      const run = get().pushRun;
      if (run && !run.outcome) await get().cancelJob(run.jobId);
    },

    async pushJobEnded(jobId) {
      if (get().pushRun?.jobId !== jobId) return;
      try {
        const outcome = await services.push.outcome(jobId);
        set((s) => (s.pushRun?.jobId === jobId ? { pushRun: { ...s.pushRun, outcome } } : {}));
        // Main forgets a pushed draft: start a fresh one, aimed at the same place.
        if (outcome.state === 'done') {
          const target = get().pushDraft?.target;
          set({ pushDraft: { ...emptyDraft(), ...(target ? { target: { ...target } } : {}) }, pushPreview: null, pushProblems: [] });
        }
      } catch (error) {
        set({ pushRunError: toServiceError(error).toJSON() });
      }
    },

    async discardDraft() {
      clearTimeout(timer);
      timer = undefined;
      generation++;
      await services.push.discardDraft();
      set({ ...initialPushData(), pushDraft: emptyDraft() });
    },

    async startPushTo({ registry, repository, subject }) {
      await get().loadDraft();
      get().editDraft((d) => ({
        ...d,
        mode: subject ? 'attach' : 'push',
        subject: subject ?? '',
        // Tags were for the old target; a referrer usually has none.
        target: {
          registry,
          repository: repository ?? d.target.repository,
          tags: subject || registry !== d.target.registry || (repository ?? d.target.repository) !== d.target.repository ? [] : d.target.tags,
        },
      }));
      set({ pushRun: null });
    },

    copyArtifact: (request) => services.push.copy(request),

    watchPushProgress() {
      return services.jobs.watch({
        onState: () => {},
        onProgress: (event) => {
          const current = event.current;
          if (!current || event.jobId !== get().pushRun?.jobId) return;
          const key = current.title ?? current.digest;
          set((s) => ({ pushFileProgress: { ...s.pushFileProgress, [key]: { bytes: current.bytes, size: current.size } } }));
        },
      });
    },

    settleNow: () => settle(),
  };
};
