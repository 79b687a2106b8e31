import type { Command } from 'commander';
import { version } from '../../../package.json';
import { writeJson } from '../format';
import type { CliIo } from '../io';
import { addFormatOption, type OutputFormat } from '../options';
import { tt } from '../terminal-text';

export const VERSION: string = version;

export function registerVersion(program: Command, io: CliIo): void {
  const cmd = program.command('version').description('Show the version of oras');
  addFormatOption(cmd, ['text', 'json'] as const, 'text');
  cmd.action((flags: { format: OutputFormat }) => {
    const info = { version: VERSION, implementation: 'oras-desktop (TypeScript)', nodeVersion: process.versions.node, platform: `${process.platform}/${process.arch}` };
    if (flags.format === 'json') {
      writeJson(io.stdout, info);
      return;
    }
    io.stdout.write(tt`Version:        ${info.version}\nImplementation: ${info.implementation}\nNode.js:        ${info.nodeVersion}\nPlatform:       ${info.platform}\n`);
  });
}
