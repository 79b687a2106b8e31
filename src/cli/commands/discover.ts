import type { Command } from 'commander';
import { assertMediaType } from '../../main/engine/media-type';
import { discover, type ReferrerNode } from '../../main/engine/oras/discover';
import { addTargetOptions, withTargets, type TargetFlags } from '../command-kit';
import { UsageError, asUsage } from '../errors';
import { descriptorJson, writeJson } from '../format';
import type { CliIo } from '../io';
import { addFormatOption } from '../options';
import { tt } from '../terminal-text';

type DiscoverFlags = TargetFlags & { format: 'tree' | 'table' | 'json'; artifactType?: string; depth?: string };

/** treeLines draws referrers as ORAS does: grouped by artifact type, digests below. */
export function treeLines(root: ReferrerNode, rootLabel: string): string[] {
  const lines = [rootLabel];
  const walk = (node: ReferrerNode, indent: string): void => {
    const groups = new Map<string, ReferrerNode[]>();
    for (const child of node.referrers) {
      const type = child.descriptor.artifactType ?? child.descriptor.mediaType;
      groups.set(type, [...(groups.get(type) ?? []), child]);
    }
    const entries = [...groups.entries()];
    entries.forEach(([type, children], i) => {
      const lastGroup = i === entries.length - 1;
      lines.push(`${indent}${lastGroup ? '└── ' : '├── '}${type}`);
      const groupIndent = indent + (lastGroup ? '    ' : '│   ');
      children.forEach((child, j) => {
        const last = j === children.length - 1;
        lines.push(`${groupIndent}${last ? '└── ' : '├── '}${child.descriptor.digest}`);
        walk(child, groupIndent + (last ? '    ' : '│   '));
      });
    });
  };
  walk(root, '');
  return lines;
}

function nodeJson(node: ReferrerNode, name: string): Record<string, unknown> {
  return {
    reference: `${name}@${node.descriptor.digest}`,
    ...descriptorJson(node.descriptor),
    manifests: node.referrers.map((child) => nodeJson(child, name)),
  };
}

export function registerDiscover(program: Command, io: CliIo): void {
  const cmd = program
    .command('discover')
    .description('List the artifacts that refer to an artifact (its referrers), as a tree')
    .argument('<name>', '<registry>/<repository>{:<tag>|@<digest>}')
    .option('--artifact-type <type>', 'list only referrers of this artifact type')
    .option('--depth <n>', 'how many levels of referrers to list (default: all)');
  addTargetOptions(addFormatOption(cmd, ['tree', 'table', 'json'] as const, 'tree'));
  cmd.action(async (name: string, flags: DiscoverFlags) => {
    if (flags.artifactType !== undefined) asUsage(() => assertMediaType(flags.artifactType!, '--artifact-type'));
    let depth: number | undefined;
    if (flags.depth !== undefined) {
      if (!/^\d+$/.test(flags.depth) || Number(flags.depth) < 1) throw new UsageError('--depth must be a whole number of at least 1');
      depth = Number(flags.depth);
    }
    if (flags.format === 'table') depth = 1;
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, needs: 'reference' } }], async ([target]) => {
      const tree = await discover(target!.target, target!.reference!, { artifactType: flags.artifactType, depth, signal: io.signal });
      if (flags.format === 'json') {
        writeJson(io.stdout, nodeJson(tree, target!.name));
      } else if (flags.format === 'table') {
        const rows = tree.referrers.map((r) => [r.descriptor.digest, r.descriptor.artifactType ?? r.descriptor.mediaType]);
        const width = Math.max('Digest'.length, ...rows.map((r) => r[0]!.length));
        io.stdout.write(tt`Discovered ${rows.length} artifact${rows.length === 1 ? '' : 's'} referencing ${target!.name}@${tree.descriptor.digest}\n`);
        io.stdout.write(tt`${'Digest'.padEnd(width)}  Artifact Type\n`);
        for (const [digest, type] of rows) io.stdout.write(tt`${digest!.padEnd(width)}  ${type}\n`);
      } else {
        for (const line of treeLines(tree, `${target!.name}@${tree.descriptor.digest}`)) io.stdout.write(tt`${line}\n`);
      }
    });
  });
}
