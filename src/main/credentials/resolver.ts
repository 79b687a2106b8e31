import { normalizeRegistry } from '../engine/reference';
import type { Credential, CredentialProvider } from '../engine/transport/credential';
import { HelperError } from './credential-helper';
import { DockerConfigStore, type DockerConfigStoreOptions } from './docker-config-store';
import { FileStore } from './file-store';
import { ABSENT_PROBLEMS, KeychainError } from './keychain-error';
import { KeychainStore, type KeychainStoreOptions } from './keychain-store';
import type { CredentialNote, CredentialStore } from './types';

/**
 * The order in which a registry's credential is looked for:
 *
 *   1. what the command line gives: `-u/-p`, `--identity-token` (only for the registries
 *      the command names), then the `-c FILE` it names;
 *   2. the OS keychain;
 *   3. Docker's config.json, its credential helpers included;
 *   4. anonymous.
 *
 * Reading never fails a command because a store is missing: a pull of a public image
 * works with no keychain. A keychain that is simply not there (no D-Bus, no Secret
 * Service, no HOME) is skipped with a `debug` note; one that is there but cannot be
 * read (locked, timing out) and a failing Docker helper are skipped with a `warning`.
 * A broken file the user must fix (the `-c` file, config.json) stops the command.
 */

export interface ResolverOptions {
  /** The credential the command line gives; used only for `flagRegistries`. */
  flag?: Credential;
  flagRegistries?: readonly string[];
  /** The `-c FILE` store. */
  file?: CredentialStore;
  keychain?: CredentialStore;
  dockerConfig?: CredentialStore;
  /** Told about every store skipped while reading, with why. */
  onNote?: (note: CredentialNote) => void;
}

/** createResolver is a CredentialProvider reading the stores given, in the order ResolverOptions describes. */
export function createResolver(options: ResolverOptions): CredentialProvider {
  const forFlag = new Set((options.flagRegistries ?? []).map(normalizeRegistry));
  const note = (n: CredentialNote): void => options.onNote?.(n);
  return async (asked) => {
    const registry = normalizeRegistry(asked);
    if (options.flag && forFlag.has(registry)) return options.flag;
    if (options.file) {
      const fromFile = await options.file.get(registry);
      if (fromFile) return fromFile;
    }
    if (options.keychain) {
      try {
        const fromKeychain = await options.keychain.get(registry);
        if (fromKeychain) return fromKeychain;
      } catch (err) {
        const absent = err instanceof KeychainError && ABSENT_PROBLEMS.has(err.problem);
        note({
          level: absent ? 'debug' : 'warning',
          registry,
          location: 'keychain',
          message: `skipped the OS keychain looking for a login to ${registry}: ${(err as Error).message}`,
        });
      }
    }
    if (options.dockerConfig) {
      try {
        return await options.dockerConfig.get(registry);
      } catch (err) {
        if (!(err instanceof HelperError)) throw err;
        note({
          level: 'warning',
          registry,
          location: 'docker-helper',
          message: `skipped Docker's credential helper looking for a login to ${registry}: ${err.message}`,
        });
      }
    }
    return undefined;
  };
}

/** StoreOptions: where the default stores are and how long they may take. */
export interface StoreOptions {
  env?: NodeJS.ProcessEnv;
  /** Folder a relative `-c FILE` is resolved against. */
  cwd?: string;
  /** `-c FILE`: a Docker-style credentials file. */
  registryConfig?: string;
  keychain?: Omit<KeychainStoreOptions, 'env'>;
  dockerConfig?: Omit<DockerConfigStoreOptions, 'env'>;
}

/** defaultStores opens the keychain, Docker's config and, when named, the `-c` file. */
export function defaultStores(options: StoreOptions = {}): { keychain: KeychainStore; dockerConfig: DockerConfigStore; file?: FileStore } {
  const env = options.env ?? process.env;
  return {
    keychain: new KeychainStore({ ...options.keychain, env }),
    dockerConfig: new DockerConfigStore({ ...options.dockerConfig, env }),
    ...(options.registryConfig ? { file: new FileStore(options.registryConfig, options.cwd) } : {}),
  };
}

/** credentialProvider is createResolver over the default stores: what the CLI and the library use. */
export function credentialProvider(
  options: StoreOptions & Pick<ResolverOptions, 'flag' | 'flagRegistries' | 'onNote'> = {},
): CredentialProvider {
  return createResolver({ ...defaultStores(options), flag: options.flag, flagRegistries: options.flagRegistries, onNote: options.onNote });
}
