import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStateEvent } from '../src/shared/contract';
import type { JobOutcome, PushDraftInput, PushPreview, PushStarted } from '../src/shared/push';
import { browseApp, memoryLogins, type BrowseApp } from './support/browse-app';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * The preview's hashing job and digest cache, copying within one registry (blobs
 * mounted, not uploaded), browser-mode uploads kept until the draft is discarded, and
 * a draft edited while its push runs: all through the handlers against a real registry.
 */

const tempDir = useTempDirs('oras-push-more-');
let registry: Registry;
let proxy: FaultProxy;
let app: BrowseApp;

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry.url);
  app = browseApp({ dataDir: await tempDir(), logins: memoryLogins(), stagingParent: await tempDir() });
}, 60_000);

afterAll(async () => {
  await app?.services.dispose();
  await proxy?.stop();
  await registry?.stop();
});

/** jobEvents records job.state events of one kind from now on. */
function jobEvents(kind: string): { states: JobStateEvent[]; progress: number; stop: () => void } {
  const seen = { states: [] as JobStateEvent[], progress: 0, stop: () => {} };
  const ids = new Set<string>();
  seen.stop = app.services.events.subscribe((event, payload) => {
    if (event === 'job.state' && (payload as JobStateEvent).kind === kind) {
      seen.states.push(payload as JobStateEvent);
      ids.add((payload as JobStateEvent).jobId);
    }
    if (event === 'job.progress' && ids.has((payload as { jobId: string }).jobId)) seen.progress += 1;
  });
  return seen;
}

async function outcomeOf(started: PushStarted): Promise<JobOutcome> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const outcome: JobOutcome = await app.call('push.outcome', { jobId: started.jobId });
    if (outcome.state !== 'running') return outcome;
    if (Date.now() > deadline) throw new Error('the job did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('preview', () => {
  it('hashes a large file as a job with progress once; a title edit previews again without reading it', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'big.bin'), Buffer.alloc(16 * 1024 * 1024, 3));
    const [big] = await app.call('files.stage', { paths: [path.join(dir, 'big.bin')] });
    const draft = (title: string): PushDraftInput => ({
      files: [{ stagedId: big.id, title, mediaType: 'application/octet-stream' }],
      reproducible: true,
      target: { registry: registry.host, repository: 'hashed', tags: ['v1'] },
    });
    const events = jobEvents('hash');
    try {
      const first: PushPreview = await app.call('push.preview', { draft: draft('big.bin') });
      expect(events.states.map((s) => s.state)).toEqual(['running', 'done']);
      expect(events.states[0]!.title).toMatch(/^Hash files for /);
      expect(events.progress).toBeGreaterThan(0);
      const renamed: PushPreview = await app.call('push.preview', { draft: draft('renamed.bin') });
      expect(events.states).toHaveLength(2);
      expect(renamed.layers[0]!.digest).toBe(first.layers[0]!.digest);
      expect(renamed.digest).not.toBe(first.digest);
    } finally {
      events.stop();
    }
  });
});

describe('copy', () => {
  it('copies within one registry by mounting the blobs from the source repository', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'payload.bin'), Buffer.alloc(64 * 1024, 9));
    const [payload] = await app.call('files.stage', { paths: [path.join(dir, 'payload.bin')] });
    const pushed = await outcomeOf(
      await app.call('push.run', {
        draft: { files: [{ stagedId: payload.id, title: 'payload.bin', mediaType: 'application/octet-stream' }], reproducible: true, target: { registry: proxy.host, repository: 'team/source', tags: ['v1'] } },
      }),
    );
    expect(pushed.state).toBe('done');
    proxy.requests.length = 0;
    const copied = await outcomeOf(
      await app.call('artifacts.copy', { from: { registry: proxy.host, repository: 'team/source', reference: 'v1' }, to: { registry: proxy.host, repository: 'team/copy', tag: 'copied' } }),
    );
    expect(copied).toMatchObject({ state: 'done', digest: pushed.digest, registry: proxy.host, repository: 'team/copy', tag: 'copied' });
    const mounts = proxy.requests.filter((r) => r.method === 'POST' && r.url.includes('/team/copy/blobs/uploads/') && r.url.includes('mount='));
    expect(mounts.length).toBeGreaterThan(0);
    expect(mounts.every((r) => r.url.includes('from=team%2Fsource') || r.url.includes('from=team/source'))).toBe(true);
    // Nothing was uploaded: no blob body went to the copy's repository.
    expect(proxy.requests.filter((r) => r.url.includes('/team/copy/blobs/uploads/') && (r.method === 'PUT' || r.method === 'PATCH'))).toEqual([]);
    const details = await app.call('browse.manifest', { registry: registry.host, repository: 'team/copy', reference: 'copied' });
    expect(details.descriptor.digest).toBe(pushed.digest);
  });
});

describe('local store', () => {
  it('removes a layout it made for a push that failed', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'note.txt'), 'note');
    const [note] = await app.call('files.stage', { paths: [path.join(dir, 'note.txt')] });
    const outcome = await outcomeOf(
      await app.call('push.run', {
        draft: {
          mode: 'attach',
          subject: 'v1',
          files: [{ stagedId: note.id, title: 'note.txt', mediaType: 'text/plain' }],
          artifactType: 'application/vnd.example.note',
          target: { registry: 'local', repository: 'ghost/town' },
        },
      }),
    );
    expect(outcome).toMatchObject({ state: 'failed', error: { code: 'NOT_FOUND' } });
    expect(existsSync(path.join(app.services.dataDir, 'oci-layout', 'ghost'))).toBe(false);
    await app.call('drafts.discard', {});
  });
});

describe('drafts', () => {
  it('keeps a browser-mode upload while the draft lives, and deletes it when the draft is discarded', async () => {
    const staged = await app.services.staging.receive('notes.txt', Readable.from([Buffer.from('uploaded notes')]));
    const file = app.services.staging.resolve(staged.id).path;
    const state = await app.call('drafts.save', {
      draft: { files: [{ stagedId: staged.id, title: 'notes.txt', mediaType: 'text/plain' }], target: { registry: 'local', repository: 'notes', tags: [] } },
    });
    expect(state.staged[staged.id]).toEqual({ id: staged.id, name: 'notes.txt', size: 14, kind: 'file' });
    const suggestions = await app.call('push.suggestMediaTypes', { stagedId: staged.id });
    expect(suggestions[0].mediaType).toBe('text/plain');
    expect(existsSync(file)).toBe(true);
    expect(await app.call('drafts.discard', {})).toEqual({ discarded: true });
    expect(existsSync(file)).toBe(false);
    expect(await app.attempt('push.suggestMediaTypes', { stagedId: staged.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await app.call('drafts.discard', {})).toEqual({ discarded: false });
  });

  it('shows a browser-mode upload gone after a restart as missing, and keeps the rest of the draft', async () => {
    const dataDir = await tempDir();
    const first = browseApp({ dataDir, logins: memoryLogins(), stagingParent: await tempDir() }, 'browser');
    const staged = await first.services.staging.receive('gone.txt', Readable.from([Buffer.from('soon gone')]));
    await first.call('drafts.save', { draft: { files: [{ stagedId: staged.id, title: 'gone.txt', mediaType: 'text/plain' }], target: { registry: 'local', repository: 'gone' } } });
    await first.services.dispose(); // the server stops: its staging folder goes
    const second = browseApp({ dataDir, logins: memoryLogins(), stagingParent: await tempDir() }, 'browser');
    try {
      const state = await second.call('drafts.get', {});
      expect(state.draft.files[0].title).toBe('gone.txt');
      expect(state.staged[staged.id]).toEqual({ id: staged.id, name: 'gone.txt', size: 9, kind: 'file', missing: true });
      expect(await second.call('push.validate', { draft: state.draft })).toEqual([
        { field: 'files[0]', code: 'NOT_FOUND', message: '"gone.txt" is no longer available: drop it again' },
      ]);
    } finally {
      await second.services.dispose();
    }
  });

  it('keeps a draft edited while its push ran', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'slow.bin'), Buffer.alloc(256 * 1024, 1));
    const [slow] = await app.call('files.stage', { paths: [path.join(dir, 'slow.bin')] });
    const draft: PushDraftInput = {
      files: [{ stagedId: slow.id, title: 'slow.bin', mediaType: 'application/octet-stream' }],
      target: { registry: proxy.host, repository: 'edited', tags: ['v1'] },
    };
    proxy.inject((req) => (req.url.includes('/edited/blobs/uploads/') && req.method === 'PUT' ? { kind: 'delay', ms: 1000 } : undefined));
    try {
      const started: PushStarted = await app.call('push.run', { draft });
      await app.call('drafts.save', { draft: { ...draft, target: { ...draft.target!, tags: ['v2'] } } });
      expect((await outcomeOf(started)).state).toBe('done');
    } finally {
      proxy.inject();
    }
    expect((await app.call('drafts.get', {})).draft.target.tags).toEqual(['v2']);
    await app.call('drafts.discard', {});
  });
});
