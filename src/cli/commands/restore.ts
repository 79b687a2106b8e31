import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { OrasError } from '../../main/engine/errors';
import { copyTagged, countReferrers, resolveTags } from '../../main/engine/oras/backup';
import { addRegistryOnlyOptions, withTargets } from '../command-kit';
import type { CliIo } from '../io';
import { openLayout } from '../layout';
import { addNoTtyOption, type CommonFlags, type RemoteFlags } from '../options';
import { tt } from '../terminal-text';
import { startProgress, withProgress } from '../transfer';
import { RESTORE_WORDS, addBackupRestoreOptions, checkArtifactsOperand, orasBytes, orasDuration, printTagsFound, tagFailure } from './backup-restore-kit';

type RestoreFlags = RemoteFlags &
  CommonFlags & {
    input: string;
    excludeReferrers?: boolean;
    dryRun?: boolean;
    concurrency: number;
    distributionSpec?: string;
    tty?: boolean;
  };

const EXAMPLES = `
The input is read in place: a tar archive is never extracted, and a member whose name
is absolute, has "..", or links outside the archive is refused.

Examples:
  oras restore --input hello.tar localhost:5000/hello:v1
  oras restore --input hello localhost:5000/hello:v1
  oras restore --input hello --dry-run localhost:5000/hello:v1
  oras restore --input hello localhost:5000/hello:v1,v2
  oras restore --input hello localhost:5000/hello           (every tag of the backup)
  oras restore --input hello --exclude-referrers localhost:5000/hello`;

/**
 * registerRestore adds `oras restore`, ORAS 1.3's: tagged artifacts of an OCI image
 * layout (a folder, or a tar archive read in place) pushed to one repository under the
 * same tags, with their referrers unless `--exclude-referrers`; `--dry-run` says what
 * would be pushed and sends nothing to the registry.
 */
export function registerRestore(program: Command, io: CliIo): void {
  const cmd = program
    .command('restore')
    .description('[Experimental] Restore artifacts to a registry from an OCI image layout (a folder, or a .tar of one)')
    .usage('[options] --input <path> <registry>/<repository>[:<tag>[,<tag>…]]')
    .argument('<target>', 'where to restore to: <registry>/<repository>[:<tag>[,<tag>…]]; no tag restores every tag of the backup')
    .requiredOption('--input <path>', 'the OCI layout to restore from: a tar archive or a folder')
    .option('--exclude-referrers', 'restore the artifacts without their referrers')
    .option('--dry-run', 'say what would be pushed, and push nothing');
  addRegistryOnlyOptions(addNoTtyOption(addBackupRestoreOptions(cmd, 5)));
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (target: string, flags: RestoreFlags) => {
    checkArtifactsOperand(target);
    if (flags.input === '') throw new OrasError('INVALID_ARGUMENT', 'the input path cannot be empty');
    const started = performance.now();
    const input = path.resolve(io.cwd, flags.input);
    const info = await stat(input).catch(() => undefined);
    if (info === undefined) throw new OrasError('NOT_FOUND', `the input path ${JSON.stringify(flags.input)} does not exist`);
    if (!info.isFile() && !info.isDirectory()) throw new OrasError('INVALID_ARGUMENT', `the input path ${JSON.stringify(flags.input)} must be a folder or a tar archive`);
    await withTargets(io, flags, [{ input: target, options: { multipleTags: true } }], async ([destination]) => {
      const dst = destination!;
      const source = await openLayout(input, { create: false, signal: io.signal });
      if (info.isFile()) io.stdout.write(tt`Loaded backup archive: ${flags.input} (${orasBytes(info.size)})\n`);
      const tags = dst.reference === undefined ? [] : [dst.reference, ...dst.extraTags];
      const found = await resolveTags(source, tags, { signal: io.signal });
      if (found.length === 0) {
        throw new OrasError('NOT_FOUND', `no tags found in OCI layout ${JSON.stringify(flags.input)}: to see which tags it has, use "oras repo tags --oci-layout ${flags.input}"`);
      }
      printTagsFound(io.stdout, found.map((f) => f.tag), 'the backup');
      for (const artifact of found) {
        let referrers = 0;
        try {
          if (!flags.excludeReferrers) referrers = await countReferrers(source, artifact.root, { signal: io.signal });
          if (!flags.dryRun) {
            const reporter = startProgress(io, { format: 'text', tty: flags.tty }, RESTORE_WORDS);
            await withProgress(reporter, () =>
              copyTagged(source, dst.target, artifact, {
                includeReferrers: !flags.excludeReferrers,
                concurrency: flags.concurrency,
                signal: io.signal,
                onProgress: (event) => reporter.onProgress(event),
              }),
            );
          }
        } catch (err) {
          throw tagFailure(err, `failed to restore tag ${JSON.stringify(artifact.tag)} from ${JSON.stringify(flags.input)} to ${JSON.stringify(dst.name)}`);
        }
        if (flags.dryRun) io.stdout.write(tt`Dry run: would push tag ${artifact.tag} with ${String(referrers)} referrer(s)\n`);
        else io.stdout.write(tt`Pushed tag ${artifact.tag} with ${String(referrers)} referrer(s)\n`);
      }
      if (flags.dryRun) io.stdout.write(tt`Dry run complete: ${String(found.length)} tag(s) would be restored to ${JSON.stringify(dst.name)} (no data pushed)\n`);
      else io.stdout.write(tt`Successfully restored ${String(found.length)} tag(s) to ${JSON.stringify(dst.name)} in ${orasDuration(performance.now() - started)}\n`);
    });
  });
}
