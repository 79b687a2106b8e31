import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../test/support/tmp';
import { JobsPanel } from './pages/manifest-jobs';
import { startManifestSession, type ManifestSession } from './pages/manifest-session';
import { BlobView, ManifestView } from './pages/manifest-view';
import { launchers } from './support/launchers';
import { screenshot } from './support/screenshots';

/**
 * Downloads and the jobs panel, end to end in browser mode: a layer saved by the
 * browser has the layer's bytes, "Pull all files" gives a .tar whose files are the
 * artifact's, and a download cancelled halfway (the proxy makes the link slow) ends as
 * "Cancelled" with Retry and leaves the browser no file.
 */

const exec = promisify(execFile);

for (const launcher of launchers.filter((l) => l.name === 'browser')) {
  describe.skipIf(launcher.skipReason !== undefined)(`downloads and transfers (${launcher.title})`, () => {
    let s: ManifestSession;
    const view = () => new ManifestView(s.app.page);
    const jobs = () => new JobsPanel(s.app.page);
    const shot = (name: string) => screenshot(s.app.page, `${launcher.name}-downloads-${name}`);

    beforeAll(async () => {
      s = await startManifestSession(launcher);
    }, 180_000);
    afterAll(() => s?.close());

    it('downloads a layer: the file has its bytes, and the panel says Done', async () => {
      await s.go(`#/r/${s.host}/docs/artifact:v1`);
      await view().waitUntilLoaded();
      const [download] = await Promise.all([s.app.page.waitForEvent('download'), view().downloadButton('notes.md').click()]);
      expect(download.suggestedFilename()).toBe('notes.md');
      expect(await readFile((await download.path())!)).toEqual(s.seed.artifact.files['notes.md']);
      await jobs().open();
      await jobs().waitForState('Download notes.md', 'Done');
      expect(await jobs().announcement.textContent()).toBe('Download notes.md: done');
      for (const theme of ['Light', 'Dark'] as const) {
        await s.app.setTheme(theme);
        await shot(`1-done-${theme.toLowerCase()}`);
      }
      await s.app.setTheme('Light');
      // From the keyboard: Esc in the panel closes it and gives focus back to its toggle.
      await jobs().row('Download notes.md').getByRole('button', { name: 'Dismiss Download notes.md' }).focus();
      await s.app.page.keyboard.press('Escape');
      await jobs().panel.waitFor({ state: 'detached' });
      expect(await s.app.page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^Transfers/);
    });

    it('pulls all files as one .tar with the artifact’s files', async () => {
      const [tar] = await Promise.all([s.app.page.waitForEvent('download'), view().pullAllButton.click()]);
      expect(tar.suggestedFilename()).toMatch(/\.tar$/);
      const out = await makeTempDir('oras-e2e-pull-');
      try {
        await exec('tar', ['-xf', (await tar.path())!, '-C', out]);
        for (const [name, bytes] of Object.entries(s.seed.artifact.files)) expect(await readFile(path.join(out, name)), name).toEqual(bytes);
      } finally {
        await removeTempDir(out);
      }
      await jobs().open();
      await jobs().waitForState('Pull docs/artifact@' + s.seed.artifact.digest, 'Done');
      await jobs().close();
    });

    it('a download cut short every time fails with its error once its resumes are spent, and Retry sends it again and completes', async () => {
      const notes = s.seed.artifact.layers['notes.md']!;
      // Every GET of the blob is cut, the engine's resumes (with Range) too.
      s.proxy.inject((req) => (req.method === 'GET' && req.url.includes(`/blobs/${notes}`) ? { kind: 'truncate', afterBytes: 5 } : undefined));
      await s.go(`#/r/${s.host}/docs/artifact:v1`);
      await view().waitUntilLoaded();
      const first = s.app.page.waitForEvent('download');
      await view().downloadButton('notes.md').click();
      await jobs().open();
      const row = jobs().row('Download notes.md').first();
      await row.locator('.job-state', { hasText: 'Failed' }).waitFor();
      expect(await (await first).failure()).not.toBeNull();
      expect(await row.getByRole('alert').textContent()).toMatch(/\S/);
      expect(await jobs().announcement.textContent()).toMatch(/^Download notes\.md failed: /);
      for (const theme of ['Light', 'Dark'] as const) {
        await s.app.setTheme(theme);
        await shot(`2-failed-${theme.toLowerCase()}`);
      }
      await s.app.setTheme('Light');
      s.proxy.inject();
      const [again] = await Promise.all([s.app.page.waitForEvent('download'), row.getByRole('button', { name: 'Retry Download notes.md' }).click()]);
      expect(await readFile((await again.path())!)).toEqual(s.seed.artifact.files['notes.md']);
      await jobs().waitForState('Download notes.md', 'Done');
      await jobs().close();
    });

    it('a download cut short once is resumed where it broke off and completes, with no error', async () => {
      const notes = s.seed.artifact.layers['notes.md']!;
      let cut = false;
      s.proxy.inject((req) => {
        if (cut || req.method !== 'GET' || !req.url.includes(`/blobs/${notes}`)) return undefined;
        cut = true;
        return { kind: 'truncate', afterBytes: 5 };
      });
      try {
        await s.go(`#/r/${s.host}/docs/artifact:v1`);
        await view().waitUntilLoaded();
        const [download] = await Promise.all([s.app.page.waitForEvent('download'), view().downloadButton('notes.md').click()]);
        expect(await readFile((await download.path())!)).toEqual(s.seed.artifact.files['notes.md']);
        expect(cut).toBe(true);
        expect(s.proxy.requests.some((r) => r.url.includes(`/blobs/${notes}`) && /^bytes=[1-9]\d*-$/.test(String(r.headers.range ?? '')))).toBe(true);
      } finally {
        s.proxy.inject();
      }
    });

    it('cancels a download on a slow link: Cancelled, with Retry, and the browser keeps no file', async () => {
      s.proxy.inject((req) => (req.method === 'GET' && req.url.includes(`/blobs/${s.seed.big.digest}`) && !req.headers.range ? { kind: 'throttle', bytesPerSecond: 128 * 1024 } : undefined));
      try {
        await s.go(`#/r/${s.host}/big/blob/blobs/${s.seed.big.digest}`);
        const blob = new BlobView(s.app.page);
        await blob.waitUntilLoaded();
        const downloaded = s.app.page.waitForEvent('download');
        await blob.downloadButton.click();
        const title = `Download ${s.seed.big.digest.slice(7)}`;
        await jobs().open();
        await jobs().waitForState(title, 'Running');
        await shot('3-running');
        await jobs().row(title).getByRole('button', { name: `Cancel ${title}` }).click();
        await jobs().waitForState(title, 'Cancelled');
        const download = await downloaded;
        expect(await download.failure()).not.toBeNull();
        await expect(download.path()).rejects.toThrow();
        expect(await jobs().announcement.textContent()).toBe(`${title}: cancelled`);
        await jobs().row(title).getByRole('button', { name: `Retry ${title}` }).waitFor();
        for (const theme of ['Light', 'Dark'] as const) {
          await s.app.setTheme(theme);
          await shot(`4-cancelled-${theme.toLowerCase()}`);
        }
        await s.app.setTheme('Light');
      } finally {
        s.proxy.inject();
        await jobs().close();
      }
      expect(s.pageErrors).toEqual([]);
    });
  });
}
