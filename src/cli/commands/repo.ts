import type { Command } from 'commander';
import { isTagLister } from '../../main/engine/content/storage';
import { OrasError } from '../../main/engine/errors';
import { validateRepository } from '../../main/engine/reference';
import { addRegistryOnlyOptions, addTargetOptions, withTargets, type TargetFlags } from '../command-kit';
import { UsageError, asUsage } from '../errors';
import { isModelFormat, writeModel } from '../format';
import type { CliIo } from '../io';
import { addFormatOption, type FormatFlags, type OutputFormat, type RemoteFlags } from '../options';
import { RemoteSession } from '../remote';
import { parseRegistryArg } from './login';
import { tt } from '../terminal-text';

/** DIGEST_TAG: tags made of a digest (`sha256-<hex>`, as the referrers tag schema writes). */
const DIGEST_TAG = /^sha(256|512)-[a-f0-9]{64,128}(\.\w+)?$/;

type ListFlags = RemoteFlags & FormatFlags & { format: OutputFormat; last?: string; debug?: boolean };

/** parseNamespaceArg splits `registry[/namespace]` for `oras repo ls`. */
export function parseNamespaceArg(input: string): { registry: string; namespace?: string } {
  const slash = input.indexOf('/');
  if (slash === -1) return { registry: parseRegistryArg(input) };
  const namespace = input.slice(slash + 1).replace(/\/+$/, '');
  const registry = parseRegistryArg(input.slice(0, slash));
  if (namespace === '') return { registry };
  asUsage(() => validateRepository(namespace, input));
  return { registry, namespace };
}

export function registerRepo(program: Command, io: CliIo): void {
  const repo = program.command('repo').alias('repository').description('List repositories and tags');

  const ls = repo
    .command('ls')
    .alias('list')
    .description('List the repositories of a registry, optionally under a namespace')
    .argument('<registry>', '<registry>[/<namespace>]')
    .option('--last <name>', 'start after this repository name');
  addRegistryOnlyOptions(addFormatOption(ls, ['text', 'json', 'go-template'] as const, 'text'));
  ls.action(async (input: string, flags: ListFlags) => {
    const { registry: name, namespace } = parseNamespaceArg(input);
    const session = await RemoteSession.create(io, flags, [name]);
    try {
      const registry = session.registry(name);
      const found: string[] = [];
      const prefix = namespace ? `${namespace}/` : '';
      for await (const repository of registry.catalog({ signal: io.signal, last: flags.last })) {
        if (!repository.startsWith(prefix)) continue;
        if (isModelFormat(flags)) found.push(repository);
        else io.stdout.write(tt`${repository.slice(prefix.length)}\n`);
      }
      // ORAS's model: the registry and the full names (model.Repositories).
      if (isModelFormat(flags)) writeModel(io, flags, { registry: name, repositories: found });
    } finally {
      await session.close();
    }
  });

  const tags = repo
    .command('tags')
    .alias('show-tags')
    .description('List the tags of a repository')
    .argument('<name>', '<registry>/<repository>, or an OCI layout folder with --oci-layout')
    .option('--last <tag>', 'start after this tag')
    .option('--exclude-digest-tags', 'leave out tags that are digests (sha256-…, the referrers tag schema)');
  addTargetOptions(addFormatOption(tags, ['text', 'json', 'go-template'] as const, 'text'));
  tags.action(async (input: string, flags: TargetFlags & ListFlags & { excludeDigestTags?: boolean }) => {
    await withTargets(io, flags, [{ input, options: { ociLayout: flags.ociLayout } }], async ([target]) => {
      if (target!.reference !== undefined) {
        throw new UsageError(`${input}: give the repository without a tag or digest`);
      }
      const store = target!.target;
      if (!isTagLister(store)) throw new OrasError('UNSUPPORTED', `${target!.name} cannot list tags`);
      const list: string[] = [];
      for await (const tag of store.tags({ signal: io.signal, last: flags.last })) {
        if (flags.excludeDigestTags && DIGEST_TAG.test(tag)) continue;
        if (isModelFormat(flags)) list.push(tag);
        else io.stdout.write(tt`${tag}\n`);
      }
      // ORAS's model is the tags alone (model.Tags).
      if (isModelFormat(flags)) writeModel(io, flags, { tags: list });
    });
  });
}
