import type { RegistryOptions } from '../engine/registry/registry';
import type { Credential, CredentialProvider } from '../engine/transport/credential';

/**
 * The credentials API every face of ORAS Desktop shares (CLI, app handlers, library).
 * No call here returns a secret to a caller that shows things to a person: `list`
 * gives registry, user name and where a login lives; only `provider()` hands
 * credentials to the engine's auth, inside the main process.
 */

/** Where a login is kept. */
export type LoginLocation =
  /** The OS keychain through keytar (default for logins made in the app and by `oras login`). */
  | 'keychain'
  /** Docker's config.json `auths` (base64 user:password or identitytoken). */
  | 'docker-config'
  /** A `docker-credential-<name>` helper named by Docker's `credsStore` or `credHelpers`. */
  | 'docker-helper'
  /** A Docker-style file the user named (`-c FILE`). */
  | 'file';

/** SavedLogin describes a login without its secret. */
export interface SavedLogin {
  /** Normalised registry host[:port] (`docker.io` for Docker Hub and its aliases). */
  registry: string;
  username?: string;
  location: LoginLocation;
  /** The file path, or the helper's name, when that says more than `location`. */
  detail?: string;
  /** true when the secret is an identity (refresh) token rather than a password. */
  identityToken?: boolean;
  /**
   * Set when `login` saved to Docker's config because this machine has no keychain
   * (`dockerConfigWithoutKeychain`): why the keychain could not be used, and whether
   * the secret went into the file unencrypted (no credential helper configured).
   */
  withoutKeychain?: { problem: KeychainProblem; reason: string; unencrypted: boolean };
}

/** CredentialStore is one place logins live: get, put, delete, list by registry host. */
export interface CredentialStore {
  readonly location: LoginLocation;
  get(registry: string): Promise<Credential | undefined>;
  put(registry: string, credential: Credential): Promise<void>;
  /** delete returns whether there was a login to remove. */
  delete(registry: string): Promise<boolean>;
  list(): Promise<SavedLogin[]>;
}

/** Where `login` saves: the keychain by default, or a named Docker-style file. */
export type SaveTarget = { kind: 'keychain' } | { kind: 'file'; path: string };

/** Connection options a login check needs (the same as the engine's registry options). */
export interface LoginCheckOptions {
  plainHttp?: boolean;
  /** The User-Agent to send (the engine's default otherwise). */
  userAgent?: string;
  insecure?: boolean;
  caFile?: string;
  /** A client certificate (mutual TLS), extra headers (`-H`) and resolve rules, as in the engine's RegistryOptions. */
  certFile?: string;
  keyFile?: string;
  headers?: RegistryOptions['headers'];
  resolve?: RegistryOptions['resolve'];
  /** How long the registry may leave the check unanswered; the engine's default (60 s) otherwise. */
  deadlineMs?: number;
  signal?: AbortSignal;
}

/**
 * KeychainProblem says why the OS keychain cannot be used now:
 * - `no-keytar`: keytar, the keychain library, is not installed or cannot be loaded (it
 *   is an optional dependency: an install without a C toolchain or libsecret leaves it out);
 * - `no-home`: HOME is not set;
 * - `no-dbus`: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset, or nothing listening);
 * - `no-secret-service`: nothing on the bus provides the Secret Service;
 * - `no-keyring`: the Secret Service has no default keyring (collection) to save in;
 * - `locked`: the keyring is locked;
 * - `timeout`: the keychain did not answer in time (often: waiting for an unlock prompt);
 * - `failed`: anything else the keychain library reported.
 */
export type KeychainProblem = 'no-keytar' | 'no-home' | 'no-dbus' | 'no-secret-service' | 'no-keyring' | 'locked' | 'timeout' | 'failed';

/** KeychainStatus: whether logins can be read from and saved to the OS keychain. */
export type KeychainStatus = { available: true } | { available: false; problem: KeychainProblem; message: string };

/**
 * CredentialNote is something a reader of credentials skipped, for the user to see:
 * `debug` when there is simply no keychain here (CI, a server), `warning` when a store
 * that may hold the login could not be read (a locked keyring, a failing helper).
 */
export interface CredentialNote {
  level: 'debug' | 'warning';
  registry: string;
  location: LoginLocation;
  message: string;
}
