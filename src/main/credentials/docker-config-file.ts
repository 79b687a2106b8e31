import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { OrasError } from '../engine/errors';
import { nodeReason } from '../engine/node-errors';
import { DOCKER_HUB, normalizeRegistry } from '../engine/reference';
import { registryNameOf } from '../engine/registry-host';
import type { Credential } from '../engine/transport/credential';

/**
 * Docker-style credential files (`~/.docker/config.json`, and the file `oras login -c`
 * names): `{"auths": {"<registry>": {"auth": base64("user:password"),
 * "identitytoken": "…"}}}`. Every other key of the file is kept as it is when we write.
 */

/** The key Docker itself writes for Docker Hub. */
export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

/** AuthEntry is one `auths` value. */
export interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  [key: string]: unknown;
}

export interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  /** The credential helper for every registry: `docker-credential-<credsStore>`. */
  credsStore?: string;
  /** Per-registry helpers: registry → helper name (`docker-credential-<name>`). */
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

/** defaultDockerConfigPath is `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function defaultDockerConfigPath(env: NodeJS.ProcessEnv): string {
  const dir = env.DOCKER_CONFIG || path.join(env.HOME || env.USERPROFILE || homedir(), '.docker');
  return path.join(dir, 'config.json');
}

/**
 * registryKey folds the ways a registry is written in `auths` (with a scheme, with a
 * path such as `/v1/`, in capitals, as a Docker Hub alias) into the registry name
 * references use: `https://index.docker.io/v1/` → `docker.io` (the engine's one
 * registry host parser, `registryNameOf`; never throws).
 */
export function registryKey(key: string): string {
  return registryNameOf(key);
}

/** storageKey is the key we write for a registry: Docker's own for Docker Hub, else the name. */
export function storageKey(registry: string): string {
  const normalized = normalizeRegistry(registry);
  return normalized === DOCKER_HUB ? DOCKER_HUB_KEY : normalized;
}

function configError(file: string, why: string): OrasError {
  return new OrasError('INVALID_ARGUMENT', `credentials file ${file} ${why}`);
}

/**
 * readDockerConfig reads a config file; a missing file is an empty config. A file
 * that is not a JSON object, or whose `auths` is not an object, is an error naming
 * the file (never its content: it holds secrets).
 */
export async function readDockerConfig(file: string): Promise<DockerConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    if (code === 'EISDIR') throw configError(file, 'is a folder, not a file');
    if (code === 'EACCES' || code === 'EPERM') throw new OrasError('DENIED', `cannot read credentials file ${file}: permission denied`);
    throw configError(file, `cannot be read: ${nodeReason(err)}`);
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw configError(file, 'is not valid JSON; fix or remove it');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw configError(file, 'must hold a JSON object');
  const config = parsed as DockerConfig;
  if (config.auths !== undefined && !isPlainObject(config.auths)) throw configError(file, 'has an "auths" that is not an object');
  if (config.credsStore !== undefined && typeof config.credsStore !== 'string') throw configError(file, 'has a "credsStore" that is not a string');
  if (config.credHelpers !== undefined && (!isPlainObject(config.credHelpers) || Object.values(config.credHelpers).some((v) => typeof v !== 'string'))) {
    throw configError(file, 'has a "credHelpers" that is not an object of helper names');
  }
  return config;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** authEntries lists the `auths` entries that are objects, with the registry each is for. */
export function authEntries(config: DockerConfig): Array<{ key: string; registry: string; entry: AuthEntry }> {
  return Object.entries(config.auths ?? {})
    .filter((pair): pair is [string, AuthEntry] => isPlainObject(pair[1]))
    .map(([key, entry]) => ({ key, registry: registryKey(key), entry }));
}

/** findAuthEntry finds the entry of a registry, whichever way its key is written. */
export function findAuthEntry(config: DockerConfig, registry: string): { key: string; entry: AuthEntry } | undefined {
  const wanted = normalizeRegistry(registry);
  const auths = config.auths ?? {};
  // An exact key wins over an alias, so `localhost:5000` beats `http://localhost:5000`.
  const keys = Object.keys(auths).sort((a, b) => Number(b === wanted) - Number(a === wanted));
  for (const key of keys) {
    const entry = auths[key];
    if (isPlainObject(entry) && registryKey(key) === wanted) return { key, entry };
  }
  return undefined;
}

/**
 * credentialOf decodes an entry: `auth` is base64 of `user:password` (split at the
 * first colon; passwords may hold colons), `identitytoken` a refresh token,
 * `registrytoken` a bearer token for the registry. An entry with nothing usable is
 * undefined.
 */
export function credentialOf(entry: AuthEntry, where: string): Credential | undefined {
  const credential: Credential = {};
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) throw configError(where, 'has an "auth" value that is not base64 of user:password');
    credential.username = decoded.slice(0, colon);
    credential.password = decoded.slice(colon + 1);
  } else {
    if (typeof entry.username === 'string' && entry.username !== '') credential.username = entry.username;
    if (typeof entry.password === 'string' && entry.password !== '') credential.password = entry.password;
  }
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    credential.identityToken = entry.identitytoken;
    // An identity token replaces the password; the user name stays for display only.
    delete credential.password;
  }
  if (typeof entry.registrytoken === 'string' && entry.registrytoken !== '') credential.accessToken = entry.registrytoken;
  return credential.password || credential.identityToken || credential.accessToken ? credential : undefined;
}

/** readCredential reads one registry's credential from a config file, if it has one. */
export async function readCredential(file: string, registry: string): Promise<Credential | undefined> {
  const found = findAuthEntry(await readDockerConfig(file), registry);
  return found ? credentialOf(found.entry, `${file} (entry ${found.key})`) : undefined;
}

/** entryFor encodes a credential as Docker does. */
export function entryFor(credential: Credential): AuthEntry {
  if (credential.identityToken) {
    return {
      auth: Buffer.from(`${credential.username || '<token>'}:`).toString('base64'),
      identitytoken: credential.identityToken,
    };
  }
  return { auth: Buffer.from(`${credential.username ?? ''}:${credential.password ?? ''}`).toString('base64') };
}

/**
 * writeDockerConfig writes a config file atomically: a temp file in the same folder,
 * created with mode 0600 (it holds secrets), then renamed over the old one, so a crash
 * never leaves a half-written file and no other user can ever read it.
 */
export async function writeDockerConfig(file: string, config: DockerConfig): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(config, null, '\t')}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The umask cannot widen 0600, but a Windows or odd file system may ignore the mode.
    await chmod(tmp, 0o600).catch(() => {});
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new OrasError('DENIED', `cannot write credentials file ${file}: permission denied`, { cause: err });
    if (code === 'EISDIR') throw configError(file, 'is a folder, not a file');
    throw new OrasError('INTERNAL', `cannot write credentials file ${file}: ${nodeReason(err)}`, { cause: err });
  }
}

/**
 * storeCredential saves a registry's credential in `file`, replacing any entry for the
 * same registry (however its key was written) and keeping everything else.
 */
export async function storeCredential(file: string, registry: string, credential: Credential): Promise<void> {
  const config = await readDockerConfig(file);
  const auths: Record<string, AuthEntry> = { ...(config.auths ?? {}) };
  for (const key of Object.keys(auths)) if (registryKey(key) === normalizeRegistry(registry)) delete auths[key];
  auths[storageKey(registry)] = entryFor(credential);
  await writeDockerConfig(file, { ...config, auths });
}

/**
 * removeCredential deletes every entry of a registry from `file`; false when there
 * was none (the file is then left untouched).
 */
export async function removeCredential(file: string, registry: string): Promise<boolean> {
  const config = await readDockerConfig(file);
  const auths: Record<string, AuthEntry> = { ...(config.auths ?? {}) };
  const keys = Object.keys(auths).filter((key) => registryKey(key) === normalizeRegistry(registry));
  if (keys.length === 0) return false;
  for (const key of keys) delete auths[key];
  await writeDockerConfig(file, { ...config, auths });
  return true;
}
