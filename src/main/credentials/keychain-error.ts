import { advice } from '../engine/advice';
import { OrasError } from '../engine/errors';
import type { ErrorCode } from '../engine/errors';
import type { KeychainProblem } from './types';

/**
 * KeychainError says why the OS keychain cannot be used and what to do: each problem
 * has its own message, and each message ends with the way out that always works, a
 * credentials file (`-c FILE`) (and, where keytar is missing, a Docker credential
 * helper). No secret is ever part of one.
 */
export class KeychainError extends OrasError {
  readonly problem: KeychainProblem;

  constructor(problem: KeychainProblem, message: string, cause?: unknown) {
    super(CODES[problem], message, { cause });
    this.problem = problem;
  }
}

const CODES: Record<KeychainProblem, ErrorCode> = {
  'no-keytar': 'UNSUPPORTED',
  'no-home': 'UNSUPPORTED',
  'no-dbus': 'UNSUPPORTED',
  'no-secret-service': 'UNSUPPORTED',
  'no-keyring': 'UNSUPPORTED',
  locked: 'DENIED',
  timeout: 'UNSUPPORTED',
  failed: 'INTERNAL',
};

/** ABSENT problems mean "this machine, install or session has no keychain", not "the keychain failed". */
export const ABSENT_PROBLEMS: ReadonlySet<KeychainProblem> = new Set(['no-keytar', 'no-home', 'no-dbus', 'no-secret-service']);

/**
 * absentKeychainReason says in a few words why a machine has no keychain (an ABSENT
 * problem), and how to get one where that is a step away: for a warning that ends a
 * sentence, as `oras login` prints when it stores in Docker's config instead.
 */
export function absentKeychainReason(problem: KeychainProblem): string {
  switch (problem) {
    case 'no-keytar':
      return 'keytar is not built (for the OS keychain: npm install-scripts approve keytar, then npm rebuild keytar)';
    case 'no-dbus':
      return 'there is no D-Bus session bus';
    case 'no-secret-service':
      return 'nothing provides the Secret Service on the D-Bus session bus';
    case 'no-home':
      return 'HOME is not set';
    default:
      return 'the OS keychain cannot be used';
  }
}

const OR_FILE = advice('credentialsFile');

/** keychainError builds the error for a problem; `detail` is a safe fact to add (an address, a library message). */
export function keychainError(problem: KeychainProblem, detail?: string, cause?: unknown): KeychainError {
  const extra = detail ? ` (${detail})` : '';
  switch (problem) {
    case 'no-keytar':
      return new KeychainError(
        problem,
        `the OS keychain is not available: keytar could not be loaded${extra}; ${advice('fileOrHelper')}, or let keytar build (npm install-scripts approve keytar, then npm rebuild keytar; on Linux it needs libsecret-1-dev and a C compiler)`,
        cause,
      );
    case 'no-home':
      return new KeychainError(problem, `the OS keychain cannot be used: HOME is not set. Set HOME to your home folder, ${OR_FILE}`, cause);
    case 'no-dbus':
      return new KeychainError(
        problem,
        `the OS keychain cannot be reached: there is no D-Bus session bus${extra}. Run inside a desktop session (or start one with dbus-run-session and gnome-keyring-daemon --unlock), ${OR_FILE}`,
        cause,
      );
    case 'no-secret-service':
      return new KeychainError(
        problem,
        `the OS keychain cannot be reached: nothing provides the Secret Service (org.freedesktop.secrets) on the D-Bus session bus${extra}. Install and start a keyring such as gnome-keyring, KWallet or KeePassXC, ${OR_FILE}`,
        cause,
      );
    case 'no-keyring':
      return new KeychainError(
        problem,
        `the OS keychain has no default keyring to save logins in${extra}. Create one (e.g. in Passwords and Keys, seahorse), ${OR_FILE}`,
        cause,
      );
    case 'locked':
      return new KeychainError(
        problem,
        `the OS keychain is locked${extra}. Unlock your login keyring (e.g. in Passwords and Keys, or with gnome-keyring-daemon --unlock) and try again, ${OR_FILE}`,
        cause,
      );
    case 'timeout':
      return new KeychainError(
        problem,
        `the OS keychain did not answer${extra}; it may be waiting for an unlock prompt. Unlock the keyring and try again, ${OR_FILE}`,
        cause,
      );
    case 'failed':
      return new KeychainError(problem, `the OS keychain failed${extra}. Try again, ${OR_FILE}`, cause);
  }
}

/** isKeychainError tells a KeychainError (the keychain cannot be used, `err.problem` says why) from other throwables. */
export function isKeychainError(err: unknown): err is KeychainError {
  return err instanceof KeychainError;
}
