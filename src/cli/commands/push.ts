import type { Command } from 'commander';
import { isValidDigest } from '../../main/engine/digest';
import type { ImageSpecVersion } from '../../main/engine/oras/pack';
import { push } from '../../main/engine/oras/push';
import { loadArtifact, planArtifact, type ArtifactFlags } from '../artifact-files';
import { addTargetOptions, withTargets, type TargetFlags } from '../command-kit';
import { descriptorJson, isModelFormat, writeModel } from '../format';
import type { CliIo } from '../io';
import {
  addConcurrencyOption,
  type ConcurrencyFlags,
  addFormatOption,
  addImageSpecOption,
  addNoTtyOption,
  collect,
  type FormatFlags,
  type OutputFormat,
} from '../options';
import { UPLOAD } from '../progress';
import { startProgress, withProgress } from '../transfer';
import { pushedManifest } from '../output-file';
import { quietSkips, uploadLargeFilesFirst } from '../upload-first';
import { tt } from '../terminal-text';

export type PushFlags = TargetFlags &
  ArtifactFlags &
  FormatFlags & ConcurrencyFlags & { format: OutputFormat; imageSpec: ImageSpecVersion; tty?: boolean };

/** addArtifactOptions: the flags that describe what push and attach pack. */
export function addArtifactOptions(cmd: Command): Command {
  return cmd
    .option('-a, --annotation <key=value>', 'manifest annotation (repeatable)', collect)
    .option('--annotation-file <file>', 'JSON file of annotations: {"$manifest": {…}, "$config": {…}, "<file name>": {…}}')
    .option('--export-manifest <file>', 'also write the pushed manifest to this file')
    .option('--disable-path-validation', 'allow absolute paths and ".." in file names (they are stored as given)')
    .option(
      '--reproducible',
      'same input, same digest: no created annotation (unless given with -a), folder tars with fixed times (SOURCE_DATE_EPOCH when set), order and owners',
    );
}

export function registerPush(program: Command, io: CliIo): void {
  const cmd = program
    .command('push')
    .description('Push files to a registry or OCI layout as an artifact')
    .argument('<name>', '<registry>/<repository>[:<tag>[,<tag>…]|@<digest>]')
    .argument('[files...]', 'files or folders to push, each <path>[:<media type>]')
    .option('--artifact-type <type>', 'artifact type (v1.1: artifactType field; v1.0: the config media type)')
    .option('--config <file[:type]>', 'manifest config file, with its media type')
    .option('--manifest-config <file:type>', 'same as --config (ORAS 0.x spelling)');
  addArtifactOptions(cmd);
  addTargetOptions(addNoTtyOption(addImageSpecOption(addConcurrencyOption(addFormatOption(cmd, ['text', 'json', 'go-template'] as const, 'text')))));
  cmd.addHelpText(
    'after',
    `
Examples:
  oras push localhost:5000/mystuff/myrocket:v0.1.0 rocket.txt:text/plain \\
    --manifest-config rocket-config.json:application/vnd.acme.rocket.config.v1+json
  oras push localhost:5000/hello:v1,latest hi.txt docs/ --artifact-type application/vnd.example
  oras push --oci-layout ./layout:v1 hi.txt`,
  );
  cmd.action(async (name: string, files: string[], flags: PushFlags) => {
    const plan = await planArtifact(io, files, flags);
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, multipleTags: true }, create: true }], async ([target]) => {
      const uploaded = await uploadLargeFilesFirst(io, flags, target!.target, plan);
      const loaded = await loadArtifact(io, plan, { reproducible: flags.reproducible === true, digestCache: uploaded.digestCache });
      try {
        const reporter = startProgress(io, flags, UPLOAD);
        const root = await withProgress(reporter, () =>
          push(loaded.store, target!.target, target!.reference ?? '', {
            layers: loaded.layers,
            config: loaded.config,
            artifactType: plan.artifactType,
            annotations: plan.annotations.manifest,
            imageSpec: flags.imageSpec,
            ...(flags.reproducible ? { created: false as const } : {}),
            extraTags: target!.extraTags,
            concurrency: flags.concurrency,
            smallBlobConcurrency: flags.smallBlobConcurrency,
            signal: io.signal,
            onProgress: quietSkips(uploaded, (event) => reporter.onProgress(event)),
          }),
        );
        if (flags.exportManifest !== undefined) await pushedManifest(io, loaded.store, root, flags.exportManifest);
        const tags = [target!.reference, ...target!.extraTags].filter((t): t is string => t !== undefined && t !== '' && !isValidDigest(t));
        if (isModelFormat(flags)) {
          // ORAS lists the tags sorted (model.Tagged); with none, its nil slice prints null (model.NewPush).
          const referenceAsTags = tags.length === 0 ? null : tags.map((t) => `${target!.name}:${t}`).sort();
          writeModel(io, flags, { reference: `${target!.name}@${root.digest}`, ...descriptorJson(root), referenceAsTags });
          return;
        }
        io.stdout.write(tt`Pushed ${target!.display(tags[0] ?? root.digest)}\n`);
        // ORAS names the tag alone (text/push.go).
        for (const extra of tags.slice(1)) io.stdout.write(tt`Tagged ${extra}\n`);
        if (root.artifactType) io.stdout.write(tt`ArtifactType: ${root.artifactType}\n`);
        io.stdout.write(tt`Digest: ${root.digest}\n`);
      } finally {
        await loaded.store.close();
      }
    });
  });
}
