import type { Command } from 'commander';
import { assertMediaType } from '../../main/engine/media-type';
import { discover } from '../../main/engine/oras/discover';
import { addTargetOptions, withTargets, type TargetFlags } from '../command-kit';
import { UsageError, asUsage } from '../errors';
import { isModelFormat, writeModel } from '../format';
import type { CliIo } from '../io';
import { addDistributionSpecOption, addFormatOption, type FormatFlags } from '../options';
import { tt } from '../terminal-text';
import { discoverModel, tableLines, treeLines } from './discover-views';
import { addPlatformOption, checkPlatform, resolvePlatform, type PlatformFlags } from '../platform-option';

type DiscoverFlags = TargetFlags & FormatFlags & PlatformFlags & { format: 'tree' | 'table' | 'json' | 'go-template'; artifactType?: string; depth?: string; verbose?: boolean };

export function registerDiscover(program: Command, io: CliIo): void {
  const cmd = program
    .command('discover')
    .description('List the artifacts that refer to an artifact (its referrers), as a tree')
    .argument('<name>', '<registry>/<repository>{:<tag>|@<digest>}')
    .option('--artifact-type <type>', 'list only referrers of this artifact type')
    .option('--depth <n>', 'how many levels of referrers to list (default: all)');
  addTargetOptions(addDistributionSpecOption(addPlatformOption(addFormatOption(cmd, ['tree', 'table', 'json', 'go-template'] as const, 'tree'))));
  cmd.action(async (name: string, flags: DiscoverFlags) => {
    const platform = checkPlatform(flags);
    if (flags.format === 'table') io.stderr.write('Format "table" is deprecated and will be removed in a future release.\n');
    if (flags.artifactType !== undefined) asUsage(() => assertMediaType(flags.artifactType!, '--artifact-type'));
    let depth: number | undefined;
    if (flags.depth !== undefined) {
      if (!/^\d+$/.test(flags.depth) || Number(flags.depth) < 1) throw new UsageError('--depth must be a whole number of at least 1');
      depth = Number(flags.depth);
    }
    if (flags.format === 'table') depth = 1;
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, needs: 'reference' } }], async ([target]) => {
      // With --platform the subject is that platform's manifest, named by its digest.
      const subject = platform ? (await resolvePlatform(target!.target, target!.reference!, platform, io.signal)).digest : target!.reference!;
      const tree = await discover(target!.target, subject, { artifactType: flags.artifactType, depth, signal: io.signal });
      if (isModelFormat(flags)) {
        writeModel(io, flags, discoverModel(tree, target!.name));
      } else if (flags.format === 'table') {
        for (const line of tableLines(tree, name)) io.stdout.write(tt`${line}\n`);
      } else {
        for (const line of treeLines(tree, `${target!.name}@${tree.descriptor.digest}`)) io.stdout.write(tt`${line}\n`);
      }
    });
  });
}
