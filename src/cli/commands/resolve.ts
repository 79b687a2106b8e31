import type { Command } from 'commander';
import { addTargetOptions, withTargets, type TargetFlags } from '../command-kit';
import { descriptorJson, isModelFormat, writeModel } from '../format';
import type { CliIo } from '../io';
import { addFormatOption, type FormatFlags, type OutputFormat } from '../options';
import { tt } from '../terminal-text';
import { addPlatformOption, checkPlatform, resolvePlatform, type PlatformFlags } from '../platform-option';

type ResolveFlags = TargetFlags & FormatFlags & PlatformFlags & { format: OutputFormat; fullReference?: boolean };

export function registerResolve(program: Command, io: CliIo): void {
  const cmd = program
    .command('resolve')
    .alias('digest')
    .description('Print the digest of the manifest a tag points at')
    .argument('<name>', '<registry>/<repository>{:<tag>|@<digest>}')
    .option('-l, --full-reference', 'print the full reference, <name>@<digest>');
  addTargetOptions(addPlatformOption(addFormatOption(cmd, ['text', 'json', 'go-template'] as const, 'text')));
  cmd.action(async (name: string, flags: ResolveFlags) => {
    const platform = checkPlatform(flags);
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, needs: 'reference' } }], async ([target]) => {
      const desc = await resolvePlatform(target!.target, target!.reference!, platform, io.signal);
      if (isModelFormat(flags)) writeModel(io, flags, { reference: `${target!.name}@${desc.digest}`, ...descriptorJson(desc) });
      else io.stdout.write(tt`${flags.fullReference ? `${target!.name}@${desc.digest}` : desc.digest}\n`);
    });
  });
}
