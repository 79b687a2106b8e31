import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../io';
import { main } from '../main';

/** CapturedIo is a CliIo whose output is kept as text, for tests. */
export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

class Capture extends Writable {
  text = '';
  isTTY = false;
  columns = 100;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

/** captureIo makes in-memory streams; `stdin` is what standard input holds. */
export function captureIo(options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: string; signal?: AbortSignal }): CapturedIo {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  return {
    stdout,
    stderr,
    stdin,
    env: options.env ?? {},
    cwd: options.cwd,
    signal: options.signal ?? new AbortController().signal,
    out: () => stdout.text,
    err: () => stderr.text,
  };
}

/** runCli runs one command line in-process and returns its status and output. */
export async function runCli(
  argv: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: string; signal?: AbortSignal },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo(options);
  const code = await main(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/**
 * cliIn gives a test `oras` (run in the folder `folder()` names, HOME there too) and
 * `ok`, which runs a command that must succeed and answers its stdout, failing with
 * the command's stderr otherwise.
 */
export function cliIn(folder: () => string): {
  oras: (...argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;
  ok: (...argv: string[]) => Promise<string>;
} {
  const oras = (...argv: string[]) => runCli(argv, { cwd: folder(), env: { HOME: folder() } });
  const ok = async (...argv: string[]): Promise<string> => {
    const result = await oras(...argv);
    if (result.code !== 0) throw new Error(`oras ${argv.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  };
  return { oras, ok };
}
