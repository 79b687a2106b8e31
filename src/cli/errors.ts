import { CommanderError } from 'commander';
import { OrasError, type ErrorCode } from '../main/engine/errors';
import { cut } from '../main/engine/echo';
import { errorCode, nodeReason } from '../main/engine/node-errors';

/** Exit statuses of the `oras` command. */
export const ExitCode = {
  Success: 0,
  /** The operation failed (registry, network, files, bad content). */
  Failure: 1,
  /**
   * The command line was wrong: unknown command or option, missing or invalid argument.
   * 1, as ORAS exits on every error (cobra), so scripts written for ORAS see the same
   * status; the message says it is the command line.
   */
  Usage: 1,
  /** Cancelled with Ctrl-C (128 + SIGINT), as shells report it. */
  Interrupted: 130,
} as const;

/**
 * UsageError is a mistake on the command line: the user has to change the command, not
 * retry it. It exits with status 1, as ORAS's do.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The engine's code when the mistake was found by the engine (say, INVALID_REFERENCE). */
  readonly code?: ErrorCode;

  constructor(message: string, options: { cause?: unknown; code?: ErrorCode } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}

/**
 * asUsage runs a check of a command-line value: an OrasError it throws (an invalid
 * reference, media type, digest, annotation) is the user's typing, so it becomes a
 * UsageError keeping the engine's message.
 */
export function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof OrasError) throw new UsageError(err.message, { cause: err, code: err.code });
    throw err;
  }
}

/** exitCodeFor maps whatever a command threw to the status the process exits with. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return ExitCode.Usage;
  if (err instanceof CommanderError) {
    // --help and --version "fail" with exit code 0.
    if (err.exitCode === 0) return ExitCode.Success;
    return ExitCode.Usage;
  }
  if (err instanceof OrasError && err.code === 'ABORTED') return ExitCode.Interrupted;
  return ExitCode.Failure;
}

/**
 * errorMessage is the one line printed after `Error: `. Errors that are not the
 * engine's or the CLI's own are bugs or system failures: one that Node or undici threw
 * with a code (ENOENT, ECONNRESET, …) is said in words, any other as its message.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof OrasError || err instanceof UsageError || err instanceof CommanderError) return err.message;
  if (errorCode(err) !== undefined) {
    const { syscall, path } = err as NodeJS.ErrnoException;
    return typeof path === 'string' ? `cannot ${syscall ?? 'use'} ${cut(path)}: ${nodeReason(err)}` : nodeReason(err);
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/** stackFrames are the `    at …` lines of an error's stack. */
function stackFrames(err: Error): string[] {
  return (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
}

/**
 * debugDetails lists what `--debug` adds under an error: its code, the registry's
 * answer (method, redacted URL, status, error codes) and the chain of causes with
 * stacks, one line each (the printer escapes every line as a value). Nothing in it
 * carries a secret: the engine redacts URLs and never puts credentials in messages.
 */
export function debugDetails(err: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof OrasError) {
      lines.push(`${depth === 0 ? '' : 'caused by: '}OrasError ${current.code}${current.side ? ` (${current.side})` : ''}: ${current.message}`);
      if (current.response) {
        const r = current.response;
        const codes = r.errors.map((e) => e.code).join(', ');
        lines.push(`  registry answered ${r.status} to ${r.method} ${r.url}${codes ? ` [${codes}]` : ''}`);
      }
    } else if (current instanceof Error) {
      // The message is shown once (a stack repeats it, newlines and all), then the frames.
      lines.push(`${depth === 0 ? '' : 'caused by: '}${current.name}: ${current.message}`);
      lines.push(...stackFrames(current));
    } else {
      lines.push(`caused by: ${String(current)}`);
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}
