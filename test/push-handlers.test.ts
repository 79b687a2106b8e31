import { cp, mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStateEvent, StagedFile } from '../src/shared/contract';
import type { JobOutcome, PushDraftInput, PushPreview, PushStarted } from '../src/shared/push';
import type { AppServices } from '../src/main/services';
import { browseApp, memoryLogins, type BrowseApp } from './support/browse-app';
import { buildCliBin, type CliBin } from './support/cli-bin';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * The push composer's main side through the handlers, as the window calls it, against
 * real registries: files staged by path (Electron), the draft saved in the data
 * folder, the preview, the push job and its outcome, attach, copy, and the `oras`
 * line the preview shows run for real with the CLI.
 */

const ROCKET_MANIFEST = 'sha256:d070b65c4898a02357f5fc4488aa191d90a90ac7c907eb7ac079b6f483fc8608';

const tempDir = useTempDirs('oras-push-');
let registry: Registry;
let locked: Registry;
let proxy: FaultProxy;
let cli: CliBin;
let app: BrowseApp;
let dataDir: string;

beforeAll(async () => {
  [registry, locked, cli] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: 'htpasswd', users: { rocketeer: 'Rocket-pass-1' } }),
    buildCliBin(),
  ]);
  proxy = await startFaultProxy(registry.url);
  dataDir = await tempDir();
  app = browseApp({ dataDir, logins: memoryLogins(), stagingParent: await tempDir() });
}, 120_000);

afterAll(async () => {
  await app?.services.dispose();
  await cli?.remove();
  await proxy?.stop();
  await Promise.all([registry?.stop(), locked?.stop()]);
});

/** finished waits for a job's final state. */
function finished(services: AppServices, jobId: string): Promise<JobStateEvent> {
  return new Promise((resolve) => {
    const stop = services.events.subscribe((event, payload) => {
      const state = payload as JobStateEvent;
      if (event === 'job.state' && state.jobId === jobId && state.state !== 'running' && state.state !== 'queued') {
        stop();
        resolve(state);
      }
    });
  });
}

async function stage(...paths: string[]): Promise<StagedFile[]> {
  return app.call('files.stage', { paths });
}

/** pushed runs push.run and waits for the job; answers the outcome. */
async function pushed(draft: PushDraftInput, created?: string): Promise<JobOutcome> {
  const started: PushStarted = await app.call('push.run', { draft, ...(created ? { created } : {}) });
  const end = finished(app.services, started.jobId);
  // The job may have ended before the subscription: the outcome says so either way.
  await Promise.race([end, until(async () => (await app.call('push.outcome', { jobId: started.jobId })).state !== 'running')]);
  return app.call('push.outcome', { jobId: started.jobId });
}

async function until(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function rocketFiles(): Promise<{ dir: string; rocket: StagedFile; config: StagedFile }> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'rocket.txt'), '🚀');
  await writeFile(path.join(dir, 'rocket-config.json'), '{"RocketVersion":"v0.1.0"}');
  const [rocket, config] = await stage(path.join(dir, 'rocket.txt'), path.join(dir, 'rocket-config.json'));
  return { dir, rocket: rocket!, config: config! };
}

describe('push through the handlers', () => {
  it("pushes the seed's rocket with image spec 1.0 as the seed's manifest digest, the preview saying so first", async () => {
    const { rocket, config } = await rocketFiles();
    const draft: PushDraftInput = {
      files: [{ stagedId: rocket.id, title: 'rocket.txt', mediaType: 'text/plain' }],
      config: { kind: 'file', stagedId: config.id, mediaType: 'application/vnd.acme.rocket.config.v1+json' },
      imageSpec: 'v1.0',
      target: { registry: registry.host, repository: 'mystuff/myrocket', tags: ['v0.1.0'] },
    };
    await app.call('drafts.save', { draft });
    const preview: PushPreview = await app.call('push.preview', { draft });
    expect(preview.digest).toBe(ROCKET_MANIFEST);
    expect(preview.exists).toBe(false);
    expect(preview.layers).toEqual([
      { stagedId: rocket.id, title: 'rocket.txt', mediaType: 'text/plain', digest: 'sha256:ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5', size: 4 },
    ]);
    expect(preview.command.line).toContain('--image-spec v1.0');

    const outcome = await pushed(draft);
    expect(outcome).toMatchObject({ state: 'done', digest: ROCKET_MANIFEST, registry: registry.host, repository: 'mystuff/myrocket', tag: 'v0.1.0' });
    const details = await app.call('browse.manifest', { registry: registry.host, repository: 'mystuff/myrocket', reference: 'v0.1.0' });
    expect(details.descriptor.digest).toBe(ROCKET_MANIFEST);
    // Pushed: the draft is gone, its media types are remembered, the preview now says "nothing to upload".
    const state = await app.call('drafts.get', {});
    expect(state.draft).toBeNull();
    expect(state.recentMediaTypes).toEqual(expect.arrayContaining(['text/plain', 'application/vnd.acme.rocket.config.v1+json']));
    const again = await rocketFiles();
    const second: PushPreview = await app.call('push.preview', {
      draft: { ...draft, files: [{ stagedId: again.rocket.id, title: 'rocket.txt', mediaType: 'text/plain' }], config: { kind: 'file', stagedId: again.config.id, mediaType: 'application/vnd.acme.rocket.config.v1+json' } },
    });
    expect(second.exists).toBe(true);
  });

  it('pushes what the preview showed: its digest, its created time', async () => {
    const { rocket } = await rocketFiles();
    const draft: PushDraftInput = {
      files: [{ stagedId: rocket.id, title: 'rocket.txt', mediaType: 'text/plain' }],
      artifactType: 'application/vnd.example.rocket',
      target: { registry: registry.host, repository: 'previewed', tags: ['v1'] },
    };
    const preview: PushPreview = await app.call('push.preview', { draft });
    expect(preview.created).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(JSON.parse(preview.manifest).annotations['org.opencontainers.image.created']).toBe(preview.created);
    await new Promise((r) => setTimeout(r, 1100));
    const outcome = await pushed(draft, preview.created);
    expect(outcome).toMatchObject({ state: 'done', digest: preview.digest });
  });

  it('gives the same digest as `oras push --reproducible` run as the preview shows it, across runs a second apart and folder copies with other times', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'docs', 'guide'), { recursive: true });
    await writeFile(path.join(dir, 'docs', 'guide', 'start.md'), '# Start\n');
    await writeFile(path.join(dir, 'docs', 'index.md'), '# Docs\n');
    await writeFile(path.join(dir, 'hello.txt'), 'hello\n');
    const [docs, hello] = await stage(path.join(dir, 'docs'), path.join(dir, 'hello.txt'));
    const draft = (docsId: string, helloId: string): PushDraftInput => ({
      files: [
        { stagedId: docsId, title: 'docs', mediaType: '' },
        { stagedId: helloId, title: 'hello.txt', mediaType: 'text/plain', annotations: { 'com.example.kind': 'greeting' } },
      ],
      config: { kind: 'inline', text: '{"purpose":"test"}', mediaType: 'application/vnd.example.config.v1+json' },
      annotations: { 'com.example.team': 'rockets' },
      reproducible: true,
      target: { registry: registry.host, repository: 'repro', tags: ['app'] },
    });
    const first: PushPreview = await app.call('push.preview', { draft: draft(docs!.id, hello!.id) });
    expect(first.created).toBeUndefined();
    expect(JSON.parse(first.manifest).annotations).toEqual({ 'com.example.team': 'rockets' });
    await new Promise((r) => setTimeout(r, 1100));

    // A copy of the folder with other modification times, staged afresh.
    const copyDir = await tempDir();
    await cp(path.join(dir, 'docs'), path.join(copyDir, 'docs'), { recursive: true });
    await writeFile(path.join(copyDir, 'hello.txt'), 'hello\n');
    await utimes(path.join(copyDir, 'docs', 'index.md'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    await utimes(path.join(copyDir, 'docs', 'guide'), new Date(2002, 1, 1), new Date(2002, 1, 1));
    const [docsCopy, helloCopy] = await stage(path.join(copyDir, 'docs'), path.join(copyDir, 'hello.txt'));
    const second: PushPreview = await app.call('push.preview', { draft: draft(docsCopy!.id, helloCopy!.id) });
    expect(second.digest).toBe(first.digest);

    const outcome = await pushed(draft(docsCopy!.id, helloCopy!.id));
    expect(outcome).toMatchObject({ state: 'done', digest: first.digest });

    // The equivalent command, run for real where it says, with the files it needs.
    // It reads an inline config: it runs in a folder of links the app made, holding that
    // file (the latest preview's: each preview replaces the folder of the one before).
    const { command } = second;
    expect(command.prepared).toBe(true);
    expect(command.cwd!.startsWith(path.join(dataDir, 'push-command'))).toBe(true);
    expect(command.words).toContain('--reproducible');
    const words = command.words.slice(1).map((w) => w.replace(`${registry.host}/repro:app`, `${registry.host}/repro-cli:app`));
    expect(command.env).toEqual({ SOURCE_DATE_EPOCH: process.env['SOURCE_DATE_EPOCH'] ?? '' });
    expect(command.line.startsWith('SOURCE_DATE_EPOCH=')).toBe(true);
    const run = await cli.run(words, { cwd: command.cwd!, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: await tempDir(), ...command.env } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Digest: ${first.digest}`);
  });

  it('gives a line that runs as shown when titles are not the files’ names in one folder', async () => {
    const left = await tempDir();
    const right = await tempDir();
    await writeFile(path.join(left, 'a.txt'), 'left\n');
    await mkdir(path.join(right, 'site'));
    await writeFile(path.join(right, 'site', 'index.html'), '<p>hi</p>\n');
    await writeFile(path.join(right, 'b.bin'), Buffer.from([1, 2, 3]));
    const [a, site, b] = await stage(path.join(left, 'a.txt'), path.join(right, 'site'), path.join(right, 'b.bin'));
    const draft: PushDraftInput = {
      files: [
        { stagedId: a!.id, title: 'notes/renamed.txt', mediaType: 'text/plain', annotations: { 'com.example.side': 'left' } },
        { stagedId: site!.id, title: 'www', mediaType: '' },
        { stagedId: b!.id, title: 'b.bin', mediaType: 'application/octet-stream' },
      ],
      config: { kind: 'inline', text: '{"x":1}', mediaType: 'application/vnd.example.config.v1+json' },
      annotations: { 'com.example.team': 'links' },
      reproducible: true,
      target: { registry: registry.host, repository: 'linked', tags: ['v1'] },
    };
    const preview: PushPreview = await app.call('push.preview', { draft });
    const { command } = preview;
    expect(command.note).toBeUndefined();
    expect(command.prepared).toBe(true);
    expect(command.cwd!.startsWith(path.join(dataDir, 'push-command'))).toBe(true);
    // Run as shown, in the folder it names, writing nothing first.
    const words = command.words.slice(1).map((w) => w.replace(`${registry.host}/linked:v1`, `${registry.host}/linked-cli:v1`));
    const run = await cli.run(words, { cwd: command.cwd!, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: await tempDir(), ...command.env } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Digest: ${preview.digest}`);
    // Another draft's preview replaces the folder; the files themselves are untouched.
    const other = await app.call('push.preview', { draft: { ...draft, files: draft.files!.slice(0, 1) } });
    expect(other.command.cwd).not.toBe(command.cwd);
    await expect(stat(command.cwd!)).rejects.toThrow();
    expect(await readFile(path.join(left, 'a.txt'), 'utf8')).toBe('left\n');
  });

  it('refuses a bad media type or a bad JSON config naming the field, and keeps the draft', async () => {
    const { rocket } = await rocketFiles();
    const draft: PushDraftInput = {
      files: [{ stagedId: rocket.id, title: 'rocket.txt', mediaType: 'text plain' }],
      target: { registry: registry.host, repository: 'refused', tags: ['v1'] },
    };
    const problems = await app.call('push.validate', { draft });
    expect(problems).toEqual([{ field: 'files[0].mediaType', code: 'INVALID_MEDIA_TYPE', message: expect.stringMatching(/^invalid media type of rocket\.txt "text plain"/) }]);
    const badType = await app.attempt('push.preview', { draft });
    expect(badType).toMatchObject({ ok: false, error: { code: 'INVALID_MEDIA_TYPE' } });
    expect(!badType.ok && badType.error.message).toMatch(/^files\[0\] \(rocket\.txt\)\.mediaType: invalid media type of rocket\.txt "text plain"/);
    const run = await app.attempt('push.run', { draft });
    expect(run).toMatchObject({ ok: false, error: { code: 'INVALID_MEDIA_TYPE' } });
    expect((await app.call('drafts.get', {})).draft.files[0].mediaType).toBe('text plain');

    const badConfig = await app.attempt('push.preview', {
      draft: { ...draft, files: [{ stagedId: rocket.id, title: 'rocket.txt', mediaType: 'text/plain' }], config: { kind: 'inline', text: '{"a":', mediaType: 'application/json' } },
    });
    expect(badConfig).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(!badConfig.ok && badConfig.error.message).toMatch(/^config\.text: the config is not valid JSON/);
    const badConfigType = await app.attempt('push.preview', {
      draft: { ...draft, files: [], config: { kind: 'inline', text: '{}', mediaType: 'json' } },
    });
    expect(!badConfigType.ok && badConfigType.error.message).toMatch(/^config\.mediaType: invalid config media type/);
    const badCreated = await app.attempt('push.run', { draft: { ...draft, files: [{ stagedId: rocket.id, title: 'rocket.txt', mediaType: 'text/plain' }] }, created: 'yesterday' });
    expect(badCreated).toMatchObject({ ok: false, error: { code: 'INVALID_ANNOTATION', message: expect.stringMatching(/RFC 3339/) } });
    const noRepository = await app.attempt('push.preview', { draft: { ...draft, target: { registry: registry.host, repository: '', tags: [] } } });
    expect(!noRepository.ok && noRepository.error.message).toMatch(/^target\.repository: /);
    await app.call('drafts.discard', {});
  });

  it('keeps the draft when the registry refuses the login', async () => {
    const { rocket } = await rocketFiles();
    const draft: PushDraftInput = {
      files: [{ stagedId: rocket.id, title: 'rocket.txt', mediaType: 'text/plain' }],
      target: { registry: locked.host, repository: 'private', tags: ['v1'] },
    };
    const outcome = await pushed(draft);
    expect(outcome).toMatchObject({ state: 'failed', error: { code: 'UNAUTHORIZED' } });
    const state = await app.call('drafts.get', {});
    expect(state.draft.target).toEqual({ registry: locked.host, repository: 'private', tags: ['v1'] });
    expect(state.staged[rocket.id]).toMatchObject({ name: 'rocket.txt', size: 4 });
    await app.call('drafts.discard', {});
  });

  it('cancelled mid-upload through a slow link: no tag is written and the draft stays', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'big.bin'), Buffer.alloc(24 * 1024 * 1024, 7));
    const [big] = await stage(path.join(dir, 'big.bin'));
    const draft: PushDraftInput = {
      files: [{ stagedId: big!.id, title: 'big.bin', mediaType: 'application/octet-stream' }],
      target: { registry: proxy.host, repository: 'cancelled', tags: ['never'] },
    };
    // Every upload request waits 20 s at the proxy: the push is stuck mid-upload.
    proxy.inject((req) => (/\/blobs\/uploads\//.test(req.url) && (req.method === 'PUT' || req.method === 'PATCH') ? { kind: 'delay', ms: 20_000 } : undefined));
    try {
      const started: PushStarted = await app.call('push.run', { draft });
      const end = finished(app.services, started.jobId);
      await until(async () => proxy.requests.some((r) => r.url.includes('/cancelled/blobs/uploads/') && (r.method === 'PUT' || r.method === 'PATCH')));
      expect(await app.call('jobs.cancel', { jobId: started.jobId })).toEqual({ cancelled: true });
      expect((await end).state).toBe('cancelled');
      expect(await app.call('push.outcome', { jobId: started.jobId })).toMatchObject({ state: 'cancelled' });
    } finally {
      proxy.inject();
    }
    const tags = await app.attempt('browse.tags', { registry: registry.host, repository: 'cancelled' });
    expect(tags.ok ? tags.value.tags : []).not.toContain('never');
    expect((await app.call('drafts.get', {})).draft.target.tags).toEqual(['never']);
    await app.call('drafts.discard', {});
  }, 60_000);

  it('pushes to the local store, then copies it with its referrers to the registry', async () => {
    const { rocket } = await rocketFiles();
    const local = await pushed({
      files: [{ stagedId: rocket.id, title: 'rocket.txt', mediaType: 'text/plain' }],
      reproducible: true,
      target: { registry: 'local', repository: 'shelf/rocket', tags: ['v1'] },
    });
    expect(local).toMatchObject({ state: 'done', registry: 'local', repository: 'shelf/rocket', tag: 'v1' });
    const sbom = path.join(await tempDir(), 'sbom.json');
    await writeFile(sbom, '{"spdxVersion":"SPDX-2.3"}');
    const [sbomFile] = await stage(sbom);
    const attached = await pushed({
      mode: 'attach',
      subject: 'v1',
      files: [{ stagedId: sbomFile!.id, title: 'sbom.json', mediaType: 'application/spdx+json' }],
      artifactType: 'application/vnd.example.sbom',
      target: { registry: 'local', repository: 'shelf/rocket' },
    });
    expect(attached.state).toBe('done');

    const started: PushStarted = await app.call('artifacts.copy', {
      from: { registry: 'local', repository: 'shelf/rocket', reference: 'v1' },
      to: { registry: registry.host, repository: 'copied/rocket' },
      referrers: true,
    });
    const end = await finished(app.services, started.jobId);
    expect(end.state).toBe('done');
    expect(await app.call('push.outcome', { jobId: started.jobId })).toMatchObject({ state: 'done', digest: local.digest, tag: 'v1' });
    const details = await app.call('browse.manifest', { registry: registry.host, repository: 'copied/rocket', reference: 'v1' });
    expect(details.descriptor.digest).toBe(local.digest);
    const tree = await app.call('browse.referrers', { registry: registry.host, repository: 'copied/rocket', digest: local.digest });
    expect(tree.referrers.map((r: { descriptor: { digest: string } }) => r.descriptor.digest)).toContain(attached.digest);
  });

  it('attaches a file to a manifest in the registry and finds it among the referrers', async () => {
    const details = await app.call('browse.manifest', { registry: registry.host, repository: 'mystuff/myrocket', reference: 'v0.1.0' });
    const sig = path.join(await tempDir(), 'rocket.sig');
    await writeFile(sig, '{"payload":"e30","protected":"e30","signature":"c2ln"}');
    const [sigFile] = await stage(sig);
    const suggestions = await app.call('push.suggestMediaTypes', { stagedId: sigFile!.id });
    expect(suggestions[0].mediaType).toBe('application/jose+json');
    const outcome = await pushed({
      mode: 'attach',
      subject: details.descriptor.digest,
      files: [{ stagedId: sigFile!.id, title: 'rocket.sig', mediaType: suggestions[0].mediaType }],
      artifactType: 'application/vnd.example.signature',
      target: { registry: registry.host, repository: 'mystuff/myrocket' },
    });
    expect(outcome.state).toBe('done');
    const tree = await app.call('browse.referrers', { registry: registry.host, repository: 'mystuff/myrocket', digest: details.descriptor.digest });
    const found = tree.referrers.find((r: { descriptor: { digest: string } }) => r.descriptor.digest === outcome.digest);
    expect(found?.descriptor.artifactType).toBe('application/vnd.example.signature');
  });

  it('keeps the draft across a new services instance over the same data folder', async () => {
    const { rocket } = await rocketFiles();
    const draft: PushDraftInput = {
      files: [{ stagedId: rocket.id, title: 'rocket.txt', mediaType: 'text/plain', annotations: { a: 'b' } }],
      config: { kind: 'inline', text: '{"x":1}', mediaType: 'application/json' },
      annotations: { 'com.example': 'kept' },
      target: { registry: registry.host, repository: 'kept', tags: ['v1', 'v2'] },
    };
    const saved = await app.call('drafts.save', { draft });
    const restarted = browseApp({ dataDir, logins: memoryLogins(), stagingParent: await tempDir() });
    try {
      const state = await restarted.call('drafts.get', {});
      expect(state.draft).toEqual(saved.draft);
      expect(state.staged[rocket.id]).toEqual({ id: rocket.id, name: 'rocket.txt', size: 4, kind: 'file' });
      // The file dropped before the restart is found again by the new instance.
      const preview: PushPreview = await restarted.call('push.preview', { draft });
      expect(preview.layers[0]!.digest).toBe('sha256:ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5');
      expect(await restarted.call('drafts.discard', {})).toEqual({ discarded: true });
    } finally {
      await restarted.services.dispose();
    }
    expect((await app.call('drafts.get', {})).draft).toBeNull();
  });
});
