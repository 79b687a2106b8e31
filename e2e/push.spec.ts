import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBin, type CliBin } from '../test/support/cli-bin';
import { makeTempDir, removeTempDir } from '../test/support/tmp';
import { PushComposer, type PageFile } from './pages/push-composer';
import { startPushSession, type PushSession } from './pages/push-session';
import { unnamedControls } from './support/a11y';
import { launchers, VIEWPORT } from './support/launchers';
import { screenshot } from './support/screenshots';

/**
 * The push composer end to end in browser mode against a real registry: files dropped
 * (a DataTransfer on the zone) and picked, media types, a JSON config, an annotation,
 * Reproducible, pushed, and the same digest as `oras push --reproducible` of the same
 * input; the seed's rocket as image spec 1.0 gives the seed's digest; a bad media type
 * blocks the push with its inline error; a reload keeps the draft.
 */

const ROCKET_MANIFEST = 'sha256:d070b65c4898a02357f5fc4488aa191d90a90ac7c907eb7ac079b6f483fc8608';
const MANIFEST_ACCEPT = 'application/vnd.oci.image.manifest.v1+json';

const DROPPED: PageFile[] = [
  { name: 'a.txt', text: 'alpha\n' },
  { name: 'b.md', text: '# beta\n' },
  { name: 'c.json', text: '{"gamma":3}\n' },
];
const PICKED: PageFile = { name: 'd.txt', text: 'delta\n' };
const TYPES: Record<string, string> = { 'a.txt': 'text/plain', 'b.md': 'text/markdown', 'c.json': 'application/json', 'd.txt': 'text/plain' };
const FOLDER_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';
const CONFIG = { text: '{"purpose":"e2e"}', mediaType: 'application/vnd.example.config.v1+json' };

for (const launcher of launchers.filter((l) => l.name === 'browser')) {
  describe.skipIf(launcher.skipReason !== undefined)(`push composer (${launcher.title})`, () => {
    let s: PushSession;
    let cli: CliBin;
    const composer = () => new PushComposer(s.app.page);
    const shot = (name: string) => screenshot(s.app.page, `${launcher.name}-push-${name}`);
    /** shots keeps a step in both themes, and at 800×600 in the light one. */
    const shots = async (name: string, at?: Locator) => {
      const show = async () => {
        if (at) await at.scrollIntoViewIfNeeded();
      };
      for (const theme of ['Light', 'Dark'] as const) {
        await s.app.setTheme(theme);
        await show();
        await shot(`${name}-${theme.toLowerCase()}`);
      }
      await s.app.setTheme('Light');
      await s.app.page.setViewportSize({ width: 800, height: 600 });
      await show();
      await shot(`${name}-800x600`);
      await s.app.page.setViewportSize(VIEWPORT);
    };
    /** manifestDigest asks the registry itself which manifest a tag names. */
    const manifestDigest = async (repository: string, tag: string): Promise<string> => {
      const response = await fetch(`${s.registry.url}/v2/${repository}/manifests/${tag}`, { headers: { accept: MANIFEST_ACCEPT } });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      return response.headers.get('docker-content-digest') ?? '';
    };

    const manifestOf = async (repository: string, tag: string): Promise<{ layers: unknown[] }> => {
      const response = await fetch(`${s.registry.url}/v2/${repository}/manifests/${tag}`, { headers: { accept: MANIFEST_ACCEPT } });
      expect(response.status).toBe(200);
      return (await response.json()) as { layers: unknown[] };
    };

    beforeAll(async () => {
      [s, cli] = await Promise.all([startPushSession(launcher), buildCliBin()]);
    }, 180_000);
    afterAll(async () => {
      await s?.close();
      await cli?.remove();
    });

    it('opens from the sidebar’s Push…, with every control named', async () => {
      // Push… is in the toolbar too; this one is the sidebar's.
      await s.app.page.getByRole('complementary').getByRole('link', { name: 'Push…' }).click();
      await composer().waitUntilLoaded();
      expect(await s.app.page.evaluate(() => location.hash)).toBe('#/push');
      await shots('1-empty');
    });

    it('a file dropped anywhere on a repository’s view opens the composer aimed there (and the browser does not open it)', async () => {
      await s.go(`#/r/${s.host}/e2e/dropped`);
      const c = composer();
      expect(await c.dropOnWindow([{ name: 'anywhere.txt', text: 'here\n' }])).toBe(true);
      await c.waitUntilLoaded();
      await c.waitForFiles(['anywhere.txt']);
      expect(await s.app.page.evaluate(() => location.hash)).toBe('#/push');
      expect(await s.app.page.getByLabel('Repository', { exact: true }).inputValue()).toBe('e2e/dropped');
      expect(await s.app.page.getByLabel('Registry', { exact: true }).inputValue()).toBe(s.host);
      await c.discard();
    });

    it('takes three dropped files and a picked one, media types, a JSON config and an annotation, and pushes reproducibly as the CLI does', async () => {
      const c = composer();
      await c.drop(DROPPED);
      await c.waitForFiles(DROPPED.map((f) => f.name));
      await c.pick([PICKED]);
      await c.waitForFiles([...DROPPED, PICKED].map((f) => f.name));
      for (const [title, type] of Object.entries(TYPES)) await c.mediaType(title).fill(type);
      await c.useJsonConfig(CONFIG.text, CONFIG.mediaType);
      await c.addManifestAnnotation('com.example.team', 'rockets');
      await s.app.page.getByLabel('Reproducible', { exact: true }).check();
      await c.setTarget(s.host, 'e2e/composer', 'v1');
      const digest = await c.waitForPreview(`${s.host}/e2e/composer:v1`);
      expect(await unnamedControls(c.view)).toEqual([]);
      expect(await s.app.page.getByTestId('push-reference').textContent()).toBe(`${s.host}/e2e/composer:v1`);
      await shots('2-ready-files', c.fileList);
      await shots('2-ready-preview', s.app.page.getByRole('region', { name: 'Preview' }));

      expect(await c.push()).toBe(digest);
      expect(await manifestDigest('e2e/composer', 'v1')).toBe(digest);
      await shots('3-pushed', c.doneDigest);

      // The same input through the CLI, reproducibly: the same manifest digest.
      const dir = await makeTempDir('oras-e2e-push-cli-');
      try {
        for (const f of [...DROPPED, PICKED]) await writeFile(path.join(dir, f.name), f.text);
        await writeFile(path.join(dir, 'config.json'), CONFIG.text);
        const home = path.join(dir, 'home');
        await mkdir(home);
        const run = await cli.run(
          ['push', '--reproducible', `${s.registry.host}/e2e/composer-cli:v1`, ...[...DROPPED, PICKED].map((f) => `${f.name}:${TYPES[f.name]}`), '--config', `config.json:${CONFIG.mediaType}`, '-a', 'com.example.team=rockets', '--format', 'json'],
          { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home } },
        );
        expect(run.stderr).toBe('');
        expect(JSON.parse(run.stdout).digest).toBe(digest);
      } finally {
        await removeTempDir(dir);
      }
      // The link opens the manifest in the browse view.
      await s.app.page.getByRole('link', { name: /^Open .* in the browser view$/ }).click();
      expect(await s.app.page.evaluate(() => location.hash)).toBe(`#/r/${s.host}/e2e/composer@${digest}`);
    });

    it('takes a folder dragged from disk, with its empty folders, as one layer: the one `oras push --reproducible` makes of it', async () => {
      await s.go('#/push');
      const c = composer();
      await c.waitUntilLoaded();
      const dir = await makeTempDir('oras-e2e-push-folder-');
      try {
        await mkdir(path.join(dir, 'site', 'css'), { recursive: true });
        await mkdir(path.join(dir, 'site', 'empty'));
        await writeFile(path.join(dir, 'site', 'index.html'), '<h1>hi</h1>\n');
        await writeFile(path.join(dir, 'site', 'css', 'main.css'), 'h1{}\n');
        await c.dropFromDisk([path.join(dir, 'site')]);
        await c.waitForFiles(['site']);
        await c.mediaType('site').fill(FOLDER_TYPE);
        await s.app.page.getByLabel('Reproducible', { exact: true }).check();
        await c.setTarget(s.host, 'e2e/folder', 'v1');
        await c.waitForPreview(`${s.host}/e2e/folder:v1`);
        await shots('3b-folder', c.fileList);
        await c.push();

        const home = path.join(dir, 'home');
        await mkdir(home);
        const run = await cli.run(['push', '--reproducible', `${s.registry.host}/e2e/folder-cli:v1`, `site:${FOLDER_TYPE}`], {
          cwd: dir,
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
        });
        expect(run.stderr).toBe('');
        const [ours, theirs] = await Promise.all([manifestOf('e2e/folder', 'v1'), manifestOf('e2e/folder-cli', 'v1')]);
        expect(ours.layers).toHaveLength(1);
        expect(ours.layers[0]).toEqual(theirs.layers[0]);
      } finally {
        await removeTempDir(dir);
      }
      await s.go('#/push');
    });

    it('blocks a bad media type with its inline error, keeps the draft over a reload, and gives the seed’s rocket digest with image spec 1.0', async () => {
      await s.go('#/push');
      const c = composer();
      await c.waitUntilLoaded();
      await c.discard();
      await c.drop([{ name: 'rocket.txt', text: '🚀' }]);
      await c.waitForFiles(['rocket.txt']);
      await c.mediaType('rocket.txt').fill('text plain');
      await c.setTarget(s.host, 'mystuff/myrocket', 'v0.1.0');
      const field = c.mediaType('rocket.txt');
      await s.app.page.waitForFunction(() => document.querySelector('[aria-label="rocket.txt"] input[aria-invalid="true"]') !== null);
      const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
      const error = await s.app.page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent();
      expect(error).toMatch(/invalid media type of rocket\.txt "text plain"/);
      expect(await c.pushButton.getAttribute('aria-disabled')).toBe('true');
      // From the keyboard too: Enter on the (aria-)disabled button pushes nothing.
      await c.pushButton.focus();
      await s.app.page.keyboard.press('Enter');
      await s.app.page.waitForTimeout(300);
      expect(await c.doneDigest.count()).toBe(0);
      await shots('4-bad-media-type', c.fileList);

      // A reload mid-draft keeps it (main holds the draft).
      await s.app.page.reload();
      await c.waitForFiles(['rocket.txt']);
      expect(await c.mediaType('rocket.txt').inputValue()).toBe('text plain');

      await c.mediaType('rocket.txt').fill('text/plain');
      await c.useConfigFile({ name: 'rocket-config.json', text: '{"RocketVersion":"v0.1.0"}' }, 'application/vnd.acme.rocket.config.v1+json');
      await s.app.page.getByLabel('Image spec', { exact: true }).selectOption('v1.0');
      expect(await c.waitForPreview(`${s.host}/mystuff/myrocket:v0.1.0`)).toBe(ROCKET_MANIFEST);
      await shots('5-rocket', s.app.page.getByRole('region', { name: 'Preview' }));
      expect(await c.push()).toBe(ROCKET_MANIFEST);
      expect(await manifestDigest('mystuff/myrocket', 'v0.1.0')).toBe(ROCKET_MANIFEST);
      expect(s.pageErrors).toEqual([]);
    });

    it('reorders from the keyboard, pushes to the local layouts, and copies that to the registry with Copy to…', async () => {
      await s.go('#/push');
      const c = composer();
      await c.waitUntilLoaded();
      await c.discard();
      await c.drop([
        { name: 'x.txt', text: 'x\n' },
        { name: 'y.txt', text: 'y\n' },
        { name: 'z.txt', text: 'z\n' },
      ]);
      await c.waitForFiles(['x.txt', 'y.txt', 'z.txt']);
      // Alt+↑ on a row moves it up, and focus stays with it.
      await s.app.page.getByLabel('Title of z.txt', { exact: true }).focus();
      await s.app.page.keyboard.press('Alt+ArrowUp');
      await c.waitForFiles(['x.txt', 'z.txt', 'y.txt']);
      expect(await s.app.focusedName()).toBe('Title of z.txt');
      await s.app.page.getByRole('button', { name: 'Move x.txt down' }).click();
      await c.waitForFiles(['z.txt', 'x.txt', 'y.txt']);
      await c.setTarget('local', 'e2e/local', 'v1');
      const digest = await c.waitForPreview('/e2e/local:v1');
      expect(await c.push()).toBe(digest);
      await s.app.page.getByRole('link', { name: /^Open .* in the browser view$/ }).click();
      await s.app.page.getByRole('button', { name: 'Copy to…' }).click();
      const dialog = s.app.page.getByRole('dialog');
      expect(await dialog.getByLabel('Copy to registry').inputValue()).toBe(s.host);
      await dialog.getByLabel('Tag (optional)').fill('copied');
      await shot('6-copy-dialog-light');
      await dialog.getByRole('button', { name: 'Copy' }).click();
      await dialog.waitFor({ state: 'detached' });
      // The copy runs as a job: wait for the registry to have the tag.
      for (let tries = 0; tries < 120; tries++) {
        const response = await fetch(`${s.registry.url}/v2/e2e/local/manifests/copied`, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } });
        if (response.status === 200) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(await manifestDigest('e2e/local', 'copied')).toBe(digest);
    });

    it('attaches a file to a manifest from its view, and finds it among the referrers', async () => {
      const subject = await manifestDigest('e2e/composer', 'v1');
      await s.go('#/push');
      await composer().waitUntilLoaded();
      await composer().discard();
      await s.go(`#/r/${s.host}/e2e/composer:v1`);
      await s.app.page.getByRole('button', { name: 'Attach files…' }).click();
      const c = composer();
      await c.waitUntilLoaded();
      expect(await s.app.page.getByRole('heading', { name: 'Attach files' }).count()).toBe(1);
      expect(await s.app.page.getByLabel(/^Subject/).inputValue()).toBe(subject);
      await c.drop([{ name: 'signature.txt', text: 'signed\n' }]);
      await c.waitForFiles(['signature.txt']);
      await c.mediaType('signature.txt').fill('text/plain');
      await s.app.page.getByLabel(/^Artifact type/).fill('application/vnd.example.signature');
      const digest = await c.waitForPreview(`${s.host}/e2e/composer@${subject}`);
      await shots('7-attach', s.app.page.getByRole('region', { name: 'Target' }));
      expect(await c.push()).toBe(digest);
      await s.go(`#/r/${s.host}/e2e/composer@${subject}`);
      const referrers = s.app.page.getByRole('region', { name: 'Referrers', exact: true });
      await referrers.getByText('application/vnd.example.signature').first().waitFor({ timeout: 15_000 });
      expect(s.pageErrors).toEqual([]);
    });

    it('a push the registry refuses (no login) says so and where, and keeps the draft', async () => {
      await s.go('#/push');
      const c = composer();
      await c.waitUntilLoaded();
      await c.discard();
      await c.drop([{ name: 'refused.txt', text: 'no entry\n' }]);
      await c.waitForFiles(['refused.txt']);
      await c.mediaType('refused.txt').fill('text/plain');
      await c.setTarget(s.locked.host, 'locked/repo', 'v1');
      await c.waitForPreview(`${s.locked.host}/locked/repo:v1`);
      await c.pushButton.click();
      const actions = s.app.page.getByRole('region', { name: 'Push', exact: true });
      await actions.getByRole('alert').waitFor({ timeout: 30_000 });
      // In the app's words: the registry's dialog in the sidebar, not `oras login` or -u and -p.
      const said = await actions.getByRole('alert').textContent();
      expect(said).toContain(`log in first: in the sidebar, choose Edit… in the menu of ${s.locked.host}`);
      expect(said).not.toMatch(/oras login|-u and -p/);
      await actions.getByText('The draft is kept').waitFor();
      await shots('8-refused', actions);
      await s.app.page.reload();
      await c.waitForFiles(['refused.txt']);
    });

    it('a picked folder becomes ONE folder row, uploaded with a progress bar that reaches its total', async () => {
      const c = composer();
      await c.discard().catch(() => {}); // nothing to discard when an earlier step pushed
      const dir = await makeTempDir('oras-e2e-push-folder-');
      try {
        const site = path.join(dir, 'site');
        await mkdir(path.join(site, 'css', 'deep'), { recursive: true });
        await writeFile(path.join(site, 'index.html'), '<h1>hi</h1>\n');
        await writeFile(path.join(site, 'css', 'deep', 'main.css'), 'p{}\n');
        const big = 4 * 1024 * 1024;
        await writeFile(path.join(site, 'big.bin'), Buffer.alloc(big, 7));
        const total = big + '<h1>hi</h1>\n'.length + 'p{}\n'.length;
        await c.recordUploadBars();
        await c.pickFolder(site);
        await c.waitForFiles(['site']);
        const row = c.fileList.getByRole('listitem', { name: 'site' });
        expect(await row.textContent()).toContain('folder (tar+gzip)');
        const bars = await c.uploadBars();
        expect(bars.length).toBeGreaterThan(0);
        expect(bars.every((b) => b.max === total)).toBe(true);
        expect(Math.max(...bars.map((b) => b.value))).toBe(total);
        await c.setTarget(s.host, 'e2e/folder', 'v1');
        await c.waitForPreview(`${s.host}/e2e/folder:v1`);
        await shots('10-folder', c.fileList);
        expect(s.pageErrors).toEqual([]);
        await c.discard();
      } finally {
        await removeTempDir(dir);
      }
    });

    it('cancelling a push mid-upload keeps the draft and writes no tag', async () => {
      const c = composer();
      await c.discard();
      await c.drop([{ name: 'big.bin', text: 'x'.repeat(2 * 1024 * 1024) }]);
      await c.waitForFiles(['big.bin']);
      await c.mediaType('big.bin').fill('application/octet-stream');
      await c.setTarget(s.host, 'e2e/cancel', 'v1');
      await c.waitForPreview(`${s.host}/e2e/cancel:v1`);
      // The registry never answers the upload: the push waits there until cancelled.
      s.proxy.inject((req) => (req.url.includes('/blobs/uploads/') ? { kind: 'hang' } : undefined));
      try {
        await c.pushButton.click();
        const cancel = s.app.page.getByRole('button', { name: 'Cancel push' });
        await cancel.waitFor();
        await shots('9-running', cancel);
        await cancel.click();
        await s.app.page.getByText('Cancelled: no tag was written, and the draft is kept.').waitFor({ timeout: 30_000 });
      } finally {
        s.proxy.inject();
      }
      const tag = await fetch(`${s.registry.url}/v2/e2e/cancel/manifests/v1`, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } });
      expect(tag.status).toBe(404);
      await c.waitForFiles(['big.bin']);
      expect(s.pageErrors).toEqual([]);
    });
  });
}
