import type { Locator, Page } from 'playwright-core';

/** A file the spec hands the page: its name, bytes and (optionally) type. */
export interface PageFile {
  name: string;
  text: string;
}

/**
 * PushComposer is the push view (`#/push`): files, config, manifest, target, preview
 * and the Push button, found by the names a screen reader reads.
 */
export class PushComposer {
  constructor(readonly page: Page) {}

  get view(): Locator {
    return this.page.getByRole('region', { name: /^(Push|Attach) files$/ });
  }

  get dropZone(): Locator {
    return this.page.getByTestId('push-drop-zone');
  }

  get fileInput(): Locator {
    return this.page.locator('input[aria-label="Files to push"]');
  }

  get configFileInput(): Locator {
    return this.page.locator('input[aria-label="Config file"]');
  }

  get fileList(): Locator {
    return this.page.getByRole('list', { name: 'Files, in layer order' });
  }

  get pushButton(): Locator {
    return this.page.getByRole('button', { name: /^(Push|Attach)$/ });
  }

  get previewDigest(): Locator {
    return this.page.getByTestId('push-preview-digest');
  }

  get doneDigest(): Locator {
    return this.page.getByTestId('push-done-digest');
  }

  mediaType(title: string): Locator {
    return this.page.getByLabel(`Media type of ${title}`, { exact: true });
  }

  /** waitUntilLoaded waits for the draft to be read (the drop zone shows). */
  async waitUntilLoaded(): Promise<void> {
    await this.dropZone.waitFor();
  }

  /** drop dispatches a drop of these files on the zone, as a desktop drag would (a DataTransfer). */
  async drop(files: PageFile[]): Promise<void> {
    await this.dropZone.evaluate((zone, list) => {
      const data = new DataTransfer();
      for (const f of list) data.items.add(new File([f.text], f.name));
      for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }, files);
  }

  /**
   * dropFromDisk drags files and folders from this machine onto the zone through
   * Chromium's own drag pipeline (DevTools' Input.dispatchDragEvent), so the page gets
   * what a desktop drag gives: real `File`s and, for a folder, a directory entry to
   * walk. A DataTransfer made in the page cannot hold a folder.
   */
  async dropFromDisk(paths: string[]): Promise<void> {
    await this.dropZone.scrollIntoViewIfNeeded();
    const box = await this.dropZone.boundingBox();
    if (!box) throw new Error('the drop zone is not on screen');
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const cdp = await this.page.context().newCDPSession(this.page);
    try {
      const data = { items: [], files: paths, dragOperationsMask: 1 };
      for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
    } finally {
      await cdp.detach();
    }
  }

  /** dropOnWindow drops files on the page's body, outside any drop zone (the browser must not open them). */
  async dropOnWindow(files: PageFile[]): Promise<boolean> {
    return this.page.evaluate((list) => {
      const data = new DataTransfer();
      for (const f of list) data.items.add(new File([f.text], f.name));
      document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      const drop = new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true });
      document.body.dispatchEvent(drop);
      return drop.defaultPrevented;
    }, files);
  }

  async pick(files: PageFile[]): Promise<void> {
    await this.fileInput.setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: Buffer.from(f.text) })));
  }

  get folderInput(): Locator {
    return this.page.locator('input[aria-label="Folder to push"]');
  }

  /** pickFolder chooses a folder on this machine with the folder input (`webkitdirectory`), as the user would. */
  async pickFolder(dir: string): Promise<void> {
    await this.folderInput.setInputFiles(dir);
  }

  /**
   * recordUploadBars keeps every value/max the upload progress bars show from now on
   * (in `window.__uploadBars`), so a spec can tell a bar reached its total even when it
   * is gone by the time it looks.
   */
  async recordUploadBars(): Promise<void> {
    await this.page.evaluate(() => {
      const seen: Array<{ value: number; max: number }> = [];
      (window as unknown as { __uploadBars: typeof seen }).__uploadBars = seen;
      const note = () => {
        for (const bar of document.querySelectorAll<HTMLProgressElement>('.push-upload progress')) {
          if (bar.hasAttribute('value') && bar.hasAttribute('max')) seen.push({ value: bar.value, max: bar.max });
        }
      };
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value', 'max'] });
    });
  }

  async uploadBars(): Promise<Array<{ value: number; max: number }>> {
    return this.page.evaluate(() => (window as unknown as { __uploadBars?: Array<{ value: number; max: number }> }).__uploadBars ?? []);
  }

  /** waitForFiles waits until the list shows these titles, in order. */
  async waitForFiles(titles: string[]): Promise<void> {
    await this.page.waitForFunction(
      (want) => {
        const list = document.querySelector('[aria-label="Files, in layer order"]');
        const got = list ? Array.from(list.children).map((li) => li.getAttribute('aria-label')) : [];
        return JSON.stringify(got) === JSON.stringify(want);
      },
      titles,
    );
  }

  async useJsonConfig(text: string, mediaType: string): Promise<void> {
    await this.page.getByRole('radio', { name: 'JSON typed here' }).check();
    await this.page.getByLabel('Config JSON', { exact: true }).fill(text);
    await this.page.getByLabel('Config media type', { exact: true }).fill(mediaType);
  }

  async useConfigFile(file: PageFile, mediaType: string): Promise<void> {
    await this.configFileInput.setInputFiles({ name: file.name, mimeType: 'application/json', buffer: Buffer.from(file.text) });
    await this.page.getByLabel('Config media type', { exact: true }).fill(mediaType);
  }

  async addManifestAnnotation(key: string, value: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Add annotation to Manifest annotations' }).click();
    const keys = this.page.getByLabel(/^Manifest annotations: key \d+$/);
    await keys.last().fill(key);
    await this.page.getByLabel(`Manifest annotations: value of ${key}`, { exact: true }).fill(value);
  }

  async setTarget(registry: string, repository: string, tags: string): Promise<void> {
    await this.page.getByLabel('Registry', { exact: true }).selectOption(registry);
    await this.page.getByLabel('Repository', { exact: true }).fill(repository);
    await this.page.getByLabel('Tags', { exact: true }).fill(tags);
  }

  /**
   * waitForPreview waits for the preview of the draft as it is now (no upload in
   * flight, no edit unsettled, a target ending in `reference`) and answers its digest.
   */
  async waitForPreview(reference: string): Promise<string> {
    await this.page.waitForFunction((ref) => {
      const preview = document.querySelector('.push-preview');
      if (!preview || preview.hasAttribute('aria-busy') || document.querySelector('.push-upload')) return false;
      const target = preview.querySelector('.push-facts dd:nth-of-type(3) code');
      return (target?.textContent ?? '').endsWith(ref) && preview.querySelector('[data-testid="push-preview-digest"]') !== null;
    }, reference);
    return (await this.previewDigest.textContent()) ?? '';
  }

  /** discard discards the draft through the confirmation (when there is anything to discard). */
  async discard(): Promise<void> {
    await this.page.getByRole('button', { name: 'Discard draft' }).click();
    const dialog = this.page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await dialog.waitFor({ state: 'detached' });
    await this.fileList.waitFor({ state: 'detached' });
  }

  /** push clicks Push and answers the digest the composer says was written. */
  async push(): Promise<string> {
    await this.pushButton.click();
    await this.doneDigest.waitFor({ timeout: 30_000 });
    return (await this.doneDigest.textContent()) ?? '';
  }
}
