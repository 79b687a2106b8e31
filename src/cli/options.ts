import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ImageSpecVersion } from '../main/engine/oras/pack';

/**
 * The flags commands share, with ORAS's names. Each `add…Options` adds one group to a
 * command; the matching interface is what commander hands the action.
 */

/** RemoteFlags: how to reach and log in to a registry. */
export interface RemoteFlags {
  username?: string;
  password?: string;
  passwordStdin?: boolean;
  identityToken?: string;
  registryConfig?: string;
  plainHttp?: boolean;
  insecure?: boolean;
  caFile?: string;
}

/** CommonFlags every command has. */
export interface CommonFlags {
  debug?: boolean;
}

export type OutputFormat = 'text' | 'json';

/** DEFAULT_CLI_CONCURRENCY is ORAS's default number of parallel transfers. */
export const DEFAULT_CLI_CONCURRENCY = 5;

/** parseConcurrency reads `--concurrency N`: a whole number from 1 to 64. */
export function parseConcurrency(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number from 1 to 64.');
  const n = Number(value);
  if (n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64.');
  return n;
}

/** parseImageSpec reads `--image-spec v1.0|v1.1`. */
export function parseImageSpec(value: string): ImageSpecVersion {
  if (value === 'v1.0' || value === 'v1.1') return value;
  throw new InvalidArgumentError('use v1.0 (manifests as ORAS 0.x wrote them, config media type as artifact type) or v1.1 (artifactType field, empty config).');
}

/** parseFormat reads `--format`, accepting the values `allowed` lists. */
export function formatParser<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`use one of: ${allowed.join(', ')}.`);
  };
}

/** collect gathers a repeatable option's values. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function addCommonOptions(cmd: Command): Command {
  return cmd.option('--debug', 'show details of errors (codes, registry answers, causes)');
}

/** addCredentialOptions: the login flags (also used by `oras login`). */
export function addCredentialOptions(cmd: Command): Command {
  return cmd
    .option('-u, --username <username>', 'registry user name')
    .option('-p, --password <password>', 'registry password or access token (prefer --password-stdin)')
    .option('--password-stdin', 'read the password (or identity token) from standard input')
    .option('--identity-token <token>', 'registry identity (refresh) token')
    .option('-c, --registry-config <file>', 'Docker-style credentials file to read logins from (login/logout: to write)');
}

/** addConnectionOptions: transport flags. */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--plain-http', 'speak plain HTTP instead of HTTPS (the default for localhost and 127.0.0.1)')
    .option('--insecure', 'skip TLS certificate verification (dangerous)')
    .option('--ca-file <file>', 'PEM file of CA certificates to trust for the registry');
}

export function addFormatOption<T extends string>(cmd: Command, allowed: readonly T[], fallback: T): Command {
  return cmd.addOption(
    new Option('--format <format>', `output format: ${allowed.join(', ')}`).argParser(formatParser(allowed)).default(fallback),
  );
}

export function addConcurrencyOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('--concurrency <n>', 'transfers at once').argParser(parseConcurrency).default(DEFAULT_CLI_CONCURRENCY),
  );
}

export function addOciLayoutOption(cmd: Command, what = 'the reference'): Command {
  return cmd.option('--oci-layout', `${what} is an OCI image layout folder, <folder>[:tag|@digest], not a registry`);
}

export function addImageSpecOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('--image-spec <version>', 'manifest to write: v1.1 (artifactType, empty config) or v1.0 (as ORAS 0.x)').argParser(parseImageSpec).default('v1.1'),
  );
}

export function addNoTtyOption(cmd: Command): Command {
  return cmd.option('--no-tty', 'print plain lines instead of progress bars, even on a terminal');
}
