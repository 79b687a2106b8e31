import { Command } from 'commander';
import { registerAttach } from './commands/attach';
import { registerBackup } from './commands/backup';
import { registerBlob } from './commands/blob';
import { registerCopy } from './commands/cp';
import { registerDiscover } from './commands/discover';
import { registerLogin, registerLogout } from './commands/login';
import { registerManifest } from './commands/manifest';
import { registerPull } from './commands/pull';
import { registerPush } from './commands/push';
import { registerRepo } from './commands/repo';
import { registerResolve } from './commands/resolve';
import { registerRestore } from './commands/restore';
import { registerTag } from './commands/tag';
import { registerVersion, VERSION } from './commands/version';
import { DEADLINE_ENV } from './deadline';
import type { CliIo } from './io';
import { DEFAULT_DEADLINE_MS } from '../main/engine/transport/retry';
import { showLines } from './terminal-text';

/**
 * createProgram builds the `oras` command line for one run. Output goes to `io`'s
 * streams; commander's errors throw (exitOverride) so `main` maps them to exit status 1 (ORAS's).
 * The settings are made before any command is added: subcommands inherit them.
 */
export function createProgram(io: CliIo): Command {
  const program = new Command('oras');
  program
    .description('Push and pull arbitrary files to and from OCI registries (ORAS Desktop CLI)')
    .version(VERSION, '--version', 'print the version')
    .exitOverride()
    .configureOutput({
      // Help and commander's usage errors are our lines, but errors quote the command line.
      writeOut: (text) => io.stdout.write(showLines(text)),
      writeErr: (text) => io.stderr.write(showLines(text)),
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => io.stderr.columns ?? 100,
      outputError: (text, write) => write(text),
    })
    .showHelpAfterError("(run 'oras <command> --help' for usage)")
    .showSuggestionAfterError(true)
    .addHelpText('after', `\nEnvironment:\n  ${DEADLINE_ENV}  seconds a registry may leave a request unanswered before a command gives up (default ${DEFAULT_DEADLINE_MS / 1000})`);

  registerPush(program, io);
  registerPull(program, io);
  registerLogin(program, io);
  registerLogout(program, io);
  registerTag(program, io);
  registerResolve(program, io);
  registerCopy(program, io);
  registerAttach(program, io);
  registerDiscover(program, io);
  registerRepo(program, io);
  registerManifest(program, io);
  registerBlob(program, io);
  registerBackup(program, io);
  registerRestore(program, io);
  registerVersion(program, io);
  helpWhenGroupAlone(program);
  return program;
}

/**
 * helpWhenGroupAlone makes `oras manifest` (a group named without one of its commands)
 * print its help on stdout and exit 0, as ORAS's cobra does for a command that only
 * groups others, instead of commander's help on stderr with exit 1. `oras` alone does
 * the same. An unknown command under a group is still an error (exit 1).
 */
function helpWhenGroupAlone(group: Command): void {
  for (const command of group.commands) if (command.commands.length > 0) helpWhenGroupAlone(command);
  if (group.commands.length === 0) return;
  group.allowExcessArguments(true).action(function (this: Command) {
    const [word] = this.args;
    if (word !== undefined) {
      const known = this.commands.flatMap((c) => [c.name(), ...c.aliases()]);
      const like = known.find((name) => name.startsWith(word.slice(0, 2)));
      this.error(`error: unknown command '${word}'${like ? `\n(Did you mean ${like}?)` : ''}`, { code: 'commander.unknownCommand' });
    }
    this.help();
  });
}
