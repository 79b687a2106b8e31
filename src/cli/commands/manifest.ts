import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { isDeleter } from '../../main/engine/content/storage';
import type { Descriptor, Manifest } from '../../main/engine/descriptor';
import { digestOf, isValidDigest } from '../../main/engine/digest';
import { cut } from '../../main/engine/echo';
import { isOrasError, OrasError } from '../../main/engine/errors';
import { assertMediaType, isManifestMediaType, MediaType } from '../../main/engine/media-type';
import { nodeReason } from '../../main/engine/node-errors';
import { bytesReadable } from '../../main/engine/content/streams';
import { fetchBytes, pushBytes } from '../../main/engine/oras/bytes';
import { fetchManifest, resolve as resolveVerb } from '../../main/engine/oras/verbs';
import { MAX_MANIFEST_BYTES } from '../../main/engine/registry/manifests';
import { addTargetOptions, withTargets, type TargetFlags } from '../command-kit';
import { assertCanConfirm, confirm } from '../confirm';
import { UsageError, asUsage } from '../errors';
import { descriptorJson, isModelFormat, writeDescriptor, writeJson, writeModel } from '../format';
import { goMapOf } from '../go-json';
import type { CliIo } from '../io';
import { addDistributionSpecOption, addFormatOption, collect, type FormatFlags, type OutputFormat } from '../options';
import { writeOutput } from '../output-file';
import { readAllStdin } from '../prompt';
import type { CliTarget } from '../target';
import { jsonText, tt } from '../terminal-text';
import { addPlatformOption, checkPlatform, resolvePlatform, type PlatformFlags } from '../platform-option';
import { registerManifestIndex } from './manifest-index';

type FetchFlags = TargetFlags & FormatFlags & PlatformFlags & { format: OutputFormat; output?: string; descriptor?: boolean; pretty?: boolean; mediaType?: string[] };

export function registerManifest(program: Command, io: CliIo): void {
  const manifest = program.command('manifest').description('Fetch, push and delete manifests');
  registerFetch(manifest, io);
  registerFetchConfig(manifest, io);
  registerPush(manifest, io);
  registerDelete(manifest, io);
  registerManifestIndex(manifest, io);
}

function registerFetch(parent: Command, io: CliIo): void {
  const cmd = parent
    .command('fetch')
    .alias('get')
    .alias('show')
    .description('Print a manifest (its exact bytes), or save it with -o')
    .argument('<name>', '<registry>/<repository>{:<tag>|@<digest>}')
    .option('-o, --output <file>', 'write the manifest to a file ("-" for stdout)')
    .option('--descriptor', "print the manifest's descriptor (one line; indented with --pretty) instead of the manifest")
    .option('--pretty', 'indent the JSON printed to stdout')
    .option('--media-type <type>', 'accept only these manifest media types (repeatable, or comma-separated; a registry only)', collect);
  addTargetOptions(addPlatformOption(addFormatOption(cmd, ['text', 'json', 'go-template'] as const, 'text')));
  cmd.action(async (name: string, flags: FetchFlags) => {
    const platform = checkPlatform(flags);
    const mediaTypes = acceptedMediaTypes(flags.mediaType);
    // The same checks, in the same order, as ORAS's manifest fetch.
    if (flags.output === '-' && flags.format !== 'text') throw new UsageError(`--output - cannot be used with --format ${flags.format} at the same time`);
    if (flags.output === '-' && flags.descriptor) throw new UsageError('--descriptor cannot be used with --output - at the same time');
    if (flags.format !== 'text' && flags.pretty) throw new UsageError(`--format ${flags.format} and --pretty cannot be used at the same time`);
    if (flags.format !== 'text' && flags.descriptor) throw new UsageError(`--format ${flags.format} and --descriptor cannot be used at the same time`);
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, needs: 'reference' } }], async ([target]) => {
      if (mediaTypes && !target!.repository) throw new UsageError('--media-type cannot be used with --oci-layout at the same time');
      // As ORAS sets the repository's ManifestMediaTypes: the Accept of every manifest request.
      const source = mediaTypes ? target!.repository!.withOptions({ manifestMediaTypes: mediaTypes }) : target!.target;
      const reference = platform ? (await resolvePlatform(source, target!.reference!, platform, io.signal)).digest : target!.reference!;
      const fetched = await fetchManifest(source, reference, { signal: io.signal });
      const bytes = Buffer.from(fetched.bytes);
      if (flags.output !== undefined && flags.output !== '-') await writeOutput(io, flags.output, bytesReadable(bytes));
      if (isModelFormat(flags)) {
        // content as ORAS holds it: a Go map, so its keys come out sorted at every depth.
        writeModel(io, flags, { reference: `${target!.name}@${fetched.descriptor.digest}`, ...descriptorJson(fetched.descriptor), content: goMapOf(bytes.toString('utf8')) });
      } else if (flags.descriptor) {
        writeDescriptor(io, fetched.descriptor, flags.pretty);
      } else if (flags.output === undefined || flags.output === '-') {
        // --pretty indents (and ends the line); without it the exact bytes (a safe view on a terminal).
        if (flags.pretty) io.stdout.write(jsonText(JSON.parse(bytes.toString('utf8'))));
        else await writeOutput(io, '-', bytesReadable(bytes));
      }
    });
  });
}

/** acceptedMediaTypes reads `--media-type` as ORAS's string slice: repeatable, each comma-separated, each checked. */
function acceptedMediaTypes(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const types = values.flatMap((value) => value.split(',')).map((type) => type.trim());
  for (const type of types) asUsage(() => assertMediaType(type, '--media-type'));
  return types;
}

function registerFetchConfig(parent: Command, io: CliIo): void {
  const cmd = parent
    .command('fetch-config')
    .alias('get-config')
    .description("Print a manifest's config, or save it with -o")
    .argument('<name>', '<registry>/<repository>{:<tag>|@<digest>}')
    .option('-o, --output <file>', 'write the config to a file ("-" for stdout)')
    .option('--descriptor', "print the config's descriptor (one line; indented with --pretty) instead of the config")
    .option('--pretty', 'indent the JSON printed to stdout');
  addTargetOptions(addPlatformOption(addFormatOption(cmd, ['text', 'json'] as const, 'text'), 'the config'));
  cmd.action(async (name: string, flags: FetchFlags) => {
    const platform = checkPlatform(flags);
    if (flags.output === '-' && flags.descriptor) throw new UsageError('--output - cannot be used with --descriptor at the same time');
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, needs: 'reference' } }], async ([target]) => {
      const reference = platform ? (await resolvePlatform(target!.target, target!.reference!, platform, io.signal)).digest : target!.reference!;
      const fetched = await fetchManifest(target!.target, reference, { signal: io.signal });
      const parsed = fetched.manifest as Manifest | undefined;
      if (!parsed || !('config' in parsed)) {
        throw new OrasError('UNSUPPORTED', `${target!.display(fetched.descriptor.digest)} is a ${fetched.descriptor.mediaType}, which has no config`);
      }
      const config = parsed.config;
      if (flags.format === 'json' || flags.descriptor) {
        if (flags.descriptor) writeDescriptor(io, config, flags.pretty);
        else writeJson(io.stdout, descriptorJson(config));
        if (flags.output === undefined) return;
      }
      if (flags.pretty && (flags.output === undefined || flags.output === '-')) {
        // --pretty reads the config whole (capped like a manifest) to indent it, as ORAS does.
        const bytes = await fetchBytes(target!.target, config, { signal: io.signal });
        let value: unknown;
        try {
          value = JSON.parse(Buffer.from(bytes).toString('utf8'));
        } catch (err) {
          throw new OrasError('INVALID_ARGUMENT', `failed to prettify: the config is not JSON (${(err as Error).message})`);
        }
        io.stdout.write(jsonText(value));
        return;
      }
      const content = await target!.target.fetch(config, { signal: io.signal });
      await writeOutput(io, flags.output ?? '-', content);
    });
  });
}

type PushFlags = TargetFlags & { format: OutputFormat; mediaType?: string; descriptor?: boolean; pretty?: boolean };

/** manifestMediaType decides the media type of pushed manifest bytes. */
export function manifestMediaType(bytes: Buffer, given: string | undefined, where: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new UsageError(`${where} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${where} is not a JSON object`);
  const own = (parsed as { mediaType?: unknown }).mediaType;
  if (own !== undefined && typeof own !== 'string') throw new UsageError(`${where} has a mediaType that is not a string`);
  if (given !== undefined) {
    asUsage(() => assertMediaType(given, '--media-type'));
    if (own !== undefined && own !== given) throw new UsageError(`--media-type ${given} differs from the manifest's own mediaType ${own}`);
    return given;
  }
  if (own !== undefined) return asUsage(() => assertMediaType(own, `mediaType of ${where}`));
  return Array.isArray((parsed as { manifests?: unknown }).manifests) ? MediaType.ImageIndex : MediaType.ImageManifest;
}

function registerPush(parent: Command, io: CliIo): void {
  const cmd = parent
    .command('push')
    .description('Push a manifest from a file ("-" for stdin), tagging it')
    .argument('<name>', '<registry>/<repository>[:<tag>[,<tag>…]|@<digest>]')
    .argument('<file>', 'manifest JSON file, or "-" for stdin')
    .addOption(new Option('--media-type <type>', "manifest media type (default: the file's mediaType field, else the OCI image manifest type)"))
    .option('--descriptor', "print the pushed manifest's descriptor (one line; indented with --pretty)")
    .option('--pretty', 'indent the descriptor');
  addTargetOptions(addDistributionSpecOption(addFormatOption(cmd, ['text', 'json'] as const, 'text')));
  cmd.action(async (name: string, file: string, flags: PushFlags) => {
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, multipleTags: true }, create: true }], async ([target]) => {
      const where = file === '-' ? 'the manifest read from stdin' : `manifest file ${file}`;
      const bytes = file === '-' ? await readAllStdin(io, MAX_MANIFEST_BYTES, 'the manifest') : await readManifestFile(path.resolve(io.cwd, file));
      const mediaType = manifestMediaType(bytes, flags.mediaType, where);
      const ref = target!.reference;
      const desc: Descriptor = { mediaType, digest: ref && isValidDigest(ref) ? digestOf(bytes, ref.startsWith('sha512:') ? 'sha512' : 'sha256') : digestOf(bytes), size: bytes.byteLength };
      if (ref && isValidDigest(ref) && ref !== desc.digest) {
        throw new UsageError(`the manifest's digest is ${desc.digest}, not ${ref} as the reference says`);
      }
      const tags = [ref, ...target!.extraTags].filter((t): t is string => t !== undefined && !isValidDigest(t));
      await pushManifestBytes(target!, desc, bytes, tags, io.signal);
      if (flags.descriptor) {
        writeDescriptor(io, desc, flags.pretty);
        return;
      }
      if (flags.format === 'json') {
        writeJson(io.stdout, { reference: `${target!.name}@${desc.digest}`, ...descriptorJson(desc), tags });
        return;
      }
      // ORAS's lines (text/manifest_push.go): the reference as typed, then the extra tags.
      io.stdout.write(tt`Pushed: [${target!.kind}] ${splitName(name)}\n`);
      for (const extra of tags.slice(1)) io.stdout.write(tt`Tagged ${extra}\n`);
      io.stdout.write(tt`Digest: ${desc.digest}\n`);
    });
  });
}

async function readManifestFile(file: string): Promise<Buffer> {
  try {
    const bytes = await readFile(file);
    if (bytes.byteLength > MAX_MANIFEST_BYTES) throw new UsageError(`manifest file ${file} is larger than ${MAX_MANIFEST_BYTES} bytes`);
    return bytes;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read manifest file ${cut(file)}: ${code === 'ENOENT' ? 'it does not exist' : nodeReason(err)}`);
  }
}

/**
 * pushManifestBytes stores manifest bytes under each tag: a registry gets one PUT per
 * tag (by digest when there is none); a layout stores the bytes once and tags them.
 */
async function pushManifestBytes(target: CliTarget, desc: Descriptor, bytes: Buffer, tags: string[], signal: AbortSignal): Promise<void> {
  if (target.repository) {
    for (const ref of tags.length > 0 ? tags : [desc.digest]) await target.repository.pushManifest(desc, bytes, ref, { signal });
    return;
  }
  await pushBytes(target.target, desc, bytes, { signal });
  for (const tag of tags) await target.target.tag(desc, tag, { signal });
}

type DeleteFlags = TargetFlags & { format: OutputFormat; force?: boolean; descriptor?: boolean; pretty?: boolean };

function registerDelete(parent: Command, io: CliIo): void {
  const cmd = parent
    .command('delete')
    .aliases(['rm', 'remove'])
    .description('Delete a manifest (and with it every tag pointing at it)')
    .argument('<name>', '<registry>/<repository>{:<tag>|@<digest>}')
    .option('-f, --force', "delete without asking; a manifest that is not there is reported as Missing, not an error")
    .option('--descriptor', "print the deleted manifest's descriptor (one line; indented with --pretty)")
    .option('--pretty', 'indent the descriptor');
  addTargetOptions(addDistributionSpecOption(addFormatOption(cmd, ['text', 'json'] as const, 'text')));
  cmd.action(async (name: string, flags: DeleteFlags) => {
    assertCanConfirm(io, flags.force, 'deleting a manifest');
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, needs: 'reference' } }], async ([target]) => {
      const store = target!.target;
      if (!isDeleter(store)) throw new OrasError('UNSUPPORTED', `${target!.name} cannot delete manifests`);
      const desc = await resolveVerb(store, target!.reference!, { signal: io.signal }).catch((err: unknown) => {
        if (!isOrasError(err, 'NOT_FOUND')) throw err;
        return undefined;
      });
      if (desc === undefined) {
        // ORAS: with --force a missing manifest is what was wanted, so it says Missing and succeeds.
        if (flags.force && !flags.descriptor) {
          io.stdout.write(tt`Missing ${name}\n`);
          return;
        }
        throw new OrasError('NOT_FOUND', `${name}: the specified manifest does not exist`);
      }
      if (!isManifestMediaType(desc.mediaType) && !flags.force) {
        throw new UsageError(`${name} is a ${desc.mediaType}, not a manifest; add --force to delete it anyway`);
      }
      if (!flags.force && !(await confirm(io, tt`Are you sure you want to delete the manifest ${desc.digest} and all tags associated with it?`))) {
        io.stderr.write('Not deleted.\n');
        return;
      }
      await store.delete(desc, { signal: io.signal });
      if (flags.descriptor) writeDescriptor(io, desc, flags.pretty);
      else if (flags.format === 'json') writeJson(io.stdout, { reference: `${target!.name}@${desc.digest}`, ...descriptorJson(desc), deleted: true });
      else io.stdout.write(tt`Deleted [${target!.kind}] ${name}\n`);
    });
  });
}

/** splitName is a push operand without its extra tags (`repo:a,b` → `repo:a`): ORAS's raw reference. */
function splitName(input: string): string {
  const comma = input.indexOf(',', input.lastIndexOf('/') + 1);
  return comma === -1 ? input : input.slice(0, comma);
}
