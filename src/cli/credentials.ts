import { credentialProvider, type CredentialNote } from '../main/credentials';
import type { Credential, CredentialProvider } from '../main/engine/transport/credential';
import { UsageError } from './errors';
import type { CliIo } from './io';
import type { RemoteFlags } from './options';
import { canPrompt, promptLine, promptSecret, readAllStdin } from './prompt';
import { tt } from './terminal-text';

/** The most a secret read from standard input may be. */
const MAX_STDIN_SECRET = 64 * 1024;

/**
 * warnPasswordFlag: a password on the command line lands in shell history and process
 * lists, as ORAS and Docker warn.
 */
export function warnPasswordFlag(io: CliIo, flags: RemoteFlags): void {
  if (flags.password !== undefined) {
    io.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
  }
}

/** checkCredentialFlags refuses combinations that cannot mean anything. */
export function checkCredentialFlags(flags: RemoteFlags): void {
  if (flags.passwordStdin && flags.password !== undefined) {
    throw new UsageError('--password and --password-stdin cannot be used together');
  }
  if (flags.identityToken !== undefined && flags.password !== undefined) {
    throw new UsageError('--identity-token and --password cannot be used together');
  }
  if (flags.identityTokenStdin && (flags.passwordStdin || flags.password !== undefined || flags.identityToken !== undefined)) {
    throw new UsageError('--identity-token-stdin cannot be used with --password, --password-stdin or --identity-token');
  }
  if (flags.password !== undefined && flags.password === '') throw new UsageError('--password is empty');
  if (flags.password !== undefined && flags.username === undefined) {
    throw new UsageError('--password needs a user name: add -u <username>');
  }
}

/** readStdinSecret reads `--password-stdin`: everything up to EOF, less the final line break. */
export async function readStdinSecret(io: CliIo): Promise<string> {
  const text = (await readAllStdin(io, MAX_STDIN_SECRET, 'the password')).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new UsageError('--password-stdin read an empty password from standard input');
  return text;
}

/**
 * flagCredential builds the credential the flags give, if any: `-u/-p`, `-u` with
 * `--password-stdin` (or a token alone on stdin), `--identity-token`. It does not prompt.
 */
export async function flagCredential(io: CliIo, flags: RemoteFlags): Promise<Credential | undefined> {
  checkCredentialFlags(flags);
  if (flags.identityToken !== undefined) {
    if (flags.identityToken === '') throw new UsageError('--identity-token is empty');
    return { username: flags.username, identityToken: flags.identityToken };
  }
  if (flags.identityTokenStdin) {
    // ORAS 1.3's --identity-token-stdin: the token up to EOF, less the final line break.
    const token = (await readAllStdin(io, MAX_STDIN_SECRET, 'the identity token')).toString('utf8').replace(/\r?\n$/, '');
    if (token === '') throw new UsageError('--identity-token-stdin read an empty token from standard input');
    return { username: flags.username, identityToken: token };
  }
  if (flags.passwordStdin) {
    const secret = await readStdinSecret(io);
    return flags.username !== undefined ? { username: flags.username, password: secret } : { identityToken: secret };
  }
  if (flags.password !== undefined) return { username: flags.username, password: flags.password };
  if (flags.username !== undefined) throw new UsageError('-u needs a password: add -p <password> or --password-stdin');
  return undefined;
}

/**
 * loginCredential is flagCredential for `oras login`: what the flags leave out is asked
 * for on a terminal; without one, missing parts are a usage error.
 */
export async function loginCredential(io: CliIo, flags: RemoteFlags): Promise<Credential> {
  checkCredentialFlags(flags);
  if (flags.identityToken !== undefined || flags.identityTokenStdin || flags.passwordStdin || flags.password !== undefined) {
    return (await flagCredential(io, flags))!;
  }
  if (!canPrompt(io)) {
    throw new UsageError('give the login with -u <username> and --password-stdin (or -p <password>, or --identity-token); no terminal to ask on');
  }
  let username = flags.username;
  if (username === undefined) {
    username = (await promptLine(io, 'Username: ')).trim();
    if (username === '') throw new UsageError('the user name is empty');
  }
  const password = await promptSecret(io, 'Password: ');
  if (password === '') throw new UsageError('the password is empty');
  return { username, password };
}

/**
 * cliCredentials is the CLI's CredentialProvider, in the reading order of
 * src/main/credentials: the flag credential (for the registries the command names),
 * the `-c/--registry-config` file, the OS keychain, then `$DOCKER_CONFIG/config.json` or
 * `~/.docker/config.json` with its credential helpers. Stores are read only when a
 * registry asks for a login, so a command that needs none never touches them.
 */
export function cliCredentials(options: {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  flag?: Credential;
  /** registries the flag credential is for (it is never sent anywhere else). */
  flagRegistries?: readonly string[];
  registryConfig?: string;
  onNote?: (note: CredentialNote) => void;
}): CredentialProvider {
  return credentialProvider(options);
}

/**
 * noteWriter prints what reading credentials skipped: warnings always (a locked
 * keyring, a failing helper: the user may wonder why no login was used), the rest only
 * with `--debug` (no keychain here is normal on a server or in CI). Each once.
 */
export function noteWriter(io: CliIo, debug = false): (note: CredentialNote) => void {
  const seen = new Set<string>();
  return (note) => {
    if (note.level === 'debug' && !debug) return;
    const line = `${note.level === 'warning' ? 'Warning' : 'Debug'}: ${note.message}`;
    if (seen.has(line)) return;
    seen.add(line);
    io.stderr.write(tt`${line}\n`);
  };
}
