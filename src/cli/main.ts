import { CommanderError } from 'commander';
import { ExitCode, debugDetails, errorMessage, exitCodeFor } from './errors';
import { processIo, type CliIo } from './io';
import { createProgram } from './program';
import { tt } from './terminal-text';

/**
 * main runs one `oras` command line (`argv` without `node` and the script) and returns
 * the exit status. It never exits the process, so tests call it in-process with their
 * own streams, environment and working folder.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  // Commander shows the root help for `oras nosuch --help` and exits 0, which a script
  // would take for a command that exists: an unknown command is an error, help or not.
  // (Without --help commander says so itself, with a suggestion.)
  const first = argv[0];
  const asksHelp = argv.includes('--help') || argv.includes('-h');
  if (asksHelp && first !== undefined && !first.startsWith('-') && first !== 'help' && !program.commands.some((c) => c.name() === first || c.aliases().includes(first))) {
    io.stderr.write(tt`Error: unknown command ${JSON.stringify(first)} (run 'oras --help' for the commands)\n`);
    return ExitCode.Usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.Success;
  } catch (err) {
    const status = exitCodeFor(err);
    // Commander has printed its own message (or the help) already.
    if (err instanceof CommanderError) return status;
    // The last guard: an engine message may quote a registry's words anywhere in it,
    // so the whole message is escaped as one line.
    io.stderr.write(tt`Error: ${errorMessage(err)}\n`);
    if (argv.includes('--debug') || argv.includes('-d')) for (const line of debugDetails(err)) io.stderr.write(tt`${line}\n`);
    return status;
  }
}

/**
 * run is what `bin/oras.js` calls: the process's own streams, Ctrl-C wired to an
 * AbortController (a second Ctrl-C exits at once), and the exit status set.
 */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\nCancelling… (press Ctrl-C again to quit at once)\n');
      controller.abort();
    } else {
      process.exit(ExitCode.Interrupted);
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  // `oras … | head`: the reader went away; stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.Success);
    throw err;
  });
  try {
    process.exitCode = await main(argv, processIo(controller.signal));
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
