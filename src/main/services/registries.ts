import { mkdir } from 'node:fs/promises';
import type { z } from 'zod';
import type { addRegistrySchema, ConnectionOptions, RegistryEntry } from '../../shared/contract';
import type { SavedLogin } from '../credentials/types';
import { fsError } from '../engine/content/fs-error';
import { OrasError, isOrasError } from '../engine/errors';
import { parseRegistryHost } from '../engine/registry-host';
import { Registry } from '../engine/registry/registry';
import type { Credential } from '../engine/transport/credential';
import type { LoginBackend } from './login-backend';
import type { SettingsStore } from './settings';

/** LOCAL_ID is the sidebar id of the built-in OCI layout. */
export const LOCAL_ID = 'local';
export const LOCAL_LABEL = 'Local OCI layout';

/** AddRegistryInput is `registries.add`/`test`/`update`'s request after its schema ran. */
export type AddRegistryInput = z.output<typeof addRegistrySchema>;

/** Reachability checks a registry without a login; it throws when it is not a registry or not reachable. */
export type Reachability = (registry: string, options: ConnectionOptions, signal?: AbortSignal) => Promise<void>;

export interface RegistriesServiceOptions {
  /** The local OCI layout's folder; created on first use. */
  localLayoutPath: string;
  settings: SettingsStore;
  logins: LoginBackend;
  /** Default `pingAnonymously`. */
  reachable?: Reachability;
  /** How long test, add and update wait for the registry. Default `CHECK_DEADLINE_MS`. */
  checkDeadlineMs?: number;
}

/**
 * CHECK_DEADLINE_MS bounds the checks a person waits for (test, add, update). Without
 * it a host that accepts the connection and never answers holds the dialog for the
 * transport's full patience: 30 s for headers, four attempts, about two minutes.
 */
export const CHECK_DEADLINE_MS = 10_000;

/**
 * pingAnonymously asks `GET /v2/` with no login: any registry answers 200 or 401, so
 * both count as reachable; a refused connection, a TLS failure or a server that does
 * not speak the distribution API throws.
 */
export const pingAnonymously: Reachability = async (registry, options, signal) => {
  const client = new Registry(registry, options);
  try {
    await client.ping(signal);
  } catch (error) {
    if (!isOrasError(error, 'UNAUTHORIZED')) throw error;
  } finally {
    await client.close();
  }
};

/**
 * RegistriesService is the registries sidebar: the local OCI layout (always first),
 * then saved registries with their connection options (settings.json), then any other
 * registry the credentials service holds a login for (a `docker login`, say). Logins
 * are tested before they are saved, and saved by the credentials service only.
 */
export class RegistriesService {
  private local: Promise<void> | undefined;
  private readonly reachable: Reachability;
  private readonly deadlineMs: number;

  constructor(private readonly options: RegistriesServiceOptions) {
    this.reachable = options.reachable ?? pingAnonymously;
    this.deadlineMs = options.checkDeadlineMs ?? CHECK_DEADLINE_MS;
  }

  async list(): Promise<RegistryEntry[]> {
    await this.ensureLocal();
    const [saved, logins] = await Promise.all([this.options.settings.registries(), this.options.logins.list()]);
    const loginOf = new Map<string, SavedLogin>();
    // The first login listed for a registry is the one used (the credentials service orders them).
    for (const login of logins) if (!loginOf.has(login.registry)) loginOf.set(login.registry, login);
    const entries: RegistryEntry[] = [
      { id: LOCAL_ID, kind: 'local', label: LOCAL_LABEL, path: this.options.localLayoutPath, options: {} },
    ];
    const seen = new Set<string>();
    for (const { registry, options } of saved) {
      seen.add(registry);
      entries.push(remoteEntry(registry, options, loginOf.get(registry)));
    }
    for (const [registry, login] of loginOf) {
      if (!seen.has(registry)) entries.push(remoteEntry(registry, {}, login));
    }
    return entries;
  }

  /**
   * test checks a login and saves nothing: the one given, else the saved one, else
   * (anonymous) that the registry answers at all.
   */
  async test(input: AddRegistryInput): Promise<void> {
    const registry = registryName(input.registry);
    await this.withDeadline(registry, (signal) => this.check(registry, input, signal));
  }

  /** add tests, then saves the login (when one is given) and the registry with its options. */
  async add(input: AddRegistryInput): Promise<RegistryEntry> {
    const registry = registryName(input.registry);
    if (await this.options.settings.get(registry)) {
      throw new OrasError('ALREADY_EXISTS', `${registry} is already in the list: edit it instead`);
    }
    return this.save(registry, input);
  }

  /** update replaces a listed registry's options and, when a secret is given, its login (tested first; else the saved login is tested). */
  async update(input: AddRegistryInput): Promise<RegistryEntry> {
    const registry = registryName(input.registry);
    if (!(await this.isListed(registry))) throw notListed(registry);
    return this.save(registry, input);
  }

  /** logout removes the login and keeps the registry in the list, anonymous. */
  async logout(registry: string): Promise<RegistryEntry> {
    const name = registryName(registry);
    if (!(await this.isListed(name))) throw notListed(name);
    const saved = await this.options.settings.get(name);
    await this.options.logins.logout(name);
    if (!saved) await this.options.settings.put(name, {});
    return this.entry(name);
  }

  /** remove takes the registry off the list and removes its login from where it lives. */
  async remove(registry: string): Promise<void> {
    const name = registryName(registry);
    if (!(await this.isListed(name))) throw notListed(name);
    await this.options.logins.logout(name);
    await this.options.settings.delete(name);
  }

  private async save(registry: string, input: AddRegistryInput): Promise<RegistryEntry> {
    const credential = credentialOf(input);
    await this.withDeadline(registry, async (signal) => {
      if (credential) await this.options.logins.login(registry, credential, { ...input.options, signal });
      else await this.check(registry, input, signal); // the saved login, if any, with the new options
    });
    await this.options.settings.put(registry, input.options);
    return this.entry(registry);
  }

  /** check tests the given login, else the saved one, else that the registry answers at all. */
  private async check(registry: string, input: AddRegistryInput, signal: AbortSignal): Promise<void> {
    const credential = credentialOf(input);
    if (credential || (await this.hasLogin(registry))) {
      await this.options.logins.test(registry, credential, { ...input.options, signal });
    } else {
      await this.reachable(registry, input.options, signal);
    }
  }

  /**
   * withDeadline runs a check a person waits for with `checkDeadlineMs`, and turns its
   * expiry into an error that says what to do. The page may stop waiting sooner (its
   * Cancel); this is where main itself gives up.
   */
  private async withDeadline<T>(registry: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(this.deadlineMs);
    try {
      return await work(signal);
    } catch (error) {
      if (!signal.aborted) throw error;
      const within = this.deadlineMs % 1000 === 0 ? `${this.deadlineMs / 1000} s` : `${this.deadlineMs} ms`;
      throw new OrasError('NETWORK', `${registry} did not answer within ${within}: check the host and port`, { cause: error });
    }
  }

  private async isListed(registry: string): Promise<boolean> {
    return (await this.options.settings.get(registry)) !== undefined || this.hasLogin(registry);
  }

  private async hasLogin(registry: string): Promise<boolean> {
    return (await this.options.logins.list()).some((l) => l.registry === registry);
  }

  private async entry(registry: string): Promise<RegistryEntry> {
    const found = (await this.list()).find((e) => e.kind === 'remote' && e.id === registry);
    if (!found) throw new OrasError('INTERNAL', `${registry} was saved but is not in the list`);
    return found;
  }

  private ensureLocal(): Promise<void> {
    this.local ??= (async () => {
      const dir = this.options.localLayoutPath;
      // A plain folder of layouts, one per repository (`<dir>/<repository>/`). An
      // `oci-layout` file an earlier version left at its root is ignored, not deleted.
      await mkdir(dir, { recursive: true }).catch((error: unknown) => {
        throw fsError(error, 'create folder', dir);
      });
    })().catch((error: unknown) => {
      this.local = undefined; // try again next time: the user may fix the folder
      throw error;
    });
    return this.local;
  }
}

function remoteEntry(registry: string, options: ConnectionOptions, login: SavedLogin | undefined): RegistryEntry {
  return {
    id: registry,
    kind: 'remote',
    label: registry,
    ...(login?.username ? { username: login.username } : {}),
    ...(login ? { location: login.location } : {}),
    options,
  };
}

/** registryName validates and normalises a registry as the user typed it. */
function registryName(input: string): string {
  if (input === LOCAL_ID) throw new OrasError('INVALID_ARGUMENT', 'the local OCI layout is always listed and needs no login');
  return parseRegistryHost(input);
}

function notListed(registry: string): OrasError {
  return new OrasError('NOT_FOUND', `${registry} is not in the list of registries`);
}

function credentialOf(input: AddRegistryInput): Credential | undefined {
  if (input.secret === undefined || input.secret === '') return undefined;
  if (input.secretKind === 'identity-token') {
    return { ...(input.username ? { username: input.username } : {}), identityToken: input.secret };
  }
  return { username: input.username ?? '', password: input.secret };
}
