import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import { isBlobStater, isDeleter } from '../../main/engine/content/storage';
import { digestFile } from '../../main/engine/content/file-digest';
import { FILE_READ_CHUNK } from '../../main/engine/content/streams';
import type { Descriptor } from '../../main/engine/descriptor';
import { Digester, parseDigest, type DigestAlgorithm } from '../../main/engine/digest';
import { cut } from '../../main/engine/echo';
import { isOrasError, OrasError } from '../../main/engine/errors';
import { assertMediaType, isManifestMediaType } from '../../main/engine/media-type';
import { nodeReason } from '../../main/engine/node-errors';

import { addTargetOptions, withTargets, type TargetFlags } from '../command-kit';
import { assertCanConfirm, confirm } from '../confirm';
import { UsageError, asUsage } from '../errors';
import { descriptorJson, shortDigest, writeDescriptor, writeJson } from '../format';
import type { CliIo } from '../io';
import { addFormatOption, type OutputFormat } from '../options';
import { writeOutput } from '../output-file';
import { tt } from '../terminal-text';

/** The media type a deleted blob is described with (the registry's HEAD says none). */
const OCTET_STREAM = 'application/octet-stream';

/** BLOB_PUSH_MEDIA_TYPE: what ORAS's `blob push` describes a blob as unless --media-type says otherwise. */
const BLOB_PUSH_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar';

export function registerBlob(program: Command, io: CliIo): void {
  const blob = program.command('blob').description('Fetch, push and delete blobs');
  registerFetch(blob, io);
  registerPush(blob, io);
  registerDelete(blob, io);
}

type FetchFlags = TargetFlags & { format: OutputFormat; output?: string; descriptor?: boolean; pretty?: boolean };

function registerFetch(parent: Command, io: CliIo): void {
  const cmd = parent
    .command('fetch')
    .alias('get')
    .description('Download a blob to a file (-o FILE) or stdout (-o -)')
    .argument('<name>', '<registry>/<repository>@<digest>')
    .option('-o, --output <file>', 'where to write the blob ("-" for stdout)')
    .option('--descriptor', "print the blob's descriptor (one line; indented with --pretty)")
    .option('--pretty', 'indent the descriptor');
  addTargetOptions(addFormatOption(cmd, ['text', 'json'] as const, 'text'));
  cmd.action(async (name: string, flags: FetchFlags) => {
    if (flags.output === undefined && !flags.descriptor && flags.format !== 'json') {
      throw new UsageError('say where the blob goes: -o <file>, or -o - for stdout (or --descriptor to print its descriptor)');
    }
    if (flags.output === '-' && flags.descriptor) throw new UsageError('--output - cannot be used with --descriptor at the same time');
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, needs: 'digest' } }], async ([target]) => {
      const source = target!.target;
      if (!isBlobStater(source)) throw new OrasError('UNSUPPORTED', `${target!.name} cannot describe a blob by its digest`);
      const desc = await source.statBlob(target!.reference!, { signal: io.signal });
      if (flags.descriptor) writeDescriptor(io, desc, flags.pretty);
      else if (flags.format === 'json') writeJson(io.stdout, { reference: `${target!.name}@${desc.digest}`, ...descriptorJson(desc) });
      if (flags.output === undefined) return;
      await writeOutput(io, flags.output, await target!.target.fetch(desc, { signal: io.signal }));
    });
  });
}

type PushFlags = TargetFlags & { format: OutputFormat; mediaType: string; size?: string; descriptor?: boolean; pretty?: boolean };

/** spoolStdin copies stdin to a private temp file, hashing it on the way. */
async function spoolStdin(io: CliIo, algorithm: DigestAlgorithm): Promise<{ file: string; digest: string; size: number }> {
  const file = path.join(tmpdir(), `oras-blob-${randomBytes(8).toString('hex')}`);
  const digester = new Digester(algorithm);
  try {
    await pipeline(
      io.stdin,
      new Transform({
        transform(chunk: Buffer, _enc, callback) {
          digester.update(chunk);
          callback(null, chunk);
        },
      }),
      createWriteStream(file, { flags: 'wx', mode: 0o600 }),
      { signal: io.signal },
    );
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
  return { file, digest: digester.digest(), size: digester.size };
}

function registerPush(parent: Command, io: CliIo): void {
  const cmd = parent
    .command('push')
    .description('Upload a file ("-" for stdin) as a blob')
    .argument('<name>', '<registry>/<repository>[@<digest>]')
    .argument('<file>', 'file to upload, or "-" for stdin')
    .addOption(new Option('--media-type <type>', 'media type of the blob (shown by --descriptor)').default(BLOB_PUSH_MEDIA_TYPE))
    .option('--size <bytes>', 'expected size, checked')
    .option('--descriptor', "print the blob's descriptor (one line; indented with --pretty)")
    .option('--pretty', 'indent the descriptor');
  addTargetOptions(addFormatOption(cmd, ['text', 'json'] as const, 'text'));
  cmd.action(async (name: string, file: string, flags: PushFlags) => {
    asUsage(() => assertMediaType(flags.mediaType, '--media-type'));
    if (flags.size !== undefined && !/^\d+$/.test(flags.size)) throw new UsageError(`--size ${JSON.stringify(flags.size)} is not a whole number of bytes`);
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout }, create: true }], async ([target]) => {
      if (target!.reference !== undefined && !target!.reference.includes(':')) {
        throw new UsageError(`${name}: a blob has no tag; give <name> or <name>@<digest>`);
      }
      const algorithm = target!.reference ? parseDigest(target!.reference).algorithm : 'sha256';
      let spooled: string | undefined;
      try {
        let source: string;
        let computed: { digest: string; size: number };
        if (file === '-') {
          const s = await spoolStdin(io, algorithm);
          spooled = source = s.file;
          computed = s;
        } else {
          source = path.resolve(io.cwd, file);
          const info = await stat(source).catch((err: NodeJS.ErrnoException) => {
            throw new UsageError(`cannot read ${cut(file)}: ${err.code === 'ENOENT' ? 'it does not exist' : nodeReason(err)}`);
          });
          if (!info.isFile()) throw new UsageError(`${cut(file)} is not a file`);
          computed = await digestFile(source, { algorithm, signal: io.signal });
        }
        if (target!.reference && target!.reference !== computed.digest) {
          throw new UsageError(`the content's digest is ${computed.digest}, not ${target!.reference} as the reference says`);
        }
        if (flags.size !== undefined && Number(flags.size) !== computed.size) {
          throw new UsageError(`the content is ${computed.size} bytes, not ${flags.size} as --size says`);
        }
        const desc: Descriptor = { mediaType: flags.mediaType, digest: computed.digest, size: computed.size };
        if (isManifestMediaType(desc.mediaType)) throw new UsageError('use `oras manifest push` for manifests');
        const exists = await target!.target.exists(desc, { signal: io.signal });
        // ORAS's status lines (status/text.go), left out when the output is a descriptor or JSON.
        const status = flags.descriptor || flags.format === 'json' ? () => undefined : (what: string) => io.stdout.write(tt`${what} ${shortDigest(desc.digest)} ${desc.mediaType}\n`);
        if (exists) status('Exists   ');
        else {
          status('Uploading');
          await target!.target.push(desc, createReadStream(source, { highWaterMark: FILE_READ_CHUNK }), { signal: io.signal, reopen: async () => createReadStream(source, { highWaterMark: FILE_READ_CHUNK }) });
          status('Uploaded ');
        }
        if (flags.descriptor) {
          writeDescriptor(io, desc, flags.pretty);
          return;
        }
        if (flags.format === 'json') {
          writeJson(io.stdout, { reference: `${target!.name}@${desc.digest}`, ...descriptorJson(desc) });
          return;
        }
        io.stdout.write(tt`Pushed: [${target!.kind}] ${name}\nDigest: ${desc.digest}\n`);
      } finally {
        if (spooled) await rm(spooled, { force: true });
      }
    });
  });
}

type DeleteFlags = TargetFlags & { format: OutputFormat; force?: boolean; descriptor?: boolean; pretty?: boolean };

function registerDelete(parent: Command, io: CliIo): void {
  const cmd = parent
    .command('delete')
    .aliases(['rm', 'remove'])
    .description('Delete a blob')
    .argument('<name>', '<registry>/<repository>@<digest>')
    .option('-f, --force', 'delete without asking; a blob that is not there is reported as Missing, not an error')
    .option('--descriptor', "print the deleted blob's descriptor (one line; indented with --pretty)")
    .option('--pretty', 'indent the descriptor');
  addTargetOptions(addFormatOption(cmd, ['text', 'json'] as const, 'text'));
  cmd.action(async (name: string, flags: DeleteFlags) => {
    assertCanConfirm(io, flags.force, 'deleting a blob');
    await withTargets(io, flags, [{ input: name, options: { ociLayout: flags.ociLayout, needs: 'digest' } }], async ([target]) => {
      const store = target!.target;
      if (!isDeleter(store)) throw new OrasError('UNSUPPORTED', `${target!.name} cannot delete blobs`);
      const digest = target!.reference!;
      // Described first, as ORAS resolves it: a blob that is not there is Missing with --force.
      const desc = isBlobStater(store)
        ? await store.statBlob(digest, { signal: io.signal }).catch((err: unknown) => {
            if (!isOrasError(err, 'NOT_FOUND')) throw err;
            return undefined;
          })
        : { mediaType: OCTET_STREAM, digest, size: 0 };
      if (desc === undefined) {
        if (flags.force && !flags.descriptor) {
          io.stdout.write(tt`Missing ${name}\n`);
          return;
        }
        throw new OrasError('NOT_FOUND', `${name}: the specified blob does not exist`);
      }
      if (!flags.force && !(await confirm(io, tt`Are you sure you want to delete the blob ${digest}?`))) {
        io.stderr.write('Not deleted.\n');
        return;
      }
      await store.delete(desc, { signal: io.signal });
      if (flags.descriptor) writeDescriptor(io, desc, flags.pretty);
      else if (flags.format === 'json') writeJson(io.stdout, { reference: `${target!.name}@${digest}`, digest, deleted: true });
      else io.stdout.write(tt`Deleted [${target!.kind}] ${name}\n`);
    });
  });
}
