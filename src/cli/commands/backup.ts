import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { tempPathFor } from '../../main/engine/content/atomic-write';
import { fsError } from '../../main/engine/content/fs-error';
import { OciLayoutStore } from '../../main/engine/content/oci-layout-store';
import { writeLayoutTar } from '../../main/engine/content/tar-layout-writer';
import { OrasError } from '../../main/engine/errors';
import { copyTagged, countReferrers, resolveTags } from '../../main/engine/oras/backup';
import { addRegistryOnlyOptions, withTargets } from '../command-kit';
import type { CliIo } from '../io';
import { addNoTtyOption, type CommonFlags, type RemoteFlags } from '../options';
import { tt } from '../terminal-text';
import { startProgress, withProgress } from '../transfer';
import { BACKUP_WORDS, addBackupRestoreOptions, checkArtifactsOperand, orasBytes, orasDuration, printTagsFound, tagFailure } from './backup-restore-kit';

type BackupFlags = RemoteFlags &
  CommonFlags & {
    output: string;
    includeReferrers?: boolean;
    concurrency: number;
    distributionSpec?: string;
    tty?: boolean;
  };

const EXAMPLES = `
The output is a tar archive when its name ends in .tar, else a folder (an OCI image layout).
An archive is written to a temporary name beside it and renamed once complete: a failed
or cancelled backup leaves none behind.

Examples:
  oras backup --output hello localhost:5000/hello:v1
  oras backup --output hello.tar localhost:5000/hello:v1
  oras backup --output hello --include-referrers localhost:5000/hello:v1
  oras backup --output hello localhost:5000/hello:v1,v2,v3
  oras backup --output hello localhost:5000/hello          (every tag of the repository)`;

/**
 * registerBackup adds `oras backup`, ORAS 1.3's: tagged artifacts of one repository
 * (the tags named, or all of them) copied into an OCI image layout, a folder or a tar
 * archive, with their referrers on request; its lines are ORAS's.
 */
export function registerBackup(program: Command, io: CliIo): void {
  const cmd = program
    .command('backup')
    .description('[Experimental] Back up artifacts from a registry into an OCI image layout (a folder, or a .tar of one)')
    .usage('[options] --output <path> <registry>/<repository>[:<tag>[,<tag>…]]')
    .argument('<artifacts>', 'the artifacts to back up: <registry>/<repository>[:<tag>[,<tag>…]]; no tag backs up every tag')
    .requiredOption('-o, --output <path>', 'where to write: a tar archive (*.tar) or a folder')
    .option('--include-referrers', 'back up each artifact with its referrers (signatures, SBOMs, …)');
  addRegistryOnlyOptions(addNoTtyOption(addBackupRestoreOptions(cmd, 3)));
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (artifacts: string, flags: BackupFlags) => {
    checkArtifactsOperand(artifacts);
    if (flags.output === '') throw new OrasError('INVALID_ARGUMENT', 'the output path cannot be empty');
    const started = performance.now();
    const output = path.resolve(io.cwd, flags.output);
    const toTar = path.extname(output).toLowerCase() === '.tar';
    if (toTar) await refuseFolder(output, flags.output);
    await withTargets(io, flags, [{ input: artifacts, options: { multipleTags: true } }], async ([source]) => {
      const src = source!;
      const tags = src.reference === undefined ? [] : [src.reference, ...src.extraTags];
      // A tar is assembled in a private folder beside it, then archived.
      const layoutDir = toTar ? tempPathFor(output, 'backup') : output;
      try {
        if (toTar) {
          await mkdir(layoutDir, { mode: 0o700 }).catch((err: unknown) => {
            throw fsError(err, 'create a working folder for', output);
          });
        }
        const layout = await OciLayoutStore.open(layoutDir, { signal: io.signal });
        const found = await resolveTags(src.target, tags, { signal: io.signal });
        if (found.length === 0) {
          throw new OrasError('NOT_FOUND', `no tags found in repository ${JSON.stringify(src.name)}: to see which tags it has, use "oras repo tags ${src.name}"`);
        }
        printTagsFound(io.stdout, found.map((f) => f.tag), src.name);
        for (const artifact of found) {
          const reporter = startProgress(io, { format: 'text', tty: flags.tty }, BACKUP_WORDS);
          let referrers = 0;
          try {
            await withProgress(reporter, () =>
              copyTagged(src.target, layout, artifact, {
                includeReferrers: flags.includeReferrers === true,
                concurrency: flags.concurrency,
                signal: io.signal,
                onProgress: (event) => reporter.onProgress(event),
              }),
            );
            if (flags.includeReferrers) referrers = await countReferrers(layout, artifact.root, { signal: io.signal });
          } catch (err) {
            throw tagFailure(err, `failed to back up tag ${JSON.stringify(artifact.tag)} from ${JSON.stringify(src.name)} to ${JSON.stringify(flags.output)}`);
          }
          io.stdout.write(tt`Pulled tag ${artifact.tag} with ${String(referrers)} referrer(s)\n`);
        }
        if (toTar) {
          io.stdout.write(tt`Exporting to ${flags.output}\n`);
          const { size } = await writeLayoutTar(layoutDir, output, { signal: io.signal });
          io.stdout.write(tt`Exported to ${flags.output} (${orasBytes(size)})\n`);
        }
        io.stdout.write(tt`Successfully backed up ${String(found.length)} tag(s) from ${JSON.stringify(src.name)} to ${JSON.stringify(flags.output)} in ${orasDuration(performance.now() - started)}.\n`);
      } finally {
        if (toTar) await rm(layoutDir, { recursive: true, force: true });
      }
    });
  });
}

/** refuseFolder stops a backup to `x.tar` when `x.tar` is a folder, before anything is copied (ORAS's check). */
async function refuseFolder(output: string, given: string): Promise<void> {
  const info = await stat(output).catch(() => undefined);
  if (info?.isDirectory()) {
    throw new OrasError(
      'INVALID_ARGUMENT',
      `the output path ${JSON.stringify(given)} already exists and is a directory: to back up to a tar archive, name another file or remove the folder`,
    );
  }
}
