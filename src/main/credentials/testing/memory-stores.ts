import type { Credential } from '../../engine/transport/credential';
import { registryKey } from '../docker-config-file';
import type { KeychainError } from '../keychain-error';
import type { CredentialStore, KeychainStatus, LoginLocation, SavedLogin } from '../types';

/**
 * MemoryCredentialStore is a CredentialStore in a Map, for unit tests of what sits on
 * stores (the resolver, the login service). `fail` makes every call throw that error;
 * `calls` records which registries were asked for.
 */
export class MemoryCredentialStore implements CredentialStore {
  readonly logins = new Map<string, Credential>();
  readonly calls: string[] = [];
  fail: Error | undefined;

  constructor(readonly location: LoginLocation, entries: Record<string, Credential> = {}) {
    for (const [registry, credential] of Object.entries(entries)) this.logins.set(registryKey(registry), credential);
  }

  private check(what: string): void {
    this.calls.push(what);
    if (this.fail) throw this.fail;
  }

  async get(registry: string): Promise<Credential | undefined> {
    this.check(`get ${registry}`);
    return this.logins.get(registryKey(registry));
  }

  async put(registry: string, credential: Credential): Promise<void> {
    this.check(`put ${registry}`);
    this.logins.set(registryKey(registry), credential);
  }

  async delete(registry: string): Promise<boolean> {
    this.check(`delete ${registry}`);
    return this.logins.delete(registryKey(registry));
  }

  async list(): Promise<SavedLogin[]> {
    this.check('list');
    return [...this.logins].map(([registry, c]) => ({ registry, ...(c.username ? { username: c.username } : {}), location: this.location }));
  }
}

/** MemoryKeychain adds the keychain's usability check: `fail` a KeychainError to make it unusable. */
export class MemoryKeychain extends MemoryCredentialStore {
  declare fail: KeychainError | undefined;

  constructor(entries: Record<string, Credential> = {}) {
    super('keychain', entries);
  }

  async ensureUsable(): Promise<void> {
    if (this.fail) throw this.fail;
  }

  async status(): Promise<KeychainStatus> {
    return this.fail ? { available: false, problem: this.fail.problem, message: this.fail.message } : { available: true };
  }
}
