import type { Credential } from '../engine/transport/credential';
import { CredentialHelper, TOKEN_USERNAME } from './credential-helper';
import {
  authEntries,
  credentialOf,
  defaultDockerConfigPath,
  readDockerConfig,
  registryKey,
  removeCredential,
  storageKey,
  storeCredential,
  type DockerConfig,
} from './docker-config-file';
import type { CredentialStore, SavedLogin } from './types';

/**
 * DockerConfigStore reads and writes logins the way `docker login` does, through
 * Docker's `config.json` (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`):
 * a registry named in `credHelpers` uses that helper, else `credsStore` names the
 * helper for all, else the login is `auths` (base64 `auth`, `identitytoken`). A user
 * who ran `docker login` is therefore already logged in here.
 */

export interface DockerConfigStoreOptions {
  env?: NodeJS.ProcessEnv;
  /** The config file; Docker's own by default. */
  path?: string;
  /** The longest a credential helper may take per call. Default 10 s. */
  helperTimeoutMs?: number;
}

/** HelperChoice: the helper a registry uses, and the credHelpers key that chose it. */
export interface HelperChoice {
  name: string;
  key?: string;
}

/** helperFor picks a registry's helper: its `credHelpers` entry, else `credsStore`. */
export function helperFor(config: DockerConfig, registry: string): HelperChoice | undefined {
  const wanted = registryKey(registry);
  for (const [key, name] of Object.entries(config.credHelpers ?? {})) {
    if (typeof name === 'string' && name !== '' && registryKey(key) === wanted) return { name, key };
  }
  return config.credsStore ? { name: config.credsStore } : undefined;
}

/**
 * DockerConfigStore is Docker's `$DOCKER_CONFIG/config.json` (or `~/.docker/config.json`)
 * as a CredentialStore: a registry's `credHelpers` entry, else `credsStore`, else `auths`,
 * as `docker login` reads them. A config that cannot be parsed is an error to fix.
 */
export class DockerConfigStore implements CredentialStore {
  readonly location = 'docker-config' as const;
  readonly path: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: DockerConfigStoreOptions = {}) {
    this.env = options.env ?? process.env;
    this.path = options.path ?? defaultDockerConfigPath(this.env);
  }

  helper(name: string): CredentialHelper {
    return new CredentialHelper(name, { env: this.env, timeoutMs: this.options.helperTimeoutMs });
  }

  async get(registry: string): Promise<Credential | undefined> {
    const wanted = registryKey(registry);
    const config = await readDockerConfig(this.path);
    const choice = helperFor(config, wanted);
    if (choice) {
      const found = await this.findInHelper(choice, wanted);
      if (found) return found.credential;
    }
    // With a helper, `auths` holds empty placeholders; without one, the login itself.
    const entry = authEntries(config).find((e) => e.registry === wanted);
    return entry ? credentialOf(entry.entry, `${this.path} (entry ${entry.key})`) : undefined;
  }

  async put(registry: string, credential: Credential): Promise<void> {
    await this.store(registry, credential);
  }

  /**
   * store saves a login as `docker login` would: in the registry's credential helper
   * when the config names one (its name is answered), else in `auths`, unencrypted, in
   * the file (mode 0600; `helper` is then undefined).
   */
  async store(registry: string, credential: Credential): Promise<{ helper?: string }> {
    const wanted = registryKey(registry);
    const config = await readDockerConfig(this.path);
    const choice = helperFor(config, wanted);
    if (choice) {
      await this.helper(choice.name).store(choice.key ?? storageKey(wanted), credential);
      return { helper: choice.name };
    }
    await storeCredential(this.path, wanted, credential);
    return {};
  }

  async delete(registry: string): Promise<boolean> {
    return (await this.remove(registry)).length > 0;
  }

  /**
   * remove deletes a registry's login from its helper (every spelling it is stored
   * under) and from `auths`, and says where it was: what `logout` reports.
   */
  async remove(registry: string): Promise<SavedLogin[]> {
    const wanted = registryKey(registry);
    const config = await readDockerConfig(this.path);
    const choice = helperFor(config, wanted);
    const removed: SavedLogin[] = [];
    if (choice) {
      const helper = this.helper(choice.name);
      for (let round = 0; round < 8; round++) {
        const found = await this.findInHelper(choice, wanted);
        if (!found) break;
        await helper.erase(found.serverUrl);
        if (round === 0) removed.push(this.saved(wanted, found.credential, 'docker-helper', choice.name));
      }
    }
    const entry = authEntries(config).find((e) => e.registry === wanted);
    if (entry && (await removeCredential(this.path, wanted))) {
      const credential = credentialOf(entry.entry, `${this.path} (entry ${entry.key})`);
      // An empty placeholder next to a helper's login is not a login of its own.
      if (credential || removed.length === 0) removed.push(this.saved(wanted, credential, 'docker-config', this.path));
    }
    return removed;
  }

  /** saved describes a login without its secret. */
  private saved(registry: string, who: { username?: string; identityToken?: unknown } | undefined, location: 'docker-config' | 'docker-helper', detail: string): SavedLogin {
    const username = who?.username;
    return {
      registry,
      ...(username && username !== TOKEN_USERNAME ? { username } : {}),
      location,
      detail,
      ...(who?.identityToken ? { identityToken: true } : {}),
    };
  }

  async list(): Promise<SavedLogin[]> {
    const config = await readDockerConfig(this.path);
    const logins = new Map<string, SavedLogin>();
    for (const { key, registry, entry } of authEntries(config)) {
      const credential = credentialOf(entry, `${this.path} (entry ${key})`);
      if (credential) logins.set(registry, this.saved(registry, credential, 'docker-config', this.path));
    }
    const listed = new Map<string, Promise<Record<string, string>>>();
    const listOf = (name: string): Promise<Record<string, string>> => {
      if (!listed.has(name)) listed.set(name, this.helper(name).list());
      return listed.get(name)!;
    };
    const fromHelper = (name: string, url: string, user: string): void => {
      const registry = registryKey(url);
      logins.set(registry, this.saved(registry, user === TOKEN_USERNAME ? { identityToken: true } : { username: user }, 'docker-helper', name));
    };
    const helpers = Object.entries(config.credHelpers ?? {}).filter(([, name]) => typeof name === 'string' && name !== '');
    if (config.credsStore) {
      for (const [url, user] of Object.entries(await listOf(config.credsStore))) {
        // A registry with its own credHelpers entry does not use credsStore.
        if (!helpers.some(([key]) => registryKey(key) === registryKey(url))) fromHelper(config.credsStore, url, user);
      }
    }
    for (const [key, name] of helpers) {
      for (const [url, user] of Object.entries(await listOf(name))) {
        if (registryKey(url) === registryKey(key)) fromHelper(name, url, user);
      }
    }
    return [...logins.values()].sort((a, b) => a.registry.localeCompare(b.registry));
  }

  /**
   * findInHelper asks a helper for a registry under the spelling Docker uses (the
   * credHelpers key, Docker Hub's `https://index.docker.io/v1/`, else the host), then
   * under any other spelling its list shows (`https://host`, `host/v2/`).
   */
  private async findInHelper(choice: HelperChoice, registry: string): Promise<{ serverUrl: string; credential: Credential } | undefined> {
    const helper = this.helper(choice.name);
    const tried = new Set<string>();
    for (const serverUrl of [choice.key ?? storageKey(registry), registry]) {
      if (tried.has(serverUrl)) continue;
      tried.add(serverUrl);
      const credential = await helper.get(serverUrl);
      if (credential) return { serverUrl, credential };
    }
    let urls: string[];
    try {
      urls = Object.keys(await helper.list());
    } catch {
      return undefined; // not every helper lists
    }
    for (const serverUrl of urls) {
      if (tried.has(serverUrl) || registryKey(serverUrl) !== registry) continue;
      tried.add(serverUrl);
      const credential = await helper.get(serverUrl);
      if (credential) return { serverUrl, credential };
    }
    return undefined;
  }
}
