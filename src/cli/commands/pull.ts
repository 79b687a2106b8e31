import path from 'node:path';
import { Option, type Command } from 'commander';
import { FileStore } from '../../main/engine/content/file-store';
import { Annotation } from '../../main/engine/descriptor';
import { isOrasError, OrasError } from '../../main/engine/errors';
import { assertMediaType } from '../../main/engine/media-type';
import { parsePlatform } from '../../main/engine/oras/platform';
import { pull } from '../../main/engine/oras/pull';
import { addTargetOptions, withTargets, type TargetFlags } from '../command-kit';
import { UsageError, asUsage } from '../errors';
import { descriptorJson, isModelFormat, writeModel } from '../format';
import type { CliIo } from '../io';
import { addConcurrencyOption, addFormatOption, addNoTtyOption, collect, type FormatFlags, type OutputFormat } from '../options';
import { DOWNLOAD } from '../progress';
import { startProgress, withProgress } from '../transfer';
import { tt } from '../terminal-text';

type PullFlags = TargetFlags &
  FormatFlags & {
  format: OutputFormat;
  concurrency: number;
  smallBlobConcurrency?: number;
  output: string;
  mediaType?: string[];
  overwrite?: boolean;
  keepOldFiles?: boolean;
  allowPathTraversal?: boolean;
  includeSubject?: boolean;
  platform?: string;
  tty?: boolean;
};

export function registerPull(program: Command, io: CliIo): void {
  const cmd = program
    .command('pull')
    .description('Pull the files of an artifact into a folder')
    .argument('<name>', '<registry>/<repository>{:<tag>|@<digest>}')
    .option('-o, --output <dir>', 'folder to write the files into', '.')
    .option('--media-type <type>', 'pull only layers of this media type (repeatable)', collect)
    // ORAS replaces files that exist by default; -k keeps them (and fails on them).
    .addOption(new Option('--overwrite', 'replace files that already exist (the default)').hideHelp())
    .option('-k, --keep-old-files', 'do not replace files that already exist in the folder: fail on them instead')
    .option('-T, --allow-path-traversal', 'allow writing files outside the output folder (a title that is absolute or climbs out with ..); only for content you trust')
    .option('--include-subject', 'also pull the artifact this one refers to (its subject)')
    .option('--platform <os/arch[/variant]>', 'from a multi-platform index, pull the manifest of this platform');
  addTargetOptions(addNoTtyOption(addConcurrencyOption(addFormatOption(cmd, ['text', 'json', 'go-template'] as const, 'text'))));
  cmd.addHelpText(
    'after',
    [
      '',
      'Files that exist are replaced (-k keeps them). A file name (title) that is absolute or climbs',
      'out of the folder with ".." is refused unless -T (--allow-path-traversal) is given, as in ORAS.',
      'Even with -T, nothing is written through a symbolic link inside the output folder, over a',
      'symbolic link or a file with other hard links, or over a folder that holds the output folder.',
      '',
      'Example:',
      '  oras pull localhost:5000/mystuff/myrocket:v0.1.0 -o ./rocket',
    ].join('\n'),
  );
  cmd.action(async (name: string, flags: PullFlags) => {
    if (flags.overwrite && flags.keepOldFiles) throw new UsageError('--overwrite and --keep-old-files cannot be used together');
    for (const type of flags.mediaType ?? []) asUsage(() => assertMediaType(type, '--media-type'));
    const platform = flags.platform === undefined ? undefined : asUsage(() => parsePlatform(flags.platform!));
    const outputDir = path.resolve(io.cwd, flags.output);
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, needs: 'reference' } }], async ([target]) => {
      // Replacing stays inside the folder: the file store's path checks apply either way.
      const store = new FileStore(outputDir, { overwrite: flags.keepOldFiles !== true, allowPathTraversal: flags.allowPathTraversal === true });
      try {
        const reporter = startProgress(io, flags, DOWNLOAD);
        const result = await withProgress(reporter, () =>
          pull(target!.target, target!.reference!, store, {
            mediaTypes: flags.mediaType,
            includeSubject: flags.includeSubject,
            platform,
            concurrency: flags.concurrency,
            smallBlobConcurrency: flags.smallBlobConcurrency,
            signal: io.signal,
            onProgress: (event) => reporter.onProgress(event),
          }),
        ).catch((err: unknown) => {
          throw flags.allowPathTraversal ? err : withTraversalHint(err);
        });
        const files = result.files.map((desc) => ({
          // A folder (unpacked from its tar) ends with a separator, as ORAS writes it.
          path: path.resolve(outputDir, desc.annotations?.[Annotation.Title] ?? '') + (desc.annotations?.[Annotation.ContentUnpack] === 'true' ? path.sep : ''),
          reference: `${target!.name}@${desc.digest}`,
          ...descriptorJson(desc),
        }));
        if (isModelFormat(flags)) {
          // ORAS's pull model: the root's reference and the files written (model.NewPull); none is its nil slice, null.
          writeModel(io, flags, { reference: `${target!.name}@${result.root.digest}`, files: files.length === 0 ? null : files });
          return;
        }
        if (files.length === 0) {
          if (flags.mediaType) io.stdout.write('No layer of the given media type(s) has a file name; nothing was written\n');
          else io.stdout.write(tt`Skipped pulling layers without file name in "${Annotation.Title}"\nUse 'oras copy ${name} --to-oci-layout <layout-dir>' to pull all layers.\n`);
        }
        io.stdout.write(tt`Pulled ${target!.display(target!.reference)}\nDigest: ${result.root.digest}\n`);
      } finally {
        await store.close();
      }
    });
  });
}

/** TRAVERSAL: the engine's words for a title that leaves the output folder (safe-path.ts). */
const TRAVERSAL = /is an absolute path|climbs out of the destination folder|points outside the destination folder/;

/**
 * withTraversalHint says, as ORAS does, that a title leaving the output folder is
 * blocked on purpose and how to allow it for trusted content.
 */
function withTraversalHint(err: unknown): unknown {
  if (!isOrasError(err, 'UNSAFE_PATH') || !TRAVERSAL.test(err.message)) return err;
  return new OrasError('UNSAFE_PATH', `${err.message}. Writing outside the output folder is blocked by default; if you trust who pushed it, pull with -T (--allow-path-traversal)`, { cause: err, side: err.side });
}
