import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ImageSpecVersion } from '../main/engine/oras/pack';
import { UsageError } from './errors';
import { GoTemplate, TemplateError } from './go-template';

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
  identityTokenStdin?: boolean;
  registryConfig?: string;
  plainHttp?: boolean;
  insecure?: boolean;
  caFile?: string;
}

/** CommonFlags every command has. */
export interface CommonFlags {
  debug?: boolean;
}

export type OutputFormat = 'text' | 'json' | 'go-template';

/** GO_TEMPLATE: the format whose value is a template, `--format go-template=…` or with `--template`. */
export const GO_TEMPLATE = 'go-template';

/** FormatFlags: `--format` once checked (see addFormatOption), with the parsed template. */
export interface FormatFlags {
  format: string;
  template?: string;
  goTemplate?: GoTemplate;
}

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

/** parseFormat reads `--format`, accepting the values `allowed` lists (and `go-template=…` where it is one). */
export function formatParser<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    if ((allowed as readonly string[]).includes(GO_TEMPLATE) && value.startsWith(`${GO_TEMPLATE}=`)) return value as T;
    throw new InvalidArgumentError(`use one of: ${allowed.join(', ')}.`);
  };
}

/**
 * resolveFormat checks `--format` and `--template` together as ORAS's `Format.Parse`
 * does (option/format.go): `go-template=TEMPLATE` splits into the two, `--template`
 * needs `--format go-template`, and go-template needs a template. The template is
 * parsed here, before the command does anything, so a mistake costs no transfer.
 */
export function resolveFormat(flags: FormatFlags): FormatFlags {
  let format = flags.format;
  let template = flags.template;
  if (template !== undefined && template !== '') {
    if (format !== GO_TEMPLATE) throw new UsageError(`--template must be used with --format ${GO_TEMPLATE}`);
  } else if (format.startsWith(`${GO_TEMPLATE}=`)) {
    template = format.slice(GO_TEMPLATE.length + 1);
    format = GO_TEMPLATE;
  }
  if (format !== GO_TEMPLATE) return { format };
  if (template === undefined || template === '') {
    throw new UsageError(`"${GO_TEMPLATE}" format specified but no template given: use --format ${GO_TEMPLATE}=TEMPLATE, or --format ${GO_TEMPLATE} --template TEMPLATE`);
  }
  try {
    return { format, template, goTemplate: GoTemplate.parse(template) };
  } catch (err) {
    if (err instanceof TemplateError) throw new UsageError(`--template: ${err.message}`, { cause: err });
    throw err;
  }
}

/** collect gathers a repeatable option's values. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * addCommonOptions adds `-d, --debug`, and the deprecated `-v, --verbose` that ORAS 1.3
 * still accepts on its commands (option/verbose.go): taken and ignored, hidden from help.
 */
export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('-d, --debug', 'show details of errors (codes, registry answers, causes)')
    .addOption(new Option('-v, --verbose', 'deprecated (ORAS 1.3 ignores it too)').hideHelp());
}

/** addCredentialOptions: the login flags (also used by `oras login`). */
export function addCredentialOptions(cmd: Command): Command {
  return cmd
    .option('-u, --username <username>', 'registry user name')
    .option('-p, --password <password>', 'registry password or access token (prefer --password-stdin)')
    .option('--password-stdin', 'read the password (or identity token) from standard input')
    .option('--identity-token <token>', 'registry identity (refresh) token')
    .option('--identity-token-stdin', 'read the identity (refresh) token from standard input')
    .option('-c, --registry-config <file>', 'Docker-style credentials file to read logins from (login/logout: to write)');
}

/** addConnectionOptions: transport flags. */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--plain-http', 'speak plain HTTP instead of HTTPS (the default for localhost and 127.0.0.1)')
    .option('--insecure', 'skip TLS certificate verification (dangerous)')
    .option('--ca-file <file>', 'PEM file of CA certificates to trust for the registry');
}

/**
 * addFormatOption adds `--format` (and, where `go-template` is allowed, `--template`);
 * before the action runs, the two are checked and the template parsed (resolveFormat),
 * leaving `format` as the bare type and `goTemplate` set.
 */
export function addFormatOption<T extends string>(cmd: Command, allowed: readonly T[], fallback: T): Command {
  const withTemplate = (allowed as readonly string[]).includes(GO_TEMPLATE);
  const help = withTemplate
    ? `output format: ${allowed.filter((a) => a !== GO_TEMPLATE).join(', ')}, or ${GO_TEMPLATE}=TEMPLATE (a Go template over the JSON's keys, e.g. '{{.digest}}')`
    : `output format: ${allowed.join(', ')}`;
  cmd.addOption(new Option('--format <format>', help).argParser(formatParser(allowed)).default(fallback));
  if (!withTemplate) return cmd;
  cmd.option('--template <template>', `Go template for --format ${GO_TEMPLATE} (fields, range, if, with, index, len, printf, toJson, …)`);
  cmd.hook('preAction', (command) => {
    const resolved = resolveFormat(command.opts<FormatFlags>());
    command.setOptionValue('format', resolved.format);
    command.setOptionValue('goTemplate', resolved.goTemplate);
  });
  return cmd;
}

export function addConcurrencyOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('--concurrency <n>', 'transfers at once').argParser(parseConcurrency).default(DEFAULT_CLI_CONCURRENCY),
  );
}

export function addOciLayoutOption(cmd: Command, what = 'the reference'): Command {
  return cmd
    .option('--oci-layout', `${what} is an OCI image layout folder, <folder>[:tag|@digest], not a registry`)
    .option('--oci-layout-path <folder>', `${what} is a tag or digest in the OCI image layout at <folder>`);
}

export function addImageSpecOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('--image-spec <version>', 'manifest to write: v1.1 (artifactType, empty config) or v1.0 (as ORAS 0.x)').argParser(parseImageSpec).default('v1.1'),
  );
}

export function addNoTtyOption(cmd: Command): Command {
  return cmd.option('--no-tty', 'print plain lines instead of progress bars, even on a terminal');
}
