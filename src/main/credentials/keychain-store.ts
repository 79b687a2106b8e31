import { advice } from '../engine/advice';
import { OrasError } from '../engine/errors';
import type { Credential } from '../engine/transport/credential';
import { registryKey } from './docker-config-file';
import { keychainError, KeychainError } from './keychain-error';
import { KeytarFailure, keytarModulePath, runKeytar, type KeytarRequest } from './keytar-child';
import { formatSeconds, probeSecretService } from './secret-service-probe';
import type { CredentialStore, KeychainStatus, SavedLogin } from './types';

/**
 * KeychainStore keeps logins in the OS keychain through keytar (libsecret's Secret
 * Service on Linux, Keychain on macOS, Credential Manager on Windows): one item per
 * registry, service `oras-desktop`, account the normalised registry host
 * (`docker.io`, `index.docker.io` and `registry-1.docker.io` are one account), secret
 * the JSON `{"username", "password"}` or `{"username", "identityToken"}`.
 *
 * Before each call it checks what can be checked quickly — keytar is installed, HOME,
 * the session bus, the Secret Service, a default keyring, its lock — and each keytar
 * call runs in a child process with a deadline, so every failure is a KeychainError
 * within seconds. keytar is an optional dependency (its native part needs a C toolchain
 * and libsecret to build): without it every call fails with `no-keytar`, which the
 * resolver skips like a machine with no keychain, and `-c FILE` and Docker's credential
 * helpers work as ever.
 */

export const KEYCHAIN_SERVICE = 'oras-desktop';

export interface KeychainStoreOptions {
  env?: NodeJS.ProcessEnv;
  /** The keychain service name. Default `oras-desktop`. */
  service?: string;
  /** The longest one keytar call may take. Default 5 s. */
  timeoutMs?: number;
  /** The longest the Secret Service check may take. Default 3 s. */
  probeTimeoutMs?: number;
  platform?: NodeJS.Platform;
  /** keytar's entry file, when it is not next to this code. */
  keytarPath?: string;
}

interface StoredSecret {
  username?: string;
  password?: string;
  identityToken?: string;
}

/**
 * KeychainStore is the OS keychain as a CredentialStore (service `oras-desktop`, one
 * entry per registry), through keytar in a child process. Where it cannot be used every
 * call throws a KeychainError saying why and what to do instead.
 */
export class KeychainStore implements CredentialStore {
  readonly location = 'keychain' as const;
  readonly service: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;
  private readonly probeTimeoutMs: number;
  private readonly platform: NodeJS.Platform;

  constructor(private readonly options: KeychainStoreOptions = {}) {
    this.env = options.env ?? process.env;
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 3_000;
    this.platform = options.platform ?? process.platform;
  }

  /**
   * ensureUsable throws the KeychainError that stops reading (`read`) or saving
   * (`write`), if any. Saving also needs a default keyring; reading does not.
   */
  async ensureUsable(purpose: 'read' | 'write'): Promise<void> {
    this.keytarPath();
    if (this.platform !== 'win32' && !this.env.HOME) throw keychainError('no-home');
    await probeSecretService(purpose, { env: this.env, timeoutMs: this.probeTimeoutMs, platform: this.platform });
  }

  /** status says whether logins can be saved here, and if not, why (for the app's settings). */
  async status(): Promise<KeychainStatus> {
    try {
      await this.ensureUsable('write');
      return { available: true };
    } catch (err) {
      if (err instanceof KeychainError) return { available: false, problem: err.problem, message: err.message };
      throw err;
    }
  }

  async get(registry: string): Promise<Credential | undefined> {
    const account = registryKey(registry);
    await this.ensureUsable('read');
    const secret = await this.call({ op: 'get', service: this.service, account });
    return secret === null ? undefined : decodeSecret(secret, account);
  }

  async put(registry: string, credential: Credential): Promise<void> {
    const account = registryKey(registry);
    const secret = encodeSecret(credential);
    await this.ensureUsable('write');
    await this.call({ op: 'set', service: this.service, account, secret });
  }

  async delete(registry: string): Promise<boolean> {
    const account = registryKey(registry);
    await this.ensureUsable('write');
    return this.call({ op: 'delete', service: this.service, account });
  }

  async list(): Promise<SavedLogin[]> {
    await this.ensureUsable('read');
    const entries = await this.call({ op: 'list', service: this.service });
    return entries
      .map((e) => ({
        registry: e.account,
        ...(e.username ? { username: e.username } : {}),
        location: 'keychain' as const,
        ...(e.identityToken ? { identityToken: true } : {}),
      }))
      .sort((a, b) => a.registry.localeCompare(b.registry));
  }

  /** keytarPath is keytar's entry file; it throws `no-keytar` when keytar is not installed. */
  private keytarPath(): string {
    if (this.options.keytarPath) return this.options.keytarPath;
    try {
      return keytarModulePath();
    } catch (err) {
      if (err instanceof KeytarFailure) throw keychainError('no-keytar', err.message.slice(0, 200), err);
      throw err;
    }
  }

  private call(request: Extract<KeytarRequest, { op: 'get' }>): Promise<string | null>;
  private call(request: Extract<KeytarRequest, { op: 'set' }>): Promise<null>;
  private call(request: Extract<KeytarRequest, { op: 'delete' }>): Promise<boolean>;
  private call(request: Extract<KeytarRequest, { op: 'list' }>): Promise<Array<{ account: string; username?: string; identityToken: boolean }>>;
  private async call(request: KeytarRequest): Promise<unknown> {
    const options = { env: this.env, timeoutMs: this.timeoutMs, keytarPath: this.keytarPath() };
    try {
      return await runKeytar(request as never, options);
    } catch (err) {
      if (!(err instanceof KeytarFailure)) throw err;
      if (err.kind === 'timeout') throw keychainError('timeout', `within ${formatSeconds(this.timeoutMs)}`, err);
      if (err.kind === 'unavailable') throw keychainError('no-keytar', err.message.split('\n')[0]!.slice(0, 200), err);
      throw classifyKeytarMessage(err.message, err);
    }
  }
}

/** classifyKeytarMessage turns what keytar/libsecret said into the problem it means. */
export function classifyKeytarMessage(message: string, cause?: unknown): KeychainError {
  const detail = message.replace(/\s+/g, ' ').trim().slice(0, 200);
  if (/autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Could not connect|Failed to connect to socket/i.test(message)) {
    return keychainError('no-dbus', detail, cause);
  }
  if (/org\.freedesktop\.secrets was not provided|ServiceUnknown|NameHasNoOwner/i.test(message)) {
    return keychainError('no-secret-service', detail, cause);
  }
  if (/locked collection|is locked/i.test(message)) return keychainError('locked', detail, cause);
  if (/Object does not exist at path/i.test(message)) return keychainError('no-keyring', detail, cause);
  return keychainError('failed', detail, cause);
}

/** encodeSecret is the JSON kept in the keychain: a user name and a password or identity token. */
export function encodeSecret(credential: Credential): string {
  if (credential.identityToken) {
    return JSON.stringify({ ...(credential.username ? { username: credential.username } : {}), identityToken: credential.identityToken });
  }
  if (!credential.password) throw new OrasError('INVALID_ARGUMENT', 'a login needs a password or an identity token');
  if (!credential.username) throw new OrasError('INVALID_ARGUMENT', 'a login with a password needs a user name');
  return JSON.stringify({ username: credential.username, password: credential.password });
}

/** decodeSecret reads what encodeSecret wrote; anything else is an error that shows no part of it. */
export function decodeSecret(secret: string, registry: string): Credential {
  let parsed: StoredSecret;
  try {
    parsed = JSON.parse(secret) as StoredSecret;
  } catch {
    parsed = {};
  }
  const credential: Credential = {};
  if (typeof parsed === 'object' && parsed !== null) {
    if (typeof parsed.username === 'string' && parsed.username !== '') credential.username = parsed.username;
    if (typeof parsed.identityToken === 'string' && parsed.identityToken !== '') credential.identityToken = parsed.identityToken;
    else if (typeof parsed.password === 'string' && parsed.password !== '') credential.password = parsed.password;
  }
  if (!credential.password && !credential.identityToken) {
    throw new OrasError('INVALID_ARGUMENT', `the OS keychain's entry for ${registry} is not a login ORAS Desktop saved; ${advice('removeLogin', registry)}`);
  }
  return credential;
}
