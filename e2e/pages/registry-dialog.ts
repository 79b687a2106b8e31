import type { Page } from 'playwright-core';

export interface RegistryFields {
  registry?: string;
  username?: string;
  password?: string;
  plainHttp?: boolean;
  insecure?: boolean;
  caFile?: string;
}

/** RegistryDialog is "Add registry" or "Edit <registry>". */
export class RegistryDialog {
  constructor(
    readonly page: Page,
    readonly title: string,
  ) {}

  get root() {
    return this.page.getByRole('dialog', { name: this.title });
  }

  get registry() {
    return this.root.getByLabel('Registry', { exact: true });
  }

  get username() {
    return this.root.getByLabel('User name', { exact: true });
  }

  get password() {
    return this.root.getByLabel('Password or token', { exact: true });
  }

  get showPassword() {
    return this.root.getByRole('button', { name: 'Show password' });
  }

  get plainHttp() {
    return this.root.getByRole('checkbox', { name: 'Plain HTTP' });
  }

  get insecure() {
    return this.root.getByRole('checkbox', { name: /^Insecure/ });
  }

  get caFile() {
    return this.root.getByLabel('CA certificate file', { exact: true });
  }

  /** alert is the dialog's error region: what main or the registry said. */
  get alert() {
    return this.root.getByRole('alert');
  }

  get status() {
    return this.root.getByRole('status');
  }

  get testButton() {
    return this.root.getByRole('button', { name: /^Test connection|^Testing/ });
  }

  get saveButton() {
    return this.root.getByRole('button', { name: /^Save|^Saving/ });
  }

  get cancelButton() {
    return this.root.getByRole('button', { name: 'Cancel', exact: true });
  }

  /** cancelTestButton stops waiting for a running "Test connection". */
  get cancelTestButton() {
    return this.root.getByRole('button', { name: 'Cancel test', exact: true });
  }

  /** plainHttpHint reads the line under "Plain HTTP" (it says when it is this computer's default). */
  async plainHttpHint(): Promise<string> {
    const id = await this.plainHttp.getAttribute('aria-describedby');
    return (await this.root.locator(`[id="${id}"]`).textContent()) ?? '';
  }

  /** startTest presses "Test connection" and returns while the test still runs. */
  async startTest(): Promise<void> {
    await this.testButton.click();
    await this.cancelTestButton.waitFor();
  }

  async fill(fields: RegistryFields): Promise<void> {
    if (fields.registry !== undefined) await this.registry.fill(fields.registry);
    if (fields.username !== undefined) await this.username.fill(fields.username);
    if (fields.password !== undefined) await this.password.fill(fields.password);
    if (fields.plainHttp !== undefined) await this.plainHttp.setChecked(fields.plainHttp);
    if (fields.insecure !== undefined) await this.insecure.setChecked(fields.insecure);
    if (fields.caFile !== undefined) await this.caFile.fill(fields.caFile);
  }

  /** testConnection presses "Test connection" and waits for its answer. */
  async testConnection(): Promise<void> {
    await this.testButton.click();
    await this.root.getByRole('button', { name: 'Test connection' }).waitFor();
  }

  /** save presses "Save" and waits until the dialog closes or shows an error. */
  async save(): Promise<'closed' | 'error'> {
    await this.saveButton.click();
    return Promise.race([
      this.root.waitFor({ state: 'detached' }).then(() => 'closed' as const),
      this.alert.filter({ hasText: /\S/ }).waitFor().then(() => 'error' as const),
    ]);
  }

  async cancel(): Promise<void> {
    await this.cancelButton.click();
    await this.root.waitFor({ state: 'detached' });
  }
}
