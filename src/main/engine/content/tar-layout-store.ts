import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isValidDigest, parseDigest } from '../digest';
import type { Descriptor, Index } from '../descriptor';
import { OrasError, throwIfAborted } from '../errors';
import { MediaType } from '../media-type';
import { validateTag } from '../reference';
import { fsError } from './fs-error';
import { findTag, parseIndex, tagsOf } from './oci-index';
import { LayoutReferrers, manifestTypeOf, MAX_MANIFEST_BYTES } from './oci-layout-store';
import type { BlobStater, IoOptions, PredecessorFinder, TagLister, Target } from './storage';
import { bindSignal, readVerified, verifiedReadable } from './streams';
import { indexTar, type TarMember } from './tar-index';

/** index.json is read into memory; a larger one is refused. */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/**
 * TarLayoutStore is an OCI image layout kept as a tar archive (`oras backup --output
 * x.tar` writes one; ORAS 1.3's `--oci-layout layout.tar:v1` reads one), read in place:
 * the archive's headers are indexed once (tar-index.ts) and each blob is streamed from
 * its byte range, verified against its descriptor as it is read. Nothing is extracted,
 * so a hostile member name cannot write anywhere; such names are refused all the same.
 * It is read-only, as in ORAS: push, tag and delete are UNSUPPORTED, saying to use a
 * folder instead.
 */
export class TarLayoutStore implements Target, TagLister, PredecessorFinder, BlobStater {
  private readonly referrers = new LayoutReferrers(async () => this.index.manifests, this);

  private constructor(
    readonly file: string,
    private readonly members: Map<string, TarMember>,
    private readonly index: Index,
  ) {}

  /**
   * open indexes the archive at `file` and reads its `oci-layout` (version 1.x) and
   * `index.json`. An archive that is not an OCI layout says which file it lacks.
   */
  static async open(file: string, options: IoOptions = {}): Promise<TarLayoutStore> {
    const absolute = path.resolve(file);
    const members = await indexTar(absolute, options);
    const layout = members.get('oci-layout');
    const indexMember = members.get('index.json');
    if (layout === undefined || indexMember === undefined) {
      throw new OrasError(
        'INVALID_ARGUMENT',
        `${absolute} is a tar archive but not of an OCI image layout: it has no ${layout === undefined ? 'oci-layout' : 'index.json'} file at its top`,
      );
    }
    checkLayoutVersion(await readMember(absolute, layout, 64 * 1024, 'oci-layout'), absolute);
    const index = parseIndex(await readMember(absolute, indexMember, MAX_INDEX_BYTES, 'index.json'), `${absolute} (index.json)`);
    return new TarLayoutStore(absolute, members, index);
  }

  /** fetch streams a blob from its place in the archive, verified against `desc`. */
  async fetch(desc: Descriptor, options: IoOptions = {}): Promise<Readable> {
    throwIfAborted(options.signal);
    const member = this.blob(desc.digest);
    if (member === undefined) throw this.notFound(desc);
    return verifiedReadable(this.bytes(member, 0, member.size), desc, `${desc.mediaType} ${desc.digest} in ${this.file}`, options.signal);
  }

  /** fetchRange streams bytes `start` to `end` (inclusive) of a blob, unverified (a part has no digest). */
  async fetchRange(desc: Descriptor, start: number, end?: number, options: IoOptions = {}): Promise<Readable> {
    throwIfAborted(options.signal);
    const member = this.blob(desc.digest);
    if (member === undefined) throw this.notFound(desc);
    const last = end ?? member.size - 1;
    if (!Number.isSafeInteger(start) || start < 0 || last < start || last >= member.size) {
      throw new OrasError('INVALID_ARGUMENT', `blob ${desc.digest}: range ${start}-${last} is outside its ${member.size} bytes`);
    }
    return bindSignal(this.bytes(member, start, last - start + 1), options.signal);
  }

  async exists(desc: Descriptor, options: IoOptions = {}): Promise<boolean> {
    throwIfAborted(options.signal);
    return this.blob(desc.digest) !== undefined;
  }

  /** statBlob describes a blob by digest alone (size from the archive). */
  async statBlob(digest: string, options: IoOptions = {}): Promise<Descriptor> {
    throwIfAborted(options.signal);
    const member = this.blob(digest);
    if (member === undefined) throw new OrasError('NOT_FOUND', `blob ${digest} is not in the OCI layout archive ${this.file}`);
    return { mediaType: 'application/octet-stream', digest, size: member.size };
  }

  /** resolve finds a manifest by tag (index.json's ref.name) or by digest, as OciLayoutStore does. */
  async resolve(reference: string, options: IoOptions = {}): Promise<Descriptor> {
    throwIfAborted(options.signal);
    if (reference === '') throw new OrasError('INVALID_REFERENCE', 'cannot resolve an empty reference: give a tag or a digest');
    const tagged = findTag(this.index, reference);
    if (tagged !== undefined) return tagged;
    if (isValidDigest(reference)) {
      const listed = this.index.manifests.find((m) => m.digest === reference);
      if (listed !== undefined) return { mediaType: listed.mediaType, digest: listed.digest, size: listed.size };
      return this.resolveManifestBlob(reference, options.signal);
    }
    validateTag(reference);
    throw new OrasError('NOT_FOUND', `tag ${JSON.stringify(reference)} is not in the OCI layout archive ${this.file}`);
  }

  /** tags lists index.json's tags in ascending order, those after `last` when given. */
  async *tags(options: IoOptions & { last?: string } = {}): AsyncIterable<string> {
    throwIfAborted(options.signal);
    for (const tag of tagsOf(this.index)) {
      if (options.last === undefined || tag > options.last) yield tag;
    }
  }

  /** predecessors lists the manifests whose `subject` is `desc`; the first call reads every listed manifest once. */
  async predecessors(desc: Descriptor, options: IoOptions & { artifactType?: string } = {}): Promise<Descriptor[]> {
    return this.referrers.list(desc.digest, options.artifactType, options.signal);
  }

  push(desc: Descriptor, content: Readable): Promise<void> {
    content.destroy();
    return Promise.reject(this.readOnly(`store ${desc.digest}`));
  }

  tag(_desc: Descriptor, reference: string): Promise<void> {
    return Promise.reject(this.readOnly(`tag ${JSON.stringify(reference)}`));
  }

  private readOnly(action: string): OrasError {
    return new OrasError(
      'UNSUPPORTED',
      `cannot ${action} in ${this.file}: an OCI layout in a tar archive is read-only. Extract it into a folder (tar -xf) and use the folder, or write to a folder instead`,
    );
  }

  private blob(digest: string): TarMember | undefined {
    // parseDigest admits only `algorithm:hex`, so the name is always blobs/<alg>/<hex>.
    const { algorithm, encoded } = parseDigest(digest);
    return this.members.get(`blobs/${algorithm}/${encoded}`);
  }

  private bytes(member: TarMember, start: number, length: number): Readable {
    if (length === 0) return Readable.from([]);
    return createReadStream(this.file, { start: member.offset + start, end: member.offset + start + length - 1 });
  }

  private notFound(desc: Descriptor): OrasError {
    return new OrasError('NOT_FOUND', `${desc.mediaType} ${desc.digest} is not in the OCI layout archive ${this.file}`);
  }


  /** resolveManifestBlob resolves a digest index.json does not list, if its blob is a manifest. */
  private async resolveManifestBlob(digest: string, signal?: AbortSignal): Promise<Descriptor> {
    const member = this.blob(digest);
    const notFound = new OrasError('NOT_FOUND', `no manifest with digest ${digest} is in the OCI layout archive ${this.file}`);
    if (member === undefined || member.size > MAX_MANIFEST_BYTES) throw notFound;
    const probe: Descriptor = { mediaType: MediaType.ImageManifest, digest, size: member.size };
    const mediaType = manifestTypeOf(await readVerified(await this.fetch(probe), probe, { maxBytes: MAX_MANIFEST_BYTES, signal }));
    if (mediaType === undefined) throw notFound;
    return { mediaType, digest, size: member.size };
  }
}

/** readMember reads a small member whole, refusing one over `maxBytes`. */
async function readMember(file: string, member: TarMember, maxBytes: number, what: string): Promise<string> {
  if (member.size > maxBytes) throw new OrasError('SIZE_LIMIT', `${file}: its ${what} is ${member.size} bytes, more than the ${maxBytes} allowed`);
  const handle = await open(file, 'r').catch((err: unknown) => {
    throw fsError(err, 'open', file);
  });
  try {
    const buffer = Buffer.alloc(member.size);
    const { bytesRead } = await handle.read(buffer, 0, member.size, member.offset);
    if (bytesRead < member.size) throw new OrasError('INVALID_ARGUMENT', `${file} ends inside its ${what}`);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

function checkLayoutVersion(text: string, file: string): void {
  let version: unknown;
  try {
    version = (JSON.parse(text) as { imageLayoutVersion?: unknown } | null)?.imageLayoutVersion;
  } catch {
    throw new OrasError('INVALID_ARGUMENT', `${file} is not a valid OCI image layout: its oci-layout file is not JSON`);
  }
  if (typeof version !== 'string' || !/^1\.\d+\.\d+$/.test(version)) {
    throw new OrasError('INVALID_ARGUMENT', `${file} has an OCI layout of version ${JSON.stringify(version)}; only version 1.x layouts are supported`);
  }
}
