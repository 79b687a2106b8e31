import type {
  CopyArtifactRequest,
  DraftProblem,
  DraftState,
  JobOutcome,
  MediaTypeSuggestion,
  PushDraftInput,
  PushPreview,
  PushStarted,
  StageOptions,
  StagedFile,
} from '../../shared/contract';
import { call, windowApi, type ApiSource } from './oras';

/**
 * PushService wraps the composer's methods of `window.oras` (draft, staging,
 * suggestions, validation, preview, push, copy): each resolves to the value or throws
 * a ServiceError with the contract's code and message. Only the push slice calls it.
 */
export interface PushService {
  /**
   * stage hands dropped or picked files to main (Electron: their paths; browser mode:
   * uploads, a folder's files by relative path into one staged folder, with progress).
   */
  stage(files: readonly File[], options?: StageOptions): Promise<StagedFile[]>;
  /** pickFolder asks for a folder with the desktop's dialog and stages it (Electron); null when cancelled. */
  pickFolder(): Promise<StagedFile | null>;
  getDraft(): Promise<DraftState>;
  saveDraft(draft: PushDraftInput): Promise<DraftState>;
  /** discardDraft drops the draft and the uploads it staged; true when there was one. */
  discardDraft(): Promise<boolean>;
  suggestMediaTypes(stagedId: string): Promise<MediaTypeSuggestion[]>;
  /** validate lists every problem of a draft by field, reading no file. */
  validate(draft: PushDraftInput): Promise<DraftProblem[]>;
  preview(draft: PushDraftInput): Promise<PushPreview>;
  /** run pushes; `created` is the preview's, so the pushed digest is the previewed one. */
  run(draft: PushDraftInput, created?: string): Promise<PushStarted>;
  outcome(jobId: string): Promise<JobOutcome>;
  copy(request: CopyArtifactRequest): Promise<PushStarted>;
}

export function createPushService(source: ApiSource = windowApi): PushService {
  return {
    stage: (files, options) => call(source, (api) => api.stageFiles(files, options)),
    pickFolder: async () => {
      const answer = await call(source, (api) => api.pickFolder());
      return 'cancelled' in answer ? null : answer;
    },
    getDraft: () => call(source, (api) => api.getDraft()),
    saveDraft: (draft) => call(source, (api) => api.saveDraft({ draft })),
    discardDraft: async () => (await call(source, (api) => api.discardDraft())).discarded,
    suggestMediaTypes: (stagedId) => call(source, (api) => api.suggestMediaTypes({ stagedId })),
    validate: (draft) => call(source, (api) => api.validateDraft({ draft })),
    preview: (draft) => call(source, (api) => api.previewPush({ draft })),
    run: (draft, created) => call(source, (api) => api.runPush({ draft, ...(created ? { created } : {}) })),
    outcome: (jobId) => call(source, (api) => api.jobOutcome({ jobId })),
    copy: (request) => call(source, (api) => api.copyArtifact(request)),
  };
}
