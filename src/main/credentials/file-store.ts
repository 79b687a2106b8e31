import path from 'node:path';
import type { Credential } from '../engine/transport/credential';
import { TOKEN_USERNAME } from './credential-helper';
import { authEntries, credentialOf, readCredential, readDockerConfig, removeCredential, storeCredential } from './docker-config-file';
import type { CredentialStore, SavedLogin } from './types';

/**
 * FileStore is a Docker-style credentials file the user named (`oras login … -c
 * rocket-creds.json`): logins live in its `auths`, base64 `user:password` or an
 * `identitytoken`. It is the only store that puts a secret in a file, and only because
 * the user asked; the file is written atomically with mode 0600. Helpers the file may
 * name (`credsStore`) are not used: a file named on purpose holds its logins itself.
 */
export class FileStore implements CredentialStore {
  readonly location = 'file' as const;
  readonly path: string;

  /** `file` is resolved against `cwd` (default: the process's working folder). */
  constructor(file: string, cwd = process.cwd()) {
    this.path = path.resolve(cwd, file);
  }

  get(registry: string): Promise<Credential | undefined> {
    return readCredential(this.path, registry);
  }

  put(registry: string, credential: Credential): Promise<void> {
    return storeCredential(this.path, registry, credential);
  }

  delete(registry: string): Promise<boolean> {
    return removeCredential(this.path, registry);
  }

  async list(): Promise<SavedLogin[]> {
    const logins: SavedLogin[] = [];
    for (const { key, registry, entry } of authEntries(await readDockerConfig(this.path))) {
      const credential = credentialOf(entry, `${this.path} (entry ${key})`);
      if (!credential) continue;
      logins.push({
        registry,
        ...(credential.username && credential.username !== TOKEN_USERNAME ? { username: credential.username } : {}),
        location: 'file',
        detail: this.path,
        ...(credential.identityToken ? { identityToken: true } : {}),
      });
    }
    return logins.sort((a, b) => a.registry.localeCompare(b.registry));
  }
}
