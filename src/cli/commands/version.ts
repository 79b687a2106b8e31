import type { Command } from 'commander';
import { version } from '../../../package.json';
import { GIT_COMMIT, GIT_TREE_STATE } from '../build-info';
import { writeJson } from '../format';
import { goQuote } from '../go-template/builtins';
import type { CliIo } from '../io';
import { addFormatOption, type OutputFormat } from '../options';
import { tt } from '../terminal-text';

export const VERSION: string = version;

export function registerVersion(program: Command, io: CliIo): void {
  // ORAS takes stray arguments with a warning (root/version.go), not as a usage error.
  const cmd = program.command('version').description('Show the version of oras').allowExcessArguments(true);
  addFormatOption(cmd, ['text', 'json'] as const, 'text');
  cmd.action((flags: { format: OutputFormat }, command: Command) => {
    if (command.args.length > 0) io.stderr.write(tt`warning: \`oras version\` requires no argument, ${goQuote(command.args.join(','))} will be ignored\n`);
    const info = {
      version: VERSION,
      implementation: 'oras-desktop (TypeScript)',
      nodeVersion: process.versions.node,
      platform: `${process.platform}/${process.arch}`,
      ...(GIT_COMMIT ? { gitCommit: GIT_COMMIT } : {}),
      ...(GIT_TREE_STATE ? { gitTreeState: GIT_TREE_STATE } : {}),
    };
    if (flags.format === 'json') {
      writeJson(io.stdout, info);
      return;
    }
    // ORAS's layout (root/version.go): "Name: " then values in one column; Node's version
    // where ORAS has Go's; the Git lines only when the build knew them, as ORAS's.
    const items: Array<[string, string]> = [
      ['Version', info.version],
      ['Node version', `v${info.nodeVersion}`],
      ['OS/Arch', info.platform],
      ...(GIT_COMMIT ? [['Git commit', GIT_COMMIT] as [string, string]] : []),
      ...(GIT_TREE_STATE ? [['Git tree state', GIT_TREE_STATE] as [string, string]] : []),
      ['Implementation', info.implementation],
    ];
    const width = Math.max(...items.map(([name]) => name.length));
    for (const [name, value] of items) io.stdout.write(tt`${name}: ${' '.repeat(width - name.length)}${value}\n`);
  });
}
