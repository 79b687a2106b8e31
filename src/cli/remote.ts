import { Registry, type RegistryOptions } from '../main/engine/registry/registry';
import type { Credential } from '../main/engine/transport/credential';
import { USER_AGENT } from '../main/engine/transport/client';
import { cliCredentials, flagCredential, warnPasswordFlag } from './credentials';
import { UsageError } from './errors';
import type { CliIo } from './io';
import type { RemoteFlags } from './options';

/**
 * RemoteSession holds what a command needs to reach registries: the flag credential
 * (read once: `--password-stdin` consumes stdin) and the transport settings. Every
 * registry it opens is closed by `close()`.
 */
export class RemoteSession {
  private readonly opened: Registry[] = [];

  private constructor(
    private readonly io: CliIo,
    private readonly flags: RemoteFlags,
    private readonly flag: Credential | undefined,
    private readonly flagRegistries: readonly string[],
  ) {}

  /**
   * create reads the credential flags once. The flag credential is offered only to
   * `registries` (those the command line names), never to any other host.
   */
  static async create(io: CliIo, flags: RemoteFlags, registries: readonly string[]): Promise<RemoteSession> {
    if (flags.plainHttp && flags.insecure) {
      throw new UsageError('--plain-http and --insecure cannot be used together: --insecure is about TLS, which plain HTTP does not use');
    }
    if (flags.plainHttp && flags.caFile) throw new UsageError('--plain-http and --ca-file cannot be used together');
    warnPasswordFlag(io, flags);
    const flag = await flagCredential(io, flags);
    return new RemoteSession(io, flags, flag, registries);
  }

  /** options are the RegistryOptions for one registry, with the given credential if any. */
  options(credential?: Credential): RegistryOptions {
    const credentials = credential
      ? async () => credential
      : cliCredentials({ env: this.io.env, flag: this.flag, flagRegistries: this.flagRegistries, registryConfig: this.flags.registryConfig });
    return {
      // --ca-file and --insecure are about TLS, so they mean HTTPS even on loopback,
      // where the engine otherwise defaults to plain HTTP.
      ...(this.flags.plainHttp ? { plainHttp: true } : this.flags.caFile || this.flags.insecure ? { plainHttp: false } : {}),
      ...(this.flags.insecure ? { insecure: true } : {}),
      ...(this.flags.caFile ? { caFile: this.flags.caFile } : {}),
      credentials,
      userAgent: `${USER_AGENT} (cli)`,
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
