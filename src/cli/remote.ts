import { Registry, type RegistryOptions } from '../main/engine/registry/registry';
import { USER_AGENT } from '../main/engine/transport/client';
import { parseResolveRules } from '../main/engine/transport/connector';
import type { Credential, CredentialProvider } from '../main/engine/transport/credential';
import { parseExtraHeaders } from '../main/engine/transport/extra-headers';
import { cliCredentials, flagCredential, noteWriter, warnPasswordFlag } from './credentials';
import { deadlineOption } from './deadline';
import { UsageError, asUsage } from './errors';
import type { CliIo } from './io';
import type { CommonFlags, RemoteFlags } from './options';
import { tt } from './terminal-text';

/** SessionSide is one side of `oras cp` for RemoteSession.createSides. */
export interface SessionSide {
  /** `from` or `to`, as the side's flags are spelled. */
  name: string;
  flags: RemoteFlags & { ownLogin: boolean };
  /** the registries that side's operand names (its login goes to them only). */
  registries: readonly string[];
}

/**
 * RemoteSession holds what a command needs to reach registries: the flag credential
 * (read once: `--password-stdin` consumes stdin) and the transport settings. Every
 * registry it opens is closed by `close()`.
 */
export class RemoteSession {
  private readonly opened: Registry[] = [];
  private provider: CredentialProvider | undefined;

  private constructor(
    private readonly io: CliIo,
    private readonly flags: RemoteFlags & CommonFlags,
    private readonly flag: Credential | undefined,
    private readonly flagRegistries: readonly string[],
  ) {}

  /**
   * create reads the credential flags once. The flag credential is offered only to
   * `registries` (those the command line names), never to any other host.
   */
  static async create(io: CliIo, flags: RemoteFlags & CommonFlags, registries: readonly string[]): Promise<RemoteSession> {
    checkConnectionFlags(flags);
    warnPasswordFlag(io, flags);
    const flag = await flagCredential(io, flags);
    return new RemoteSession(io, flags, flag, registries);
  }

  /**
   * createSides opens one session per side of `oras cp`, each with that side's flags
   * (options.ts `flagsOfSide`). The unprefixed login is read once, standard input
   * included, and offered to the registries of the sides without a login of their
   * own; a side's own login goes to its registry only.
   */
  static async createSides(io: CliIo, common: CommonFlags, sides: readonly SessionSide[]): Promise<RemoteSession[]> {
    // Every mistake is found before standard input is read or a registry asked.
    for (const side of sides) {
      try {
        checkConnectionFlags(side.flags);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        throw new UsageError(`${err.message} (the ${side.name === 'from' ? 'source' : 'destination'}'s flags: --${side.name}-… or the shared ones)`, { cause: err });
      }
    }
    const own = sides.map((side) => (side.flags.ownLogin ? sideCredential(side.name, side.flags) : undefined));
    const sharedSide = sides.find((side) => !side.flags.ownLogin);
    let shared: Credential | undefined;
    if (sharedSide) {
      warnPasswordFlag(io, sharedSide.flags);
      shared = await flagCredential(io, sharedSide.flags);
    }
    return sides.map((side, i) => {
      if (side.flags.ownLogin && side.flags.password !== undefined) io.stderr.write(tt`WARNING! Using --${side.name}-password via the CLI is insecure.\n`);
      return new RemoteSession(io, { ...side.flags, ...common }, own[i] ?? shared, side.registries);
    });
  }

  /** options are the RegistryOptions for one registry, with the given credential if any. */
  options(credential?: Credential): RegistryOptions {
    this.provider ??= cliCredentials({
      env: this.io.env,
      cwd: this.io.cwd,
      flag: this.flag,
      flagRegistries: this.flagRegistries,
      registryConfig: this.flags.registryConfig,
      onNote: noteWriter(this.io, this.flags.debug),
    });
    return {
      ...connectionOptions(this.flags),
      retry: deadlineOption(this.io.env),
      credentials: credential ? async () => credential : this.provider,
    };
  }

  /** registry opens a registry client; `credential` overrides the lookup (login checks it). */
  registry(name: string, credential?: Credential): Registry {
    const registry = new Registry(name, this.options(credential));
    this.opened.push(registry);
    return registry;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.opened.map((r) => r.close()));
    this.opened.length = 0;
  }
}

/**
 * sideCredential is the login a side of `oras cp` gives on its own (`--from-username`
 * with `--from-password`, or `--from-identity-token`); never read from standard input.
 */
function sideCredential(side: string, flags: RemoteFlags): Credential {
  if (flags.identityToken !== undefined) {
    if (flags.password !== undefined) throw new UsageError(`--${side}-identity-token and --${side}-password cannot be used together`);
    if (flags.identityToken === '') throw new UsageError(`--${side}-identity-token is empty`);
    return { username: flags.username, identityToken: flags.identityToken };
  }
  if (flags.password === undefined) throw new UsageError(`--${side}-username needs a password: add --${side}-password <password>`);
  if (flags.password === '') throw new UsageError(`--${side}-password is empty`);
  if (flags.username === undefined) throw new UsageError(`--${side}-password needs a user name: add --${side}-username <username>`);
  return { username: flags.username, password: flags.password };
}

/** checkConnectionFlags refuses transport flags that contradict each other or cannot be read. */
export function checkConnectionFlags(flags: RemoteFlags): void {
  if (flags.plainHttp && flags.insecure) {
    throw new UsageError('--plain-http and --insecure cannot be used together: --insecure is about TLS, which plain HTTP does not use');
  }
  if (flags.plainHttp && flags.caFile) throw new UsageError('--plain-http and --ca-file cannot be used together');
  if (flags.plainHttp && (flags.certFile || flags.keyFile)) throw new UsageError('--plain-http and --cert-file/--key-file cannot be used together: a client certificate is shown over TLS');
  // ORAS: "if any flags in the group [cert-file key-file] are set they must all be set".
  if (Boolean(flags.certFile) !== Boolean(flags.keyFile)) throw new UsageError('--cert-file and --key-file go together: give the client certificate and its private key');
  asUsage(() => parseExtraHeaders(flags.header ?? []));
  asUsage(() => parseResolveRules(flags.resolve ?? []));
}

/** connectionOptions maps the transport flags to the engine's options. */
export function connectionOptions(flags: RemoteFlags): Pick<RegistryOptions, 'plainHttp' | 'insecure' | 'caFile' | 'certFile' | 'keyFile' | 'headers' | 'resolve' | 'userAgent'> {
  const tls = Boolean(flags.caFile || flags.insecure || flags.certFile);
  return {
    // --ca-file, --insecure and --cert-file are about TLS, so they mean HTTPS even on
    // loopback, where the engine otherwise defaults to plain HTTP.
    ...(flags.plainHttp ? { plainHttp: true } : tls ? { plainHttp: false } : {}),
    ...(flags.insecure ? { insecure: true } : {}),
    ...(flags.caFile ? { caFile: flags.caFile } : {}),
    ...(flags.certFile && flags.keyFile ? { certFile: flags.certFile, keyFile: flags.keyFile } : {}),
    ...(flags.header?.length ? { headers: asUsage(() => parseExtraHeaders(flags.header!)) } : {}),
    ...(flags.resolve?.length ? { resolve: asUsage(() => parseResolveRules(flags.resolve!)) } : {}),
    userAgent: `${USER_AGENT} (cli)`,
  };
}
