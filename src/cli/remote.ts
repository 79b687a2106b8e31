import { Registry, type RegistryOptions } from '../main/engine/registry/registry';
import { USER_AGENT } from '../main/engine/transport/client';
import type { Credential, CredentialProvider } from '../main/engine/transport/credential';
import { cliCredentials, flagCredential, noteWriter, warnPasswordFlag } from './credentials';
import { deadlineOption } from './deadline';
import { UsageError } from './errors';
import type { CliIo } from './io';
import type { CommonFlags, RemoteFlags } from './options';

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

/** checkConnectionFlags refuses transport flags that contradict each other. */
export function checkConnectionFlags(flags: RemoteFlags): void {
  if (flags.plainHttp && flags.insecure) {
    throw new UsageError('--plain-http and --insecure cannot be used together: --insecure is about TLS, which plain HTTP does not use');
  }
  if (flags.plainHttp && flags.caFile) throw new UsageError('--plain-http and --ca-file cannot be used together');
}

/** connectionOptions maps the transport flags to the engine's options. */
export function connectionOptions(flags: RemoteFlags): Pick<RegistryOptions, 'plainHttp' | 'insecure' | 'caFile' | 'userAgent'> {
  return {
    // --ca-file and --insecure are about TLS, so they mean HTTPS even on loopback,
    // where the engine otherwise defaults to plain HTTP.
    ...(flags.plainHttp ? { plainHttp: true } : flags.caFile || flags.insecure ? { plainHttp: false } : {}),
    ...(flags.insecure ? { insecure: true } : {}),
    ...(flags.caFile ? { caFile: flags.caFile } : {}),
    userAgent: `${USER_AGENT} (cli)`,
  };
}
