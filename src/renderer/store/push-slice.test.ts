import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobProgressEvent, StageOptions, StagedFile } from '../../shared/contract';
import type { DraftProblem, DraftState, PushDraftInput, PushPreview } from '../../shared/push';
import type { PushService } from '../services/push';
import type { Services } from '../services/registries';
import { createAppStore } from './app-store';
import { applyAnnotationFile, emptyDraft, isShownInline, moveItem, parseAnnotationFile, problemsByField, problemsUnder, referenceOf } from './push-logic';
import { SETTLE_MS } from './push-slice';

const PREVIEW = { digest: 'sha256:abc', manifest: '{}', reference: 'local/x:v1', created: '2026-01-01T00:00:00Z' } as unknown as PushPreview;

/** setup makes a store over a stand-in push service that records each call and answers `problems` to validate. */
function setup(problems: DraftProblem[] = []) {
  const calls: string[] = [];
  const saved: PushDraftInput[] = [];
  const state = (draft: PushDraftInput | null): DraftState => ({ draft: draft as DraftState['draft'], staged: {}, recentMediaTypes: [] });
  const push: PushService = {
    stage: vi.fn(async (files: readonly File[], _options?: StageOptions) => files.map((f, i) => ({ id: `s${i}-${f.name}`, name: f.name, size: f.size, kind: 'file' as const }))),
    pickFolder: vi.fn(async () => ({ id: 'dir-1', name: 'site', size: 0, kind: 'directory' as const })),
    getDraft: vi.fn(async () => (calls.push('get'), state(null))),
    saveDraft: vi.fn(async (d: PushDraftInput) => (calls.push('save'), saved.push(d), state(d))),
    discardDraft: vi.fn(async () => (calls.push('discard'), true)),
    suggestMediaTypes: vi.fn(async () => [{ mediaType: 'text/plain', reason: 'from the .txt extension', source: 'extension' as const }]),
    validate: vi.fn(async () => (calls.push('validate'), problems)),
    preview: vi.fn(async () => (calls.push('preview'), PREVIEW)),
    run: vi.fn(async () => (calls.push('run'), { jobId: 'job-1', reference: 'local/x:v1' })),
    outcome: vi.fn(async () => ({ state: 'done' as const, digest: 'sha256:abc', registry: 'local', repository: 'x' })),
    copy: vi.fn(),
  };
  let progress: ((e: JobProgressEvent) => void) | undefined;
  const jobs = { watch: (h: { onProgress(e: JobProgressEvent): void }) => ((progress = h.onProgress), () => (progress = undefined)) };
  const store = createAppStore({}, { services: { push, jobs } as unknown as Services, storage: undefined });
  return { store, push, calls, saved, emitProgress: (e: JobProgressEvent) => progress?.(e) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('push slice', () => {
  it('saves, validates and previews once edits settle, once for a burst of edits', async () => {
    const { store, calls, saved } = setup();
    await store.getState().loadDraft();
    for (const repository of ['m', 'my', 'myr']) store.getState().editDraft((d) => ({ ...d, target: { ...d.target, registry: 'local', repository } }));
    expect(store.getState().pushSettling).toBe(true);
    await vi.advanceTimersByTimeAsync(SETTLE_MS - 1);
    expect(calls).toEqual(['get']);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['get', 'save', 'validate', 'preview']);
    expect(saved[0]!.target).toMatchObject({ repository: 'myr' });
    expect(store.getState().pushPreview).toBe(PREVIEW);
    expect(store.getState().pushSettling).toBe(false);
  });

  it('does not preview a draft with problems, and keeps them for the controls', async () => {
    const problems: DraftProblem[] = [{ field: 'files[0].mediaType', code: 'INVALID_ARGUMENT', message: 'not a media type' }];
    const { store, calls } = setup(problems);
    await store.getState().loadDraft();
    store.getState().editDraft((d) => d);
    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    expect(calls).toEqual(['get', 'save', 'validate']);
    expect(store.getState().pushProblems).toEqual(problems);
    expect(store.getState().pushPreview).toBeNull();
  });

  it('drops the answer to an edit made stale by a newer one', async () => {
    const { store, push } = setup();
    await store.getState().loadDraft();
    let release!: () => void;
    vi.mocked(push.preview).mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve({ ...PREVIEW, digest: 'sha256:old' }))));
    store.getState().editDraft((d) => ({ ...d, artifactType: 'a/old' }));
    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    store.getState().editDraft((d) => ({ ...d, artifactType: 'a/new' }));
    release();
    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    expect(store.getState().pushPreview?.digest).toBe('sha256:abc');
  });

  it('stages files as layers titled by name, asks their suggestions, and reorders and removes them', async () => {
    const { store } = setup();
    await store.getState().stageFiles([new File(['a'], 'a.txt'), new File(['b'], 'b.txt'), new File(['c'], 'c.txt')]);
    const titles = () => store.getState().pushDraft!.files.map((f) => f.title);
    expect(titles()).toEqual(['a.txt', 'b.txt', 'c.txt']);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().pushSuggestions['s0-a.txt']?.[0]?.mediaType).toBe('text/plain');
    store.getState().moveFile(2, 0);
    expect(titles()).toEqual(['c.txt', 'a.txt', 'b.txt']);
    store.getState().moveFile(0, -1); // clamped: nothing moves
    expect(titles()).toEqual(['c.txt', 'a.txt', 'b.txt']);
    store.getState().removeFile(1);
    expect(titles()).toEqual(['c.txt', 'b.txt']);
    expect(store.getState().pushUploads).toEqual([]);
  });

  it('stages a folder’s files as ONE layer, showing the bytes sent while they upload', async () => {
    const { store, push } = setup();
    let finish!: (staged: StagedFile[]) => void;
    let options: StageOptions | undefined;
    vi.mocked(push.stage).mockImplementationOnce((_files, o) => ((options = o), new Promise((resolve) => (finish = resolve))));
    const files = [new File(['12345'], 'index.html'), new File(['123'], 'main.css')];
    const staging = store.getState().stageFiles(files, 'layers', { relativePaths: ['site/index.html', 'site/css/main.css'], emptyFolders: ['site/empty'] });
    await vi.advanceTimersByTimeAsync(0);
    expect(options?.relativePaths).toEqual(['site/index.html', 'site/css/main.css']);
    expect(options?.emptyFolders).toEqual(['site/empty']);
    expect(store.getState().pushUploads).toEqual([{ id: expect.any(Number), names: ['site'], size: 8, sent: 0 }]);
    options!.onProgress!({ index: 0, sent: 5, size: 5 });
    options!.onProgress!({ index: 1, sent: 2, size: 3 });
    expect(store.getState().pushUploads[0]).toMatchObject({ size: 8, sent: 7 });
    finish([{ id: 'dir-9', name: 'site', size: 0, kind: 'directory' }]);
    await staging;
    expect(store.getState().pushDraft!.files).toEqual([{ stagedId: 'dir-9', title: 'site', mediaType: '', annotations: {} }]);
    expect(store.getState().pushUploads).toEqual([]);
  });

  it('adds a folder picked with the desktop dialog as one layer; a cancelled dialog adds nothing', async () => {
    const { store, push } = setup();
    await store.getState().pickFolder();
    expect(store.getState().pushDraft!.files.map((f) => f.title)).toEqual(['site']);
    expect(store.getState().pushStaged['dir-1']).toMatchObject({ kind: 'directory' });
    vi.mocked(push.pickFolder).mockResolvedValueOnce(null);
    await store.getState().pickFolder();
    expect(store.getState().pushDraft!.files).toHaveLength(1);
    vi.mocked(push.pickFolder).mockRejectedValueOnce(Object.assign(new Error('browser mode has no folder dialog'), { code: 'UNSUPPORTED' }));
    await store.getState().pickFolder();
    expect(store.getState().pushStageError).toMatchObject({ message: expect.stringMatching(/no folder dialog/) });
  });

  it('pushes with the preview’s created time, and after success starts a fresh draft for the same target', async () => {
    const { store, push } = setup();
    await store.getState().loadDraft();
    store.getState().editDraft((d) => ({ ...d, target: { registry: 'local', repository: 'x', tags: ['v1'] } }));
    await store.getState().runPush(); // settles first, without waiting for the timer
    expect(push.run).toHaveBeenCalledWith(expect.objectContaining({ target: { registry: 'local', repository: 'x', tags: ['v1'] } }), PREVIEW.created);
    await store.getState().pushJobEnded('job-1');
    expect(store.getState().pushRun?.outcome).toMatchObject({ state: 'done', digest: 'sha256:abc' });
    expect(store.getState().pushDraft).toEqual({ ...emptyDraft(), target: { registry: 'local', repository: 'x', tags: ['v1'] } });
  });

  it('keeps the running push’s progress per file, ignoring other jobs', async () => {
    const { store, emitProgress } = setup();
    const stop = store.getState().watchPushProgress();
    await store.getState().loadDraft();
    store.getState().editDraft((d) => ({ ...d, target: { registry: 'local', repository: 'x', tags: [] } }));
    await store.getState().runPush();
    const current = (title: string, bytes: number) => ({ digest: 'sha256:x', title, bytes, size: 10 });
    emitProgress({ jobId: 'job-1', bytes: 4, total: 20, current: current('a.txt', 4) } as JobProgressEvent);
    emitProgress({ jobId: 'job-1', bytes: 14, total: 20, current: current('b.txt', 4) } as JobProgressEvent);
    emitProgress({ jobId: 'other', bytes: 1, total: 1, current: current('c.txt', 1) } as JobProgressEvent);
    expect(store.getState().pushFileProgress).toEqual({ 'a.txt': { bytes: 4, size: 10 }, 'b.txt': { bytes: 4, size: 10 } });
    stop();
  });

  it('"Push to this repository" and attach keep the draft’s files and set the target', async () => {
    const { store } = setup();
    await store.getState().stageFiles([new File(['a'], 'a.txt')]);
    await store.getState().startPushTo({ registry: 'localhost:5000', repository: 'docs', subject: 'v1' });
    expect(store.getState().pushDraft).toMatchObject({ mode: 'attach', subject: 'v1', target: { registry: 'localhost:5000', repository: 'docs' }, files: [{ title: 'a.txt' }] });
  });
});

describe('push logic', () => {
  it('moves items within bounds', () => {
    expect(moveItem([1, 2, 3], 0, 2)).toEqual([2, 3, 1]);
    expect(moveItem([1, 2, 3], 2, 99)).toEqual([1, 2, 3]);
    expect(moveItem([1, 2, 3], 5, 0)).toEqual([1, 2, 3]);
  });

  it('maps main’s problems to the controls that show them', () => {
    const byField = problemsByField([
      { field: 'files[0].mediaType', code: 'INVALID_ARGUMENT', message: 'bad.' },
      { field: 'target.tags[1]', code: 'INVALID_ARGUMENT', message: 'tag one.' },
      { field: 'target.tags[2]', code: 'INVALID_ARGUMENT', message: 'tag two.' },
      { field: 'files[0].mediaType', code: 'INVALID_ARGUMENT', message: 'again.' },
    ]);
    expect(byField['files[0].mediaType']).toBe('bad. again.');
    expect(problemsUnder(byField, 'target.tags')).toBe('tag one. tag two.');
    expect(problemsUnder(byField, 'target.repository')).toBeUndefined();
    expect(isShownInline('files[3].mediaType')).toBe(true);
    expect(isShownInline('config.text')).toBe(true);
    expect(isShownInline('somethingElse')).toBe(false);
  });

  it('reads an ORAS annotation file and merges it by title', () => {
    const file = parseAnnotationFile('{"$manifest": {"a": "1"}, "rocket.txt": {"b": "2"}}');
    const draft = { ...emptyDraft(), files: [{ stagedId: 's', title: 'rocket.txt', mediaType: '', annotations: {} }] };
    expect(applyAnnotationFile(draft, file)).toMatchObject({ annotations: { a: '1' }, files: [{ annotations: { b: '2' } }] });
    expect(() => parseAnnotationFile('[')).toThrow(/not JSON/);
    expect(() => parseAnnotationFile('{"x": {"k": 1}}')).toThrow(/"k" of "x" must be a string/);
  });

  it('names the reference as typed', () => {
    expect(referenceOf({ ...emptyDraft(), target: { registry: 'localhost:5000', repository: 'a/b', tags: ['v1', 'latest'] } })).toBe('localhost:5000/a/b:v1,latest');
    expect(referenceOf(emptyDraft())).toBe('');
  });
});
