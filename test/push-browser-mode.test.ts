import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrasApi } from '../src/shared/contract';
import type { PushDraftInput } from '../src/shared/push';
import type { BrowserMode } from '../src/main/web/browser-mode';
import { jobOutcome, startBrowserModeApp, value } from './support/browser-mode-app';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * The composer's path in browser mode, over HTTP as the page's shim sends it: files
 * uploaded into the staging folder, the draft saved, previewed and pushed to a real
 * registry; the upload stays while the draft lives and is deleted once it is pushed.
 */

const ROCKET_MANIFEST = 'sha256:d070b65c4898a02357f5fc4488aa191d90a90ac7c907eb7ac079b6f483fc8608';

const tempDir = useTempDirs('oras-push-web-');
let registry: Registry;
let mode: BrowserMode;
let oras: OrasApi;

beforeAll(async () => {
  registry = await startRegistry();
  ({ mode, oras } = await startBrowserModeApp(tempDir));
}, 60_000);

afterAll(async () => {
  await mode?.close();
  await registry?.stop();
});

describe('push in browser mode', () => {
  it("uploads the rocket, previews and pushes it as the seed's digest, and deletes the uploads once pushed", async () => {
    const [rocket, config] = value(
      await oras.stageFiles([new File(['🚀'], 'rocket.txt'), new File(['{"RocketVersion":"v0.1.0"}'], 'rocket-config.json')]),
    );
    const suggestions = value(await oras.suggestMediaTypes({ stagedId: rocket!.id }));
    expect(suggestions[0]).toMatchObject({ mediaType: 'text/plain', source: 'extension' });
    const draft: PushDraftInput = {
      files: [{ stagedId: rocket!.id, title: 'rocket.txt', mediaType: suggestions[0]!.mediaType }],
      config: { kind: 'file', stagedId: config!.id, mediaType: 'application/vnd.acme.rocket.config.v1+json' },
      imageSpec: 'v1.0',
      target: { registry: registry.host, repository: 'mystuff/myrocket', tags: ['v0.1.0'] },
    };
    const saved = value(await oras.saveDraft({ draft }));
    expect(saved.staged[rocket!.id]).toEqual({ id: rocket!.id, name: 'rocket.txt', size: 4, kind: 'file' });
    const uploaded = mode.services.staging.resolve(rocket!.id).path;

    const preview = value(await oras.previewPush({ draft }));
    expect(preview.digest).toBe(ROCKET_MANIFEST);
    const started = value(await oras.runPush({ draft }));
    expect(await jobOutcome(oras, started.jobId)).toMatchObject({ state: 'done', digest: ROCKET_MANIFEST });
    expect(value(await oras.getManifest({ registry: registry.host, repository: 'mystuff/myrocket', reference: 'v0.1.0' })).descriptor.digest).toBe(ROCKET_MANIFEST);
    expect(value(await oras.getDraft()).draft).toBeNull();
    expect(existsSync(uploaded)).toBe(false);
  });

  it('pushes only what was uploaded: no path from the page, no id it never gave out', async () => {
    const byPath = await fetch(`${mode.server.origin}/api/files.stage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-oras-token': mode.server.token },
      body: JSON.stringify({ paths: ['/etc/passwd'] }),
    });
    expect(await byPath.json()).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    expect(await oras.previewPush({ draft: { files: [{ stagedId: 'nope', title: 'x' }], target: { registry: 'local', repository: 'x' } } })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/^files\[0\] \(x\): .*drop it again/) },
    });
  });
});
