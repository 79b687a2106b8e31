import { LOCAL_REGISTRY } from './browse';
import type { RegistryEntry } from './contract';

/**
 * The `oras` command line that gives the same result as what a view shows or does, so
 * a person can repeat it in a terminal (or a script). Each view shows one with a copy
 * button; `test/oras-command.test.ts` runs these lines through the CLI and checks the
 * CLI answers what the app's handlers answered.
 *
 * The local store (`local`) keeps each repository as an OCI image layout folder,
 * `<entry.path>/<repository>`, which `--oci-layout <folder>[:tag|@digest]` reaches.
 * Flags come before the operands, as ORAS's own docs write them.
 */

interface Where {
  /** A sidebar id: `local` or host[:port]. */
  registry: string;
  repository: string;
}

/** OrasCommand is what a view asks for; each kind is one `oras` subcommand. */
export type OrasCommand =
  | { kind: 'repo-ls'; registry: string }
  | ({ kind: 'repo-tags' } & Where)
  | ({ kind: 'manifest-fetch'; reference: string } & Where)
  /** `output`: the folder to pull into; default the CLI's own (the working folder). */
  | ({ kind: 'pull'; reference: string; output?: string } & Where)
  /** `output`: the file to write; default the digest's hex. */
  | ({ kind: 'blob-fetch'; digest: string; output?: string } & Where)
  | ({ kind: 'discover'; reference: string; depth?: number } & Where)
  | ({ kind: 'tag'; reference: string; tags: string[] } & Where)
  /** `force`: add `--force` (no question asked); default false, so a pasted line asks first. */
  | ({ kind: 'manifest-delete'; reference: string; force?: boolean } & Where);

/** The folder the local store keeps its layouts in when no sidebar entry says. */
const DEFAULT_LOCAL_ROOT = 'oci-layout';

/**
 * orasCommand turns a view's request into its `oras …` command line, every word shell-
 * quoted. `entry` is the registry's sidebar row: it gives the local store's folder and
 * a remote registry's connection flags. Listing the local store's repositories has no
 * `oras` command (`oras repo ls` reads registries only): that one is undefined.
 */
export function orasCommand(command: Exclude<OrasCommand, { kind: 'repo-ls' }>, entry?: RegistryEntry): string;
export function orasCommand(command: OrasCommand, entry?: RegistryEntry): string | undefined;
export function orasCommand(command: OrasCommand, entry?: RegistryEntry): string | undefined {
  const words = orasWords(command, entry);
  return words && words.map(shellQuote).join(' ');
}

/** orasWords is `orasCommand` before quoting: the argv the CLI receives (with `oras` first). */
export function orasWords(command: OrasCommand, entry?: RegistryEntry): string[] | undefined {
  const local = command.registry === LOCAL_REGISTRY;
  if (command.kind === 'repo-ls') {
    if (local) return undefined;
    return ['oras', 'repo', 'ls', ...connectionFlags(command.registry, entry), command.registry];
  }
  const flags = local ? ['--oci-layout'] : connectionFlags(command.registry, entry);
  const name = local ? `${layoutRoot(entry)}/${command.repository}` : `${command.registry}/${command.repository}`;
  switch (command.kind) {
    case 'repo-tags':
      return ['oras', 'repo', 'tags', ...flags, name];
    case 'manifest-fetch':
      return ['oras', 'manifest', 'fetch', ...flags, at(name, command.reference)];
    case 'pull':
      return ['oras', 'pull', ...flags, ...(command.output !== undefined ? ['-o', command.output] : []), at(name, command.reference)];
    case 'blob-fetch':
      return ['oras', 'blob', 'fetch', ...flags, '-o', command.output ?? hexOf(command.digest), at(name, command.digest)];
    case 'discover':
      return ['oras', 'discover', ...flags, ...(command.depth !== undefined ? ['--depth', String(command.depth)] : []), at(name, command.reference)];
    case 'tag':
      return ['oras', 'tag', ...flags, at(name, command.reference), ...command.tags];
    case 'manifest-delete':
      return ['oras', 'manifest', 'delete', ...flags, ...(command.force ? ['--force'] : []), at(name, command.reference)];
  }
}

/** at joins a name and a tag (`name:tag`) or digest (`name@sha256:…`). */
function at(name: string, reference: string): string {
  return reference.includes(':') ? `${name}@${reference}` : `${name}:${reference}`;
}

function hexOf(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

function layoutRoot(entry: RegistryEntry | undefined): string {
  const root = entry?.kind === 'local' && entry.path ? entry.path : DEFAULT_LOCAL_ROOT;
  return root.replace(/[\\/]+$/, '');
}

/**
 * connectionFlags are the flags that reach a registry the way the app does. Loopback
 * hosts speak plain HTTP in the CLI already, so `--plain-http` is only written for
 * other hosts; `--insecure` and `--ca-file` are TLS settings and always written.
 */
export function connectionFlags(registry: string, entry: RegistryEntry | undefined): string[] {
  const options = entry && entry.id === registry ? entry.options : {};
  const flags: string[] = [];
  if (options.plainHttp && !isLoopbackHost(registry)) flags.push('--plain-http');
  if (options.insecure) flags.push('--insecure');
  if (options.caFile) flags.push('--ca-file', options.caFile);
  return flags;
}

/** isLoopbackHost says whether host[:port] is this computer (as the CLI decides plain HTTP). */
export function isLoopbackHost(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '::1';
}

/** SAFE_WORD: characters no POSIX shell treats specially, so the word needs no quotes. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * shellQuote makes one word safe for a POSIX shell: as is when it holds only plain
 * characters, else in single quotes, where nothing is special but the quote itself,
 * written `'\''` (close, escaped quote, reopen).
 */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
