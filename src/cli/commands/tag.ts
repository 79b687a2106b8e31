import type { Command } from 'commander';
import { tag as tagVerb } from '../../main/engine/oras/verbs';
import { validateTag } from '../../main/engine/reference';
import { addTargetOptions, withTargets, type TargetFlags } from '../command-kit';
import { asUsage } from '../errors';
import { descriptorJson, writeJson } from '../format';
import type { CliIo } from '../io';
import { addConcurrencyOption, addFormatOption, type OutputFormat } from '../options';
import { tt } from '../terminal-text';

type TagFlags = TargetFlags & { format: OutputFormat; concurrency: number };

export function registerTag(program: Command, io: CliIo): void {
  const cmd = program
    .command('tag')
    .description('Point one or more tags at a manifest')
    .argument('<name>', 'what to tag: <registry>/<repository>{:<tag>|@<digest>}')
    .argument('<tags...>', 'new tags')
    .addHelpText('after', '\nExample:\n  oras tag localhost:5000/hello:v1.0 v1.0.1 latest');
  addTargetOptions(addConcurrencyOption(addFormatOption(cmd, ['text', 'json'] as const, 'text')));
  cmd.action(async (name: string, tags: string[], flags: TagFlags) => {
    for (const t of tags) asUsage(() => validateTag(t));
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, needs: 'reference' } }], async ([target]) => {
      const desc = await tagVerb(target!.target, target!.reference!, tags, { signal: io.signal, concurrency: flags.concurrency });
      if (flags.format === 'json') {
        writeJson(io.stdout, { ...descriptorJson(desc), reference: `${target!.name}@${desc.digest}`, tags });
        return;
      }
      io.stdout.write(tt`Tagging ${target!.display(desc.digest)}\n`);
      for (const t of tags) io.stdout.write(tt`Tagged ${t}\n`);
    });
  });
}
