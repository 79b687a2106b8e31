import type { Command } from 'commander';
import type { Descriptor } from '../../main/engine/descriptor';
import { isValidDigest } from '../../main/engine/digest';
import { quoted } from '../../main/engine/echo';
import { MediaType } from '../../main/engine/media-type';
import { bytesReadable } from '../../main/engine/content/streams';
import { assertIndexArtifactType, createIndex, pushIndex, updateIndex, type BuiltIndex } from '../../main/engine/oras/index-build';
import { indentJson } from '../../main/engine/oras/index-json';
import { parseReference, validateTag } from '../../main/engine/reference';
import { parseAnnotationFlags } from '../annotations';
import { addTargetOptions, withTargets, type TargetFlags } from '../command-kit';
import { UsageError, asUsage } from '../errors';
import { descriptorJson, isModelFormat, shortDigest, writeModel } from '../format';
import type { CliIo } from '../io';
import { addFormatOption, collect, type FormatFlags, type OutputFormat } from '../options';
import { writeOutput } from '../output-file';
import { parseTarget, type CliTarget } from '../target';
import { showLines, tt } from '../terminal-text';

/**
 * `oras manifest index create|update`: multi-platform image indexes made from manifests
 * already in the repository (or layout), as ORAS 1.3 (cmd/oras/root/manifest/index).
 * The status lines are ORAS's: its prompts are padded to nine characters and Go's
 * Println adds a space, hence `Fetching  x`, `Fetched   <digest> x`, `Packed    …`.
 * `--format json|go-template` is ours (ORAS has none here): the index's descriptor with
 * its reference, its entries and the tags pushed, instead of the lines.
 */

type IndexOutputFlags = TargetFlags & FormatFlags & { format: OutputFormat; output?: string; pretty?: boolean; artifactType?: string };
type CreateFlags = IndexOutputFlags & { annotation?: string[] };
type UpdateFlags = IndexOutputFlags & { add?: string[]; merge?: string[]; remove?: string[]; tag?: string[] };

const CREATE_EXAMPLES = `
Examples:
  oras manifest index create localhost:5000/hello:v1 linux-amd64 linux-arm64
  oras manifest index create localhost:5000/hello:v1,latest linux-amd64 sha256:99e4…
  oras manifest index create --oci-layout layout-dir:v1 linux-amd64 --annotation key=value
  oras manifest index create localhost:5000/hello linux-amd64 --output - --pretty   (not pushed)`;

const UPDATE_EXAMPLES = `
Examples:
  oras manifest index update localhost:5000/hello:v1 --add linux-riscv64 --remove sha256:99e4…
  oras manifest index update localhost:5000/hello:v2 --merge v2-windows --tag v2.1.0
  oras manifest index update localhost:5000/hello:v1 --artifact-type ""   (removes it)
  oras manifest index update localhost:5000/hello:v1 --add linux-amd64 --output index.json   (not pushed)`;

/** registerManifestIndex adds `manifest index create` (alias `pack`) and `manifest index update`. */
export function registerManifestIndex(manifest: Command, io: CliIo): void {
  const index = manifest.command('index').description('Create and update multi-platform image indexes');
  registerCreate(index, io);
  registerUpdate(index, io);
}

/** addIndexOutputOptions: what both commands share (the index's artifact type, where it goes, how it prints). */
function addIndexOutputOptions(cmd: Command, artifactTypeHelp: string): Command {
  cmd
    .option('--artifact-type <type>', artifactTypeHelp)
    .option('-o, --output <file>', 'write the index to a file ("-" for stdout) instead of pushing it')
    .option('--pretty', 'indent the index written to stdout with --output -');
  return addTargetOptions(addFormatOption(cmd, ['text', 'json', 'go-template'] as const, 'text'), 'the index');
}

/** checkOutputFlags refuses what cannot go together, before anything is opened. */
function checkOutputFlags(flags: IndexOutputFlags): void {
  if (flags.output === '-' && flags.format !== 'text') throw new UsageError(`--output - cannot be used with --format ${flags.format} at the same time`);
  if (flags.artifactType !== undefined && flags.artifactType !== '') asUsage(() => assertIndexArtifactType(flags.artifactType!));
}

function registerCreate(parent: Command, io: CliIo): void {
  const cmd = parent
    .command('create')
    .alias('pack')
    .description('Create an image index from manifests in the same repository and push it')
    .argument('<name>', '<registry>/<repository>[:<tag>[,<tag>…]], the index to push')
    .argument('[sources...]', 'the manifests to list, by tag or digest in that repository')
    .option('-a, --annotation <key=value>', 'index annotation (repeatable)', collect)
    .addHelpText('after', CREATE_EXAMPLES);
  addIndexOutputOptions(cmd, 'artifact type of the index');
  cmd.action(async (name: string, sources: string[], flags: CreateFlags) => {
    checkOutputFlags(flags);
    const annotations = parseAnnotationFlags(flags.annotation ?? []);
    const pushing = flags.output === undefined;
    // A layout is made only when the index is pushed and needs nothing from it.
    const create = pushing && sources.length === 0;
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, multipleTags: true }, create }], async ([target]) => {
      const { references, typed } = sourceReferences(sources, target!);
      const say = statusPrinter(io, flags);
      const built = await createIndex(target!.target, references, {
        artifactType: flags.artifactType,
        annotations,
        signal: io.signal,
        onFetching: (ref) => say(tt`Fetching  ${typed.get(ref)}\n`),
        onFetched: (ref, desc) => say(fetchedLine('Fetched  ', typed.get(ref)!, desc)),
      });
      say(tt`Packed    ${shortDigest(built.descriptor.digest)} ${MediaType.ImageIndex}\n`);
      const tags = await saveOrPush(io, flags, target!, built, {
        reference: target!.reference,
        tags: target!.extraTags,
        pushed: `[${target!.kind}] ${splitName(name)}`,
      });
      finish(io, flags, target!, built, tags);
    });
  });
}

function registerUpdate(parent: Command, io: CliIo): void {
  const cmd = parent
    .command('update')
    .description('Add, merge or remove manifests of an image index and push the result')
    .argument('<name>', '<registry>/<repository>{:<tag>|@<digest>}, the index to change (a tag is moved to the new one)')
    .option('--add <manifest>', 'manifest to add, by tag or digest (repeatable)', collect)
    .option('--merge <index>', 'index whose manifests to add, by tag or digest (repeatable)', collect)
    .option('--remove <digest>', 'manifest to remove, by digest (repeatable; every entry with it goes)', collect)
    .option('--tag <tag>', 'extra tag for the updated index (repeatable)', collect)
    .addHelpText('after', UPDATE_EXAMPLES);
  addIndexOutputOptions(cmd, 'new artifact type of the index ("" removes it)');
  cmd.action(async (name: string, flags: UpdateFlags) => {
    // ORAS's order: flags that cannot go together, removals that are not digests, the
    // operand; then "nothing to update" before a missing tag or digest is an error.
    if (flags.tag !== undefined && flags.output !== undefined) throw new UsageError('--tag, --output cannot be used at the same time');
    for (const digest of flags.remove ?? []) {
      if (!isValidDigest(digest)) throw new UsageError(`--remove ${quoted(digest)} is not a digest: entries are removed by digest (sha256:…)`);
    }
    for (const tag of flags.tag ?? []) asUsage(() => validateTag(tag, tag));
    const parsed = parseTarget(name, { ociLayout: flags.ociLayout, ociLayoutPath: flags.ociLayoutPath });
    if (flags.add === undefined && flags.merge === undefined && flags.remove === undefined && flags.artifactType === undefined) {
      io.stdout.write('Nothing to update as no change is requested\n');
      return;
    }
    if (parsed.ref.tag === undefined && parsed.ref.digest === undefined) {
      throw new UsageError(`${quoted(name)}: no tag or digest specified: name the index to update as <name>:<tag> or <name>@<digest>`);
    }
    checkOutputFlags(flags);
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, needs: 'reference' } }], async ([target]) => {
      const reference = target!.reference!;
      const say = statusPrinter(io, flags);
      const built = await updateIndex(target!.target, reference, {
        add: flags.add,
        merge: flags.merge,
        remove: flags.remove,
        artifactType: flags.artifactType,
        signal: io.signal,
        onFetching: (ref) => say(tt`Fetching  ${ref}\n`),
        onFetched: (ref, desc) => say(fetchedLine('Fetched  ', ref, desc)),
        onRemoved: (digest) => say(tt`Removed   ${digest}\n`),
        onAdded: (ref, desc) => say(fetchedLine('Added    ', ref, desc)),
        onMerged: (ref, desc) => say(fetchedLine('Merged   ', ref, desc)),
      });
      say(tt`Updated   ${built.descriptor.digest}\n`);
      // ORAS names an index pushed by digest by its repository, one pushed by tag as typed.
      const pushed = isValidDigest(reference) ? `[${target!.kind}] ${target!.name}` : `[${target!.kind}] ${name}`;
      const tags = await saveOrPush(io, flags, target!, built, { reference, tags: flags.tag ?? [], pushed });
      finish(io, flags, target!, built, tags);
    });
  });
}

/**
 * statusPrinter writes ORAS's status lines: in text format only, and not when the
 * index itself goes to stdout (`--output -`, where ORAS prints the index alone).
 */
function statusPrinter(io: CliIo, flags: IndexOutputFlags): (line: string) => void {
  const quiet = isModelFormat(flags) || flags.output === '-';
  return (line) => {
    // Each line is made with tt; showLines again is a no-op on it (escaping is idempotent).
    if (!quiet) io.stdout.write(showLines(line));
  };
}

/** fetchedLine: `<prompt> <digest> <ref>`, or `<prompt> <ref>` when the reference is the digest. */
function fetchedLine(prompt: string, reference: string, desc: Descriptor): string {
  return isValidDigest(reference) ? tt`${prompt} ${reference}\n` : tt`${prompt} ${desc.digest} ${reference}\n`;
}

/**
 * saveOrPush writes the index where `--output` says (a file through a temp file and a
 * rename, or stdout: one line as ORAS writes it, indented with `--pretty`; `--pretty`
 * is ignored for a file, as ORAS does), or else pushes it: under the reference when it
 * is a tag, then each extra tag. It returns the tags pushed.
 */
async function saveOrPush(
  io: CliIo,
  flags: IndexOutputFlags,
  target: CliTarget,
  built: BuiltIndex,
  push: { reference: string | undefined; tags: readonly string[]; pushed: string },
): Promise<string[]> {
  if (flags.output !== undefined) {
    const text = Buffer.from(built.bytes).toString('utf8');
    const bytes = flags.output === '-' && flags.pretty ? Buffer.from(`${indentJson(text)}\n`) : Buffer.from(built.bytes);
    await writeOutput(io, flags.output, bytesReadable(bytes));
    return [];
  }
  const say = statusPrinter(io, flags);
  const tagged: string[] = [];
  await pushIndex(target.target, built, {
    reference: push.reference,
    tags: push.tags,
    signal: io.signal,
    onPushed: () => say(tt`Pushed    ${push.pushed}\n`),
    onTagged: (tag) => {
      tagged.push(tag);
      say(tt`Tagged ${tag}\n`);
    },
  });
  const first = push.reference !== undefined && !isValidDigest(push.reference) ? [push.reference] : [];
  return [...first, ...tagged];
}

/** finish prints `Digest: …` (text), or the model (`--format json|go-template`); nothing after `--output -`. */
function finish(io: CliIo, flags: IndexOutputFlags, target: CliTarget, built: BuiltIndex, tags: string[]): void {
  if (flags.output === '-') return;
  if (!isModelFormat(flags)) {
    io.stdout.write(tt`Digest: ${built.descriptor.digest}\n`);
    return;
  }
  const written = JSON.parse(Buffer.from(built.bytes).toString('utf8')) as { manifests: unknown[] };
  writeModel(io, flags, {
    reference: `${target.name}@${built.descriptor.digest}`,
    ...descriptorJson({
      ...built.descriptor,
      ...(built.index.annotations ? { annotations: built.index.annotations } : {}),
      ...(built.index.artifactType ? { artifactType: built.index.artifactType } : {}),
    }),
    manifests: written.manifests,
    tags,
  });
}

/**
 * sourceReferences checks the sources of `create` before any request: each is a tag or
 * a digest in the index's repository, or (a registry, as ORAS takes it) a full
 * reference into that same repository. It gives the tags or digests to fetch, in
 * order (duplicates kept, as ORAS lists them), and each one's source as typed, which
 * the status lines show.
 */
function sourceReferences(sources: readonly string[], target: CliTarget): { references: string[]; typed: Map<string, string> } {
  const references: string[] = [];
  const typed = new Map<string, string>();
  for (const source of sources) {
    let reference = source;
    if (!isValidDigest(source)) {
      if (target.kind === 'registry' && source.includes('/')) {
        const ref = asUsage(() => parseReference(source));
        if (`${ref.registry}/${ref.repository}` !== target.name) {
          throw new UsageError(`source ${quoted(source)} is not in ${target.name}: an index lists manifests of its own repository`);
        }
        if (ref.digest === undefined && ref.tag === undefined) throw new UsageError(`source ${quoted(source)} names no tag or digest`);
        reference = ref.digest ?? ref.tag!;
      } else {
        asUsage(() => validateTag(source, source));
      }
    }
    references.push(reference);
    if (!typed.has(reference)) typed.set(reference, source);
  }
  return { references, typed };
}

/** splitName is the index operand without its extra tags (`repo:a,b` → `repo:a`): ORAS's raw reference. */
function splitName(input: string): string {
  const comma = input.indexOf(',', input.lastIndexOf('/') + 1);
  return comma === -1 ? input : input.slice(0, comma);
}
