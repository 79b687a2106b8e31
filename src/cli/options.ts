import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ImageSpecVersion } from '../main/engine/oras/pack';
import { UsageError } from './errors';
import { GoTemplate, TemplateError } from './go-template';
import { SMALL_BLOB_CONCURRENCY } from '../main/engine/oras/copy';

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
  /** `--cert-file`, `--key-file`: a client certificate for registries that require one (mutual TLS). */
  certFile?: string;
  keyFile?: string;
  /** `-H/--header name:value`, repeatable. */
  header?: string[];
  /** `--resolve host:port:address[:address_port]`, repeatable. */
  resolve?: string[];
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

/** addConnectionOptions: transport flags, with ORAS's names. */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--plain-http', 'speak plain HTTP instead of HTTPS (the default for localhost and 127.0.0.1)')
    .option('--insecure', 'skip TLS certificate verification (dangerous)')
    .option('--ca-file <file>', 'PEM file of CA certificates to trust for the registry')
    .option('--cert-file <file>', 'PEM file of the client certificate to show the registry (mutual TLS; with --key-file)')
    .option('--key-file <file>', 'PEM file of the client certificate\'s private key (with --cert-file)')
    .option('-H, --header <name:value>', 'send this header with every request to the registry (repeatable; never to another host)', collect)
    .option('--resolve <host:port:address[:address_port]>', 'connect to address for host:port instead of asking DNS, keeping the name for the Host header and TLS (repeatable)', collect);
}

/** DISTRIBUTION_SPECS are the values ORAS's `--distribution-spec` takes (option/spec.go). */
export const DISTRIBUTION_SPECS = ['v1.1-referrers-api', 'v1.1-referrers-tag'] as const;

/**
 * addDistributionSpecOption adds ORAS's `[<prefix>-]distribution-spec`, where ORAS has
 * it (attach, discover, manifest push and delete, cp per side): checked, then taken
 * for scripts written for ORAS. It changes nothing here: referrers are always asked of
 * the referrers API first, then found or written by the tag schema where the registry
 * has no API, which is ORAS's own default.
 */
export function addDistributionSpecOption(cmd: Command, prefix?: Side): Command {
  const name = prefix ? `--${prefix}-distribution-spec` : '--distribution-spec';
  const target = prefix ? `the ${prefix === 'from' ? 'source' : 'destination'} registry` : 'the registry';
  return cmd.addOption(
    new Option(`${name} <spec>`, `taken as ORAS takes it for ${target} (${DISTRIBUTION_SPECS.join(', ')}); referrers go through the API, else the tag schema, either way`).argParser((value) => {
      if ((DISTRIBUTION_SPECS as readonly string[]).includes(value)) return value;
      throw new InvalidArgumentError(`use one of: ${DISTRIBUTION_SPECS.join(', ')}.`);
    }),
  );
}

/** Side is one end of `oras cp`: the source or the destination. */
export type Side = 'from' | 'to';

/** SideFlags: cp's `--from-*`/`--to-*` flags (ORAS's BinaryTarget), each one side's RemoteFlags field. */
export type SideFlags = Partial<Record<`${Side}${Capitalize<SideField>}`, string | string[] | boolean>>;

/** SIDE_FIELDS: the RemoteFlags a side may set on its own. */
export const SIDE_FIELDS = ['username', 'password', 'identityToken', 'registryConfig', 'insecure', 'plainHttp', 'caFile', 'certFile', 'keyFile', 'header', 'resolve'] as const;
export type SideField = (typeof SIDE_FIELDS)[number];

/**
 * addSideOptions adds one side's flags to `oras cp`, as ORAS names them
 * (`--from-username`, `--to-plain-http`, …). The unprefixed flags stay and apply to
 * both sides; a side's own flag wins over them (`--header` and `--resolve` add up,
 * a side's rule after the shared ones, as ORAS's `--resolve` does).
 */
export function addSideOptions(cmd: Command, side: Side): Command {
  const which = side === 'from' ? 'source' : 'destination';
  return cmd
    .option(`--${side}-username <username>`, `${which} registry user name`)
    .option(`--${side}-password <password>`, `${which} registry password or access token`)
    .option(`--${side}-identity-token <token>`, `${which} registry identity (refresh) token`)
    .option(`--${side}-registry-config <file>`, `Docker-style credentials file to read the ${which} login from`)
    .option(`--${side}-plain-http`, `speak plain HTTP to the ${which} registry`)
    .option(`--${side}-insecure`, `skip TLS certificate verification for the ${which} registry (dangerous)`)
    .option(`--${side}-ca-file <file>`, `PEM file of CA certificates to trust for the ${which} registry`)
    .option(`--${side}-cert-file <file>`, `PEM file of the client certificate to show the ${which} registry (with --${side}-key-file)`)
    .option(`--${side}-key-file <file>`, `PEM file of that client certificate's private key`)
    .option(`--${side}-header <name:value>`, `send this header with every request to the ${which} registry (repeatable)`, collect)
    .option(`--${side}-resolve <host:port:address[:address_port]>`, `connect to address for host:port for the ${which} registry (repeatable)`, collect);
}

/**
 * flagsOfSide is the RemoteFlags one side of `oras cp` uses: its own flags over the
 * unprefixed ones. A side that gives any login flag of its own (user name, password,
 * identity token) uses only those; otherwise the unprefixed login applies to it.
 */
export function flagsOfSide(flags: RemoteFlags & SideFlags, side: Side): RemoteFlags & { ownLogin: boolean } {
  const own = (field: SideField) => (flags as Record<string, unknown>)[`${side}${field[0]!.toUpperCase()}${field.slice(1)}`];
  const ownLogin = own('username') !== undefined || own('password') !== undefined || own('identityToken') !== undefined;
  const pick = <T>(field: SideField, shared: T | undefined): T | undefined => (own(field) as T | undefined) ?? shared;
  return {
    ...(ownLogin
      ? { username: pick('username', undefined), password: pick('password', undefined), identityToken: pick('identityToken', undefined) }
      : { username: flags.username, password: flags.password, passwordStdin: flags.passwordStdin, identityToken: flags.identityToken, identityTokenStdin: flags.identityTokenStdin }),
    registryConfig: pick('registryConfig', flags.registryConfig),
    plainHttp: pick('plainHttp', flags.plainHttp),
    insecure: pick('insecure', flags.insecure),
    caFile: pick('caFile', flags.caFile),
    // A certificate and its key go together: a side naming either uses its own pair.
    ...(own('certFile') !== undefined || own('keyFile') !== undefined
      ? { certFile: own('certFile') as string | undefined, keyFile: own('keyFile') as string | undefined }
      : { certFile: flags.certFile, keyFile: flags.keyFile }),
    header: [...(flags.header ?? []), ...((own('header') as string[] | undefined) ?? [])],
    resolve: [...(flags.resolve ?? []), ...((own('resolve') as string[] | undefined) ?? [])],
    ownLogin,
  };
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

/**
 * Without `--concurrency`, blobs of 64 KiB or less move SMALL_BLOB_CONCURRENCY at once
 * besides the usual transfers (the engine's `smallBlobConcurrency`). Given
 * `--concurrency N`, every transfer keeps to N.
 */
export { SMALL_BLOB_CONCURRENCY };

/** ConcurrencyFlags: `--concurrency`, and what small blobs get (set before the action runs). */
export interface ConcurrencyFlags {
  concurrency: number;
  smallBlobConcurrency?: number;
}

export function addConcurrencyOption(cmd: Command): Command {
  cmd.addOption(new Option('--concurrency <n>', `transfers at once (when not given, blobs of 64 KiB or less also move ${SMALL_BLOB_CONCURRENCY} at once)`).argParser(parseConcurrency).default(DEFAULT_CLI_CONCURRENCY));
  cmd.hook('preAction', (command) => {
    if (command.getOptionValueSource('concurrency') === 'default') command.setOptionValue('smallBlobConcurrency', SMALL_BLOB_CONCURRENCY);
  });
  return cmd;
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
