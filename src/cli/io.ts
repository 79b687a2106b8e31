import type { Readable, Writable } from 'node:stream';

/** An output stream, with what a terminal adds. */
export type OutStream = Writable & { isTTY?: boolean; columns?: number };

/** An input stream, with what a terminal adds. */
export type InStream = Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/**
 * CliIo is everything the CLI touches outside itself, so tests run the real command
 * line in-process with their own streams, environment and working folder.
 */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C: every long operation takes it. */
  signal: AbortSignal;
}

export function processIo(signal: AbortSignal): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), signal };
}
