import type { CliIo } from './io';
import { createProgress, progressMode, type ProgressReporter, type TransferWords } from './progress';

/**
 * startProgress picks where transfer progress goes for a command: bars on a terminal
 * (stderr), plain lines otherwise (stdout), nothing for `--format json`.
 */
export function startProgress(io: CliIo, flags: { format: string; tty?: boolean }, words: TransferWords): ProgressReporter {
  const mode = progressMode({ format: flags.format, tty: flags.tty, stderr: io.stderr, env: io.env });
  return createProgress(mode, mode === 'bars' ? io.stderr : io.stdout, words);
}

/** withProgress runs a transfer and always stops its reporter, so a failure leaves a clean terminal. */
export async function withProgress<T>(reporter: ProgressReporter, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    reporter.finish();
  }
}
