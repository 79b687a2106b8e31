import type { Command } from 'commander';
import { attach } from '../../main/engine/oras/attach';
import { loadArtifact, planArtifact } from '../artifact-files';
import { addTargetOptions, withTargets } from '../command-kit';
import { UsageError } from '../errors';
import { descriptorJson, isModelFormat, writeModel } from '../format';
import type { CliIo } from '../io';
import { addConcurrencyOption, addDistributionSpecOption, addFormatOption, addImageSpecOption, addNoTtyOption } from '../options';
import { UPLOAD } from '../progress';
import { startProgress, withProgress } from '../transfer';
import { addArtifactOptions, type PushFlags } from './push';
import { pushedManifest } from '../output-file';
import { tt } from '../terminal-text';
import { addPlatformOption, checkPlatform, resolvePlatform, type PlatformFlags } from '../platform-option';

export function registerAttach(program: Command, io: CliIo): void {
  const cmd = program
    .command('attach')
    .description('Attach files to an existing artifact as a new artifact that refers to it (a referrer)')
    .argument('<name>', 'the subject: <registry>/<repository>{:<tag>|@<digest>}')
    .argument('[files...]', 'files or folders to attach, each <path>[:<media type>]')
    .requiredOption('--artifact-type <type>', 'artifact type of the attached artifact (required)');
  addArtifactOptions(cmd);
  addDistributionSpecOption(cmd);
  addTargetOptions(addNoTtyOption(addPlatformOption(addImageSpecOption(addConcurrencyOption(addFormatOption(cmd, ['text', 'json', 'go-template'] as const, 'text'))), 'as the subject the manifest')));
  cmd.addHelpText('after', '\nExample:\n  oras attach localhost:5000/hello:v1 sbom.json:application/spdx+json --artifact-type application/vnd.example.sbom');
  cmd.action(async (name: string, files: string[], flags: PushFlags & PlatformFlags) => {
    const platform = checkPlatform(flags);
    if (flags.imageSpec === 'v1.0') throw new UsageError('--image-spec v1.0 cannot attach: v1.0 manifests have no subject field; use v1.1');
    const plan = await planArtifact(io, files, flags);
    if (Object.keys(plan.annotations.manifest).length === 0 && files.length === 0 && plan.config === undefined) {
      throw new UsageError('nothing to attach: give files, or annotations with -a key=value');
    }
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, needs: 'reference' } }], async ([target]) => {
      const loaded = await loadArtifact(io, plan, { reproducible: flags.reproducible === true });
      try {
        const reporter = startProgress(io, flags, UPLOAD);
        const subjectRef = platform ? (await resolvePlatform(target!.target, target!.reference!, platform, io.signal)).digest : target!.reference!;
        const root = await withProgress(reporter, () =>
          attach(target!.target, subjectRef, {
            artifactType: plan.artifactType!,
            layers: loaded.layers,
            config: loaded.config,
            annotations: plan.annotations.manifest,
            imageSpec: flags.imageSpec,
            ...(flags.reproducible ? { created: false as const } : {}),
            from: loaded.store,
            concurrency: flags.concurrency,
            smallBlobConcurrency: flags.smallBlobConcurrency,
            signal: io.signal,
            onProgress: (event) => reporter.onProgress(event),
          }),
        );
        const bytes = await pushedManifest(io, loaded.store, root, flags.exportManifest);
        const subject = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { subject?: { digest: string } }).subject;
        if (isModelFormat(flags)) {
          // ORAS's attach model is the descriptor with its reference (model.NewAttach).
          writeModel(io, flags, { reference: `${target!.name}@${root.digest}`, ...descriptorJson(root) });
          return;
        }
        io.stdout.write(tt`Attached to ${target!.display(subject?.digest ?? subjectRef)}\nDigest: ${root.digest}\n`);
      } finally {
        await loaded.store.close();
      }
    });
  });
}
