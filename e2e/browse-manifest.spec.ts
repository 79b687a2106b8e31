import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddTagsDialog, DeleteManifestDialog } from './pages/manifest-jobs';
import { startManifestSession, type ManifestSession } from './pages/manifest-session';
import { BlobView, ManifestView } from './pages/manifest-view';
import { contrastOf, unnamedControls } from './support/a11y';
import { launchers } from './support/launchers';
import { screenshot } from './support/screenshots';

/**
 * The manifest and blob views, end to end: browser mode in Chromium against a real
 * registry seeded with the engine (an artifact with three titled layers and a config,
 * a second version of it, a referrer, an index of two platforms, a large blob). Opened
 * by clicking and by route; screenshots of each view in both themes and at 800×600.
 * Downloads and the jobs panel: downloads.spec.ts.
 */

for (const launcher of launchers.filter((l) => l.name === 'browser')) {
  describe.skipIf(launcher.skipReason !== undefined)(`manifest and blob views (${launcher.title})`, () => {
    let s: ManifestSession;
    const view = () => new ManifestView(s.app.page);
    const shot = (name: string) => screenshot(s.app.page, `${launcher.name}-manifest-${name}`);
    const themes = async (name: string) => {
      for (const theme of ['Light', 'Dark'] as const) {
        await s.app.setTheme(theme);
        await shot(`${name}-${theme.toLowerCase()}`);
      }
      await s.app.setTheme('Light');
    };

    beforeAll(async () => {
      s = await startManifestSession(launcher);
    }, 180_000);
    afterAll(() => s?.close());

    it('opens the artifact by clicking from its tags: three titled layers, the config and its preview', async () => {
      await s.go(`#/r/${s.host}/docs/artifact`);
      await s.app.page.locator('[data-tag-link="v1"]').click();
      await view().waitUntilLoaded();
      expect(await s.location()).toBe(`#/r/${s.host}/docs/artifact:v1`);
      expect(await view().heading.textContent()).toBe('docs/artifact:v1');
      expect(await view().layerTitles()).toEqual(['rocket.txt', 'notes.md', 'logo.png']);
      expect(await view().factText('Digest')).toContain(s.seed.artifact.digest);
      expect(await view().factText('Artifact type')).toBe('application/vnd.demo.docs.v1');
      expect(await view().config.textContent()).toContain('application/vnd.demo.config.v1+json');
      await view().config.locator('.preview-text').waitFor();
      expect(await view().config.locator('.preview-text').textContent()).toBe('{\n  "version": 1\n}');
      expect(await view().command('oras manifest fetch').textContent()).toBe(`oras manifest fetch ${s.host}/docs/artifact:v1`);
      expect(await view().command('oras pull').textContent()).toBe(`oras pull ${s.host}/docs/artifact:v1`);
      // Every digest in the raw JSON is a link to its blob.
      const links = await view().rawJson.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links).toContain(`#/r/${s.host}/docs/artifact/blobs/${s.seed.artifact.layers['rocket.txt']}`);
      expect(await unnamedControls(view().root)).toEqual([]);
      // The JSON's colours read in both themes (WCAG AA, 4.5:1).
      for (const theme of ['Light', 'Dark'] as const) {
        await s.app.setTheme(theme);
        for (const kind of ['key', 'string', 'number', 'punct', 'digest']) {
          expect(await contrastOf(view().rawJson.locator(`.json-${kind}`).first()), `${theme} .json-${kind}`).toBeGreaterThanOrEqual(4.5);
        }
      }
      await themes('1-artifact');
    });

    it('shows the referrer in the tree, which opens its manifest', async () => {
      const link = view().referrers.getByRole('link', { name: /application\/vnd\.demo\.signature/ });
      await link.waitFor();
      await link.click();
      await view().waitUntilLoaded();
      expect(await s.location()).toBe(`#/r/${s.host}/docs/artifact@${s.seed.referrer}`);
      expect(await view().factText('Subject')).toBe(s.seed.artifact.digest);
      await view().referrers.getByText('No referrers').waitFor();
      await themes('2-referrer');
    });

    it('opens the index by route: its own digest and two platforms, each opening its manifest', async () => {
      await s.go(`#/r/${s.host}/multi/app:v1`);
      await view().waitUntilLoaded();
      expect(await view().factText('Digest')).toContain(s.seed.index.digest);
      expect(await view().platformNames()).toEqual(['linux/amd64', 'linux/arm64/v8']);
      await themes('3-index');
      await view().platforms.getByRole('link', { name: 'linux/arm64/v8' }).click();
      await view().waitUntilLoaded();
      expect(await s.location()).toBe(`#/r/${s.host}/multi/app@${s.seed.index.arm64}`);
    });

    it('compares with another tag', async () => {
      await s.go(`#/r/${s.host}/docs/artifact:v1`);
      await view().waitUntilLoaded();
      expect(await view().compareWith('v2')).toBe('Against v2: 1 added, 1 removed, 1 changed, 2 the same.');
      await view().section('Compare with another tag').scrollIntoViewIfNeeded();
      await themes('4-compare');
    });

    it('opens blobs: text, a PNG shown as an image, and the hex of a large binary (first 64 KiB only)', async () => {
      const rocket = s.seed.artifact.layers['rocket.txt']!;
      await s.go(`#/r/${s.host}/docs/artifact/blobs/${rocket}`);
      const blob = new BlobView(s.app.page);
      await blob.waitUntilLoaded();
      expect(await blob.preview.locator('.preview-text').textContent()).toBe('🚀 to the moon\n');
      expect(await blob.root.locator('.command-text').textContent()).toBe(`oras blob fetch -o ${rocket.slice(7)} ${s.host}/docs/artifact@${rocket}`);
      await themes('5-blob-text');
      await s.go(`#/r/${s.host}/docs/artifact/blobs/${s.seed.artifact.layers['logo.png']}`);
      await blob.preview.locator('img').waitFor();
      expect(await blob.preview.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(4);
      await themes('6-blob-image');
      await s.go(`#/r/${s.host}/big/blob/blobs/${s.seed.big.digest}`);
      await blob.preview.locator('.hex-table').waitFor();
      expect(await blob.preview.textContent()).toContain('Showing the first 64.0 KiB of 3.00 MiB');
      await themes('7-blob-hex');
    });

    it('says plainly when the registry refuses deletes (405), and deletes nothing', async () => {
      s.proxy.inject((req) => (req.method === 'DELETE' ? { kind: 'status', status: 405, body: '{"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]}' } : undefined));
      try {
        await s.go(`#/r/${s.host}/multi/app:v1`);
        await view().waitUntilLoaded();
        await view().deleteButton.click();
        const del = new DeleteManifestDialog(s.app.page);
        await del.tagsLine.waitFor();
        await del.confirm();
        await del.refused.waitFor();
        expect(await del.refused.textContent()).toBe('This registry does not allow deleting (it refuses DELETE requests). Nothing was deleted.');
        expect(await del.root.getByRole('alert').textContent()).toMatch(/^Not supported/);
        await shot('9-delete-refused');
        await del.cancel();
        await del.root.waitFor({ state: 'detached' });
      } finally {
        s.proxy.inject();
      }
      expect((await fetch(`${s.registry.url}/v2/multi/app/manifests/v1`, { headers: { accept: 'application/vnd.oci.image.index.v1+json' } })).status).toBe(200);
    });

    it('adds a tag, then deletes the manifest after naming every tag on it', async () => {
      await s.go(`#/r/${s.host}/docs/artifact:v2`);
      await view().waitUntilLoaded();
      await view().addTagButton.click();
      const add = new AddTagsDialog(s.app.page);
      await add.root.waitFor();
      await shot('8-add-tags');
      await add.add('v2-extra, stable');
      await add.root.waitFor({ state: 'detached' });
      expect(await view().status.textContent()).toBe('Tagged v2-extra, stable.');

      const del = new DeleteManifestDialog(s.app.page);
      for (const theme of ['Dark', 'Light'] as const) {
        await s.app.setTheme(theme);
        await view().deleteButton.click();
        await del.tagsLine.waitFor();
        expect(await del.tagsLine.textContent()).toBe('Tags deleted with it: stable, v2, v2-extra');
        expect(await del.root.textContent()).toContain("registry's garbage collection");
        await shot(`10-delete-confirm-${theme.toLowerCase()}`);
        if (theme === 'Dark') {
          await del.cancel();
          await del.root.waitFor({ state: 'detached' });
        }
      }
      await del.confirm();
      await del.root.waitFor({ state: 'detached' });
      expect(await s.location()).toBe(`#/r/${s.host}/docs/artifact`);
      const gone = await fetch(`${s.registry.url}/v2/docs/artifact/manifests/${s.seed.artifactV2}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
      expect(gone.status).toBe(404);
    });

    it('says plainly what failed, and fits 800×600 with wide tables scrolling in their own box', async () => {
      await s.app.page.setViewportSize({ width: 800, height: 600 });
      try {
        await s.go(`#/r/${s.host}/docs/artifact:nope`);
        await view().root.locator('.error-box').waitFor();
        expect(await view().root.locator('.error-box').textContent()).toMatch(/^Not found/);
        await themes('11-error-800');
        await s.go(`#/r/${s.host}/docs/artifact:v1`);
        await view().waitUntilLoaded();
        expect(await s.app.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await themes('12-artifact-800');
        await view().layers.scrollIntoViewIfNeeded();
        await themes('13-layers-800');
      } finally {
        await s.app.page.setViewportSize({ width: 1100, height: 720 });
      }
      expect(s.pageErrors).toEqual([]);
    });
  });
}
