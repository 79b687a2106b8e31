import { copy } from '../../main/engine/oras/copy';
import { Option, type Command } from 'commander';
import { isValidDigest } from '../../main/engine/digest';
import { withTargets } from '../command-kit';
import { descriptorJson, writeJson } from '../format';
import type { CliIo } from '../io';
import { COPY } from '../progress';
import { startProgress, withProgress } from '../transfer';
import {
  addCommonOptions,
  addConcurrencyOption,
  addConnectionOptions,
  addCredentialOptions,
  addFormatOption,
  addNoTtyOption,
  type CommonFlags,
  type OutputFormat,
  type RemoteFlags,
} from '../options';
import { tt } from '../terminal-text';
import { addPlatformOption, checkPlatform, resolvePlatform, type PlatformFlags } from '../platform-option';

type CopyFlags = RemoteFlags &
  CommonFlags &
  PlatformFlags & {
    format: OutputFormat;
    concurrency: number;
    recursive?: boolean;
    includeSubject?: boolean;
    fromOciLayout?: boolean;
    toOciLayout?: boolean;
    fromOciLayoutPath?: string;
    toOciLayoutPath?: string;
    tty?: boolean;
  };

export function registerCopy(program: Command, io: CliIo): void {
  const cmd = program
    .command('cp')
    .alias('copy')
    .description('Copy an artifact, with everything it points at, between registries and OCI layouts')
    .argument('<from>', 'source: <registry>/<repository>{:<tag>|@<digest>}')
    .argument('<to>', 'destination: <registry>/<repository>[:<tag>[,<tag>…]]')
    .option('-r, --recursive', 'also copy the artifacts that refer to it (referrers), recursively')
    .addOption(new Option('--include-subject', 'same as --recursive').hideHelp())
    .option('--from-oci-layout', 'the source is an OCI layout folder, <folder>[:tag|@digest]')
    .option('--to-oci-layout', 'the destination is an OCI layout folder, <folder>[:tag]')
    .option('--from-oci-layout-path <folder>', 'the source is a tag or digest in the OCI layout at <folder>')
    .option('--to-oci-layout-path <folder>', 'the destination is a tag (or nothing) in the OCI layout at <folder>');
  addCommonOptions(addConnectionOptions(addCredentialOptions(addNoTtyOption(addPlatformOption(addConcurrencyOption(addFormatOption(cmd, ['text', 'json'] as const, 'text')), 'only the manifest')))));
  cmd.addHelpText('after', '\nThe login flags (-u, -p, …) are offered to both registries named.\n\nExample:\n  oras cp localhost:5000/hello:v1 localhost:6000/hello:v1,latest -r');
  cmd.action(async (from: string, to: string, flags: CopyFlags) => {
    const platform = checkPlatform(flags);
    await withTargets(
      io,
      flags,
      [
        { input: from, options: { ociLayout: flags.fromOciLayout, ociLayoutPath: flags.fromOciLayoutPath, needs: 'reference' } },
        { input: to, options: { ociLayout: flags.toOciLayout, ociLayoutPath: flags.toOciLayoutPath, multipleTags: true }, create: true },
      ],
      async ([src, dst]) => {
        const givenRef = src!.reference!;
        const dstRef = dst!.reference ?? (isValidDigest(givenRef) ? '' : givenRef);
        // With --platform, that platform's manifest is copied (and tagged as the source's tag was).
        const srcRef = platform ? (await resolvePlatform(src!.target, givenRef, platform, io.signal)).digest : givenRef;
        const sameRegistry = src!.repository && dst!.repository && src!.repository.registry === dst!.repository.registry && src!.repository.name !== dst!.repository.name;
        const reporter = startProgress(io, flags, COPY);
        const root = await withProgress(reporter, () =>
          copy(src!.target, srcRef, dst!.target, dstRef, {
            includeReferrers: flags.recursive === true || flags.includeSubject === true,
            concurrency: flags.concurrency,
            signal: io.signal,
            onProgress: (event) => reporter.onProgress(event),
            ...(sameRegistry ? { mountFrom: src!.repository!.name } : {}),
          }),
        );
        for (const extra of dst!.extraTags) await dst!.target.tag(root, extra, { signal: io.signal });
        const tags = [dstRef, ...dst!.extraTags].filter((t) => t !== '' && !isValidDigest(t));
        if (flags.format === 'json') {
          writeJson(io.stdout, { reference: `${dst!.name}@${root.digest}`, ...descriptorJson(root), referenceAsTags: tags.map((t) => `${dst!.name}:${t}`) });
          return;
        }
        io.stdout.write(tt`Copied ${src!.display(givenRef)} => ${dst!.display(tags[0] ?? root.digest)}\n`);
        // ORAS names the tag alone (text/copy.go).
        for (const extra of tags.slice(1)) io.stdout.write(tt`Tagged ${extra}\n`);
        io.stdout.write(tt`Digest: ${root.digest}\n`);
      },
    );
  });
}
