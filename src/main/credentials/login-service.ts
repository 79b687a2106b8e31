import { OrasError, isOrasError } from '../engine/errors';
import { parseRegistryHost } from '../engine/registry-host';
import { Registry } from '../engine/registry/registry';
import type { Credential, CredentialProvider } from '../engine/transport/credential';
import { HelperError } from './credential-helper';
import { DockerConfigStore } from './docker-config-store';
import { FileStore } from './file-store';
import { ABSENT_PROBLEMS, KeychainError } from './keychain-error';
import { createResolver, defaultStores, type ResolverOptions, type StoreOptions } from './resolver';
import type { CredentialNote, CredentialStore, KeychainStatus, LoginCheckOptions, SavedLogin, SaveTarget } from './types';

/**
 * LoginService is what the app's handlers and `oras login`/`logout` call: list saved
 * logins, log in (check with the registry, then save), test, log out. Nothing it
 * returns holds a secret; secrets only go in (login) and to the engine (`provider`).
 */

/** Keychain: a store that can also say whether it is usable. */
export type Keychain = CredentialStore & {
  ensureUsable(purpose: 'read' | 'write'): Promise<void>;
  status(): Promise<KeychainStatus>;
};

/** DockerConfig: Docker's config as a store that can also say where it removed a login from. */
export type DockerConfig = CredentialStore & {
  readonly path: string;
  remove(registry: string): Promise<SavedLogin[]>;
  /** store saves as `docker login` would: the credential helper it names (answered), else the file. */
  store(registry: string, credential: Credential): Promise<{ helper?: string }>;
};

/** LoginServiceOptions: the stores a LoginService saves to and reads from. */
export interface LoginServiceOptions {
  keychain: Keychain;
  dockerConfig: DockerConfig;
  /** Folder a relative credentials file is resolved against. */
  cwd?: string;
  /** Told about stores skipped while listing, testing or logging out. */
  onNote?: (note: CredentialNote) => void;
}

/** TestResult: a saved (or given) login the registry accepted. */
export interface TestResult {
  registry: string;
  username?: string;
  /** Where the tested login came from; absent when the caller gave the credential. */
  location?: SavedLogin['location'];
  detail?: string;
}

/**
 * LoginService logs in (the registry checks the login first; nothing is saved when it
 * refuses), lists, tests and logs out, as `oras login`/`logout` and the app do.
 *
 * @throws OrasError UNAUTHORIZED for a refused login; KeychainError where the keychain
 * cannot save it (log in to a file instead: `{ target: { kind: 'file', path } }`).
 * @example
 * ```ts
 * const logins = new LoginService({ keychain: new KeychainStore(), dockerConfig: new DockerConfigStore() });
 * await logins.login('localhost:5000', { username: 'me', password }, { target: { kind: 'file', path: 'creds.json' } });
 * ```
 */
export class LoginService {
  constructor(private readonly options: LoginServiceOptions) {}

  /** fromEnv opens the default stores: the OS keychain and Docker's config of `env`. */
  static fromEnv(options: StoreOptions & { onNote?: (note: CredentialNote) => void } = {}): LoginService {
    const { keychain, dockerConfig } = defaultStores(options);
    return new LoginService({ keychain, dockerConfig, cwd: options.cwd, onNote: options.onNote });
  }

  get keychain(): Keychain {
    return this.options.keychain;
  }

  get dockerConfig(): DockerConfig {
    return this.options.dockerConfig;
  }

  keychainStatus(): Promise<KeychainStatus> {
    return this.options.keychain.status();
  }

  /** provider is the engine's CredentialProvider over these stores, in the reading order. */
  provider(options: Pick<ResolverOptions, 'flag' | 'flagRegistries' | 'onNote'> & { file?: string } = {}): CredentialProvider {
    return createResolver({
      flag: options.flag,
      flagRegistries: options.flagRegistries,
      file: options.file ? this.fileStore(options.file) : undefined,
      keychain: this.options.keychain,
      dockerConfig: this.options.dockerConfig,
      onNote: options.onNote ?? this.options.onNote,
    });
  }

  /**
   * list gives every saved login, in reading order (a `file`, the keychain, Docker's
   * config); a store that cannot be read is left out with a note.
   */
  async list(options: { file?: string } = {}): Promise<SavedLogin[]> {
    const stores: CredentialStore[] = [
      ...(options.file ? [this.fileStore(options.file)] : []),
      this.options.keychain,
      this.options.dockerConfig,
    ];
    const out: SavedLogin[] = [];
    for (const store of stores) {
      try {
        out.push(...(await store.list()));
      } catch (err) {
        if (store === this.options.keychain || err instanceof HelperError) this.skipped(store, '*', err);
        else throw err;
      }
    }
    return out;
  }

  /**
   * login checks a credential with the registry (Basic, or the token flow) and only
   * when the registry accepts it saves it where `target` says (the keychain by
   * default). The registry is asked first, so a wrong password is reported as one even
   * where the keychain could not have saved it; a keychain that cannot save is
   * reported after that, before anything is written.
   *
   * `dockerConfigWithoutKeychain` (the CLI's `oras login`, as Docker and ORAS do on a
   * CI machine): where this machine has no keychain at all (no keytar, no D-Bus, no
   * Secret Service, no HOME), the login goes to Docker's config instead, through its
   * credential helper if one is set, else unencrypted in the file (mode 0600); the
   * answer's `withoutKeychain` says so, for the caller to warn. A keychain that is
   * there but locked or not answering is still an error: its owner expects it used.
   */
  async login(
    registry: string,
    credential: Credential,
    options: LoginCheckOptions & { target?: SaveTarget; dockerConfigWithoutKeychain?: boolean } = {},
  ): Promise<SavedLogin> {
    const name = this.registryName(registry);
    const target = options.target ?? { kind: 'keychain' };
    const store = target.kind === 'keychain' ? this.options.keychain : this.fileStore(target.path);
    await this.check(name, credential, options, 'nothing was saved');
    const saved: SavedLogin = {
      registry: name,
      ...(credential.username ? { username: credential.username } : {}),
      location: store.location,
      ...(store instanceof FileStore ? { detail: store.path } : {}),
      ...(credential.identityToken ? { identityToken: true } : {}),
    };
    if (target.kind === 'file') {
      await store.put(name, credential);
      return saved;
    }
    try {
      await this.options.keychain.ensureUsable('write');
      // keytar itself is loaded only now: a machine without it is found out here.
      await store.put(name, credential);
      return saved;
    } catch (err) {
      if (!(options.dockerConfigWithoutKeychain && err instanceof KeychainError && ABSENT_PROBLEMS.has(err.problem))) throw err;
      const { helper } = await this.options.dockerConfig.store(name, credential);
      return {
        ...saved,
        location: this.options.dockerConfig.location,
        detail: helper ?? this.options.dockerConfig.path,
        withoutKeychain: { problem: err.problem, reason: err.message, unencrypted: helper === undefined },
      };
    }
  }

  /**
   * test checks a login with the registry without saving anything: the given
   * `credential`, else the saved one found in reading order (NOT_FOUND when none).
   */
  async test(registry: string, options: LoginCheckOptions & { credential?: Credential; file?: string } = {}): Promise<TestResult> {
    const name = this.registryName(registry);
    if (options.credential) {
      await this.check(name, options.credential, options);
      return { registry: name, ...(options.credential.username ? { username: options.credential.username } : {}) };
    }
    const found = await this.findSaved(name, options.file);
    if (!found) throw new OrasError('NOT_FOUND', `no saved login for ${name}`);
    await this.check(name, found.credential, options);
    return { registry: name, ...(found.credential.username ? { username: found.credential.username } : {}), location: found.store.location, ...(found.detail ? { detail: found.detail } : {}) };
  }

  /**
   * logout removes a registry's login from where it lives: from `file` only when one is
   * named, else from the keychain and from Docker's config (helpers included). It
   * returns what it removed, [] when there was nothing. A keychain that cannot be
   * reached is an error only when it may hold the login and nothing else was removed.
   */
  async logout(registry: string, options: { file?: string } = {}): Promise<SavedLogin[]> {
    const name = this.registryName(registry);
    if (options.file) {
      const file = this.fileStore(options.file);
      return (await file.delete(name)) ? [{ registry: name, location: 'file', detail: file.path }] : [];
    }
    const removed: SavedLogin[] = [];
    let keychainFailure: KeychainError | undefined;
    try {
      if (await this.options.keychain.delete(name)) removed.push({ registry: name, location: 'keychain' });
    } catch (err) {
      if (!(err instanceof KeychainError)) throw err;
      if (!ABSENT_PROBLEMS.has(err.problem)) keychainFailure = err;
      else this.skipped(this.options.keychain, name, err);
    }
    removed.push(...(await this.options.dockerConfig.remove(name)));
    if (keychainFailure) {
      if (removed.length === 0) throw keychainFailure;
      this.skipped(this.options.keychain, name, keychainFailure);
    }
    return removed;
  }

  /** check pings the registry with `credential` and turns a refusal into a clear error. */
  async check(registry: string, credential: Credential, options: LoginCheckOptions = {}, consequence?: string): Promise<void> {
    const client = new Registry(registry, {
      ...(options.plainHttp !== undefined ? { plainHttp: options.plainHttp } : {}),
      ...(options.insecure ? { insecure: true } : {}),
      ...(options.caFile ? { caFile: options.caFile } : {}),
      ...(options.certFile && options.keyFile ? { certFile: options.certFile, keyFile: options.keyFile } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.resolve ? { resolve: options.resolve } : {}),
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
      ...(options.deadlineMs ? { retry: { deadlineMs: options.deadlineMs } } : {}),
      credentials: async () => credential,
    });
    try {
      await client.ping(options.signal);
    } catch (err) {
      if (isOrasError(err, 'UNAUTHORIZED')) {
        throw new OrasError('UNAUTHORIZED', `login to ${registry} failed: wrong user name or password (or token)${consequence ? `; ${consequence}` : ''}`, { cause: err });
      }
      if (isOrasError(err, 'DENIED')) {
        // A 403 to GET /v2/: the registry knows the user and still says no.
        throw new OrasError('DENIED', `login to ${registry} failed: the registry accepted the user but denies it access${consequence ? `; ${consequence}` : ''}`, { cause: err });
      }
      throw err;
    } finally {
      await client.close();
    }
  }

  /** findSaved looks for a saved login in reading order: the file, the keychain, Docker's config. */
  private async findSaved(registry: string, file?: string): Promise<{ credential: Credential; store: CredentialStore; detail?: string } | undefined> {
    const stores: CredentialStore[] = [...(file ? [this.fileStore(file)] : []), this.options.keychain, this.options.dockerConfig];
    for (const store of stores) {
      let credential: Credential | undefined;
      try {
        credential = await store.get(registry);
      } catch (err) {
        if (store === this.options.keychain || err instanceof HelperError) {
          this.skipped(store, registry, err);
          continue;
        }
        throw err;
      }
      if (credential) {
        const detail = store instanceof FileStore || store instanceof DockerConfigStore ? store.path : undefined;
        return { credential, store, ...(detail ? { detail } : {}) };
      }
    }
    return undefined;
  }

  private skipped(store: CredentialStore, registry: string, err: unknown): void {
    const absent = err instanceof KeychainError && ABSENT_PROBLEMS.has(err.problem);
    const where = store.location === 'keychain' ? 'the OS keychain' : store.location === 'file' ? 'the credentials file' : "Docker's config";
    this.options.onNote?.({
      level: absent ? 'debug' : 'warning',
      registry,
      location: err instanceof HelperError ? 'docker-helper' : store.location,
      message: `skipped ${where}: ${(err as Error).message}`,
    });
  }

  private fileStore(file: string): FileStore {
    return new FileStore(file, this.options.cwd);
  }

  private registryName(registry: string): string {
    return parseRegistryHost(registry);
  }
}

