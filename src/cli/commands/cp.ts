import { copy } from '../../main/engine/oras/copy';
import { Option, type Command } from 'commander';
import { isValidDigest } from '../../main/engine/digest';
import { descriptorJson, writeJson } from '../format';
import type { CliIo } from '../io';
import { COPY } from '../progress';
import { startProgress, withProgress } from '../transfer';
import {
  addCommonOptions,
  addConcurrencyOption,
  addConnectionOptions,
  addCredentialOptions,
  addDistributionSpecOption,
  addFormatOption,
  addNoTtyOption,
  addSideOptions,
  flagsOfSide,
  type CommonFlags,
  type OutputFormat,
  type RemoteFlags,
  type Side,
  type SideFlags,
} from '../options';
import { UsageError } from '../errors';
import { RemoteSession } from '../remote';
import { openTarget, parseTarget, registriesOf, type CliTarget, type ParseTargetOptions } from '../target';
import { tt } from '../terminal-text';
import { addPlatformOption, checkPlatform, resolvePlatform, type PlatformFlags } from '../platform-option';

type CopyFlags = RemoteFlags &
  SideFlags &
  CommonFlags &
  PlatformFlags & {
    format: OutputFormat;
    concurrency: number;
    smallBlobConcurrency?: number;
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
  addDistributionSpecOption(addSideOptions(addDistributionSpecOption(addSideOptions(cmd, 'from'), 'from'), 'to'), 'to');
  cmd.addHelpText(
    'after',
    [
      '',
      'Each side has its own login, TLS, header and resolve flags, as in ORAS: --from-username, --to-plain-http,',
      '--from-ca-file, --to-cert-file, --from-header, --to-resolve, … The unprefixed flags (-u, -p, --password-stdin,',
      '--plain-http, -H, --resolve, …) apply to both sides; a side\'s own flag wins over them, and a side with a',
      'login flag of its own uses only that login.',
      '',
      'Examples:',
      '  oras cp localhost:5000/hello:v1 localhost:6000/hello:v1,latest -r',
      '  oras cp --from-registry-config src-creds.json --to-plain-http src.example/hello:v1 localhost:5000/hello:v1',
    ].join('\n'),
  );
  cmd.action(async (from: string, to: string, flags: CopyFlags) => {
    const platform = checkPlatform(flags);
    await withSides(
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
            smallBlobConcurrency: flags.smallBlobConcurrency,
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

const SIDES: readonly Side[] = ['from', 'to'];

/**
 * withSides is cp's withTargets: both operands parsed first, then one session per
 * side with that side's flags (its own login, TLS, headers and resolve rules), both
 * closed whatever happens.
 */
async function withSides<T>(
  io: CliIo,
  flags: CopyFlags,
  operands: Array<{ input: string; options: ParseTargetOptions; create?: boolean }>,
  body: (targets: CliTarget[]) => Promise<T>,
): Promise<T> {
  const parsed = operands.map((o) => parseTarget(o.input, o.options));
  const sides = SIDES.map((name, i) => ({ name, flags: flagsOfSide(flags, name), registries: registriesOf([parsed[i]!]) }));
  for (const [i, side] of sides.entries()) {
    // As ORAS: headers are for a registry; a layout folder has no requests to carry them.
    if (parsed[i]!.kind === 'oci-layout' && side.flags.header?.length) throw new UsageError(`-H/--${side.name}-header cannot be used with an OCI layout ${side.name === 'from' ? 'source' : 'destination'}`);
  }
  const sessions = await RemoteSession.createSides(io, flags, sides);
  try {
    const targets: CliTarget[] = [];
    for (const [i, p] of parsed.entries()) targets.push(await openTarget(p, sessions[i], { cwd: io.cwd, create: operands[i]!.create }));
    return await body(targets);
  } finally {
    await Promise.all(sessions.map((session) => session.close()));
  }
}
