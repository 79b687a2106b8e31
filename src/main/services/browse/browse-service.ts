import type {
  BlobPreview,
  ListRepositoriesRequest,
  ListTagsRequest,
  ManifestDetails,
  ReferrerNode,
  RepositoriesPage,
  TagDetail,
  TagsPage,
} from '../../../shared/browse';
import { LOCAL_REGISTRY, PREVIEW_BYTES } from '../../../shared/browse';
import type { Descriptor } from '../../engine/descriptor';
import { isValidDigest, verifyBytes } from '../../engine/digest';
import { OrasError, isOrasError } from '../../engine/errors';
import { discover, type ReferrerNode as EngineReferrerNode } from '../../engine/oras/discover';
import { readCapped } from '../../engine/transport/http';
import { descriptorInfo, ManifestReader } from './manifest-reader';
import { TagDetailsReader } from './tag-details';
import type { BrowseTarget, BrowseTargets } from './targets';

/** DEFAULT_PAGE: names a list page holds when the page does not say. */
export const DEFAULT_PAGE = 1000;

/**
 * BrowseService answers the browse, tag and delete channels over BrowseTargets: one
 * page of repositories or tags, tag details, a manifest, its referrers, a blob's first
 * bytes; adding tags and deleting. Every read is verified where it can be (manifests
 * and whole blobs against their digests); nothing is read whole that could be large.
 */
export class BrowseService {
  private readonly manifests = new ManifestReader();
  private readonly tagDetailsReader = new TagDetailsReader(this.manifests);

  constructor(readonly targets: BrowseTargets) {}

  /**
   * repositories gives one page of the catalog. A registry that refuses or lacks
   * `/v2/_catalog` (401, 403, 404, 405) gets `catalog: 'unavailable'` and a line
   * saying so, unless the login itself is refused (that stays UNAUTHORIZED).
   */
  async repositories(request: ListRepositoriesRequest, signal?: AbortSignal): Promise<RepositoriesPage> {
    const pageSize = request.pageSize ?? DEFAULT_PAGE;
    if (request.registry === LOCAL_REGISTRY) {
      return pageOf(await this.targets.localRepositories(), request.last, pageSize, (items, next) => ({ repositories: items, catalog: 'listed', ...next }));
    }
    const registry = await this.targets.registry(request.registry);
    try {
      const page = fitPage(await registry.catalogPage({ last: request.last, pageSize, signal }), request.last, pageSize);
      return { repositories: page.items, catalog: 'listed', ...(page.next ? { next: page.next } : {}) };
    } catch (error) {
      if (!catalogRefused(error)) throw error;
      // A 401 may be the catalog's scope refused, or the login refused: ask /v2/.
      if (isOrasError(error, 'UNAUTHORIZED')) await registry.ping(signal);
      return {
        repositories: [],
        catalog: 'unavailable',
        message: `${registry.name} does not list its repositories: open one by name`,
      };
    }
  }

  /** tags gives one page of a repository's tags (Link paging on a registry). */
  async tags(request: ListTagsRequest, signal?: AbortSignal): Promise<TagsPage> {
    const pageSize = request.pageSize ?? DEFAULT_PAGE;
    const open = await this.targets.open(request.registry, request.repository);
    if (open.kind === 'local') {
      const all: string[] = [];
      for await (const tag of open.layout.tags({ signal })) all.push(tag);
      return pageOf(all.sort(), request.last, pageSize, (items, next) => ({ tags: items, ...next }));
    }
    const page = fitPage(await open.repository.tagsPage({ last: request.last, pageSize, signal }), request.last, pageSize);
    return { tags: page.items, ...(page.next ? { next: page.next } : {}) };
  }

  /** tagDetails: digest, media type, artifact type, size and created of each tag (see TagDetailsReader). */
  async tagDetails(request: { registry: string; repository: string; tags: string[] }, signal?: AbortSignal): Promise<TagDetail[]> {
    const open = await this.targets.open(request.registry, request.repository);
    return this.tagDetailsReader.details(request.registry, request.repository, open, request.tags, signal);
  }

  /** manifest reads a manifest by tag or digest: its descriptor (with its digest), exact text, created and total size. */
  async manifest(request: { registry: string; repository: string; reference: string }, signal?: AbortSignal): Promise<ManifestDetails> {
    const open = await this.targets.open(request.registry, request.repository);
    const read = await this.manifests.read(request.registry, request.repository, open, request.reference, signal);
    const descriptor = descriptorInfo(read.descriptor);
    if (read.summary.artifactType) descriptor.artifactType = read.summary.artifactType;
    return { descriptor, raw: read.raw, ...(read.created ? { created: read.created } : {}), totalSize: read.totalSize };
  }

  /** referrers lists what refers to a manifest, as a tree (referrers API, or the tag-schema fallback). */
  async referrers(request: { registry: string; repository: string; digest: string; depth?: number }, signal?: AbortSignal): Promise<ReferrerNode> {
    const open = await this.targets.open(request.registry, request.repository);
    const tree = await discover(open.target, request.digest, { signal, depth: request.depth ?? 3 });
    const convert = (node: EngineReferrerNode): ReferrerNode => ({ descriptor: descriptorInfo(node.descriptor), referrers: node.referrers.map(convert) });
    return convert(tree);
  }

  /**
   * blob gives a blob's size and first PREVIEW_BYTES, read by `Range`; a blob that
   * small is read whole and verified (`complete`). Never more is read.
   */
  async blob(request: { registry: string; repository: string; digest: string; mediaType?: string }, signal?: AbortSignal): Promise<BlobPreview> {
    const open = await this.targets.open(request.registry, request.repository);
    const { size } = await open.target.statBlob(request.digest, { signal });
    const desc: Descriptor = { mediaType: 'application/octet-stream', digest: request.digest, size };
    const complete = size <= PREVIEW_BYTES;
    let head: Buffer;
    if (size === 0) {
      head = Buffer.alloc(0);
      verifyBytes(head, desc, `blob ${request.digest}`);
    } else {
      const stream = complete ? await this.wholeBlob(open, desc, signal) : await open.target.fetchRange(desc, 0, PREVIEW_BYTES - 1, { signal });
      const tooMuch = () => new OrasError('REGISTRY_ERROR', `blob ${request.digest}: the registry sent more than the ${PREVIEW_BYTES} bytes asked for`);
      head = await readCapped(stream, PREVIEW_BYTES, tooMuch);
    }
    return {
      digest: request.digest,
      size,
      ...(request.mediaType ? { mediaType: request.mediaType } : {}),
      head: head.toString('base64'),
      complete,
    };
  }

  /** addTags points each tag at the manifest of `digest`. */
  async addTags(request: { registry: string; repository: string; digest: string; tags: string[] }, signal?: AbortSignal): Promise<{ tagged: string[] }> {
    const open = await this.targets.open(request.registry, request.repository);
    const desc = await open.target.resolve(request.digest, { signal });
    const tagged: string[] = [];
    for (const tag of request.tags) {
      await open.target.tag(desc, tag, { signal });
      tagged.push(tag);
    }
    return { tagged };
  }

  /**
   * deleteManifest deletes by digest (the manifest and every tag on it) or a tag alone
   * where the registry can (OCI distribution 1.1; a local layout always can). A
   * registry that only deletes by digest, or not at all, is answered UNSUPPORTED in
   * words a person can act on.
   */
  async deleteManifest(request: { registry: string; repository: string; reference: string }, signal?: AbortSignal): Promise<{ deleted: string }> {
    const open = await this.targets.open(request.registry, request.repository);
    const desc = await open.target.resolve(request.reference, { signal });
    const where = request.registry === LOCAL_REGISTRY ? 'the local store' : request.registry;
    if (isValidDigest(request.reference)) {
      try {
        await open.target.delete(desc, { signal });
      } catch (error) {
        if (deleteRefused(error)) {
          throw new OrasError('UNSUPPORTED', `${where} does not allow deleting manifests (it answered 405); its administrator can enable deletes`, { cause: error });
        }
        throw error;
      }
      return { deleted: desc.digest };
    }
    if (open.kind === 'local') {
      await open.layout.untag(request.reference, { signal });
      return { deleted: desc.digest };
    }
    try {
      await open.repository.untag(request.reference, { signal });
    } catch (error) {
      if (isOrasError(error, 'UNAUTHORIZED') || isOrasError(error, 'DENIED') || isOrasError(error, 'ABORTED') || isOrasError(error, 'NETWORK')) throw error;
      // Distribution 2.8 answers 400 DIGEST_INVALID when deletes are on (it deletes by
      // digest only) and 405 UNSUPPORTED when they are off; a 405 alone cannot tell which.
      throw new OrasError(
        'UNSUPPORTED',
        deleteRefused(error)
          ? `${where} refused to delete the tag ${request.reference} (405): it does not allow deletes, or deletes manifests only by digest, which removes every tag on it`
          : `${where} deletes manifests only by digest, which removes every tag on it; it refused to delete the tag ${request.reference} alone`,
        { cause: error },
      );
    }
    return { deleted: desc.digest };
  }

  private async wholeBlob(open: BrowseTarget, desc: Descriptor, signal?: AbortSignal) {
    if (open.kind === 'remote') return open.repository.fetch(desc, { signal });
    return open.layout.fetch(desc, { signal });
  }
}

/**
 * fitPage makes a registry's page the page asked for. Registries may ignore `n` and
 * `last` (distribution 2.8 answers every tag at once): then the names after `last` are
 * cut to `size` here, and the next page continues after the last one kept.
 */
function fitPage(page: { items: string[]; next?: string }, last: string | undefined, size: number): { items: string[]; next?: string } {
  const after = last === undefined ? page.items : page.items.filter((name) => name > last);
  if (after.length <= size) return { items: after, ...(page.next ? { next: page.next } : {}) };
  const items = [...after].sort().slice(0, size);
  return { items, next: items[items.length - 1]! };
}

/** pageOf cuts one page out of a sorted list of names: those after `last`, up to `size`. */
function pageOf<T>(sorted: string[], last: string | undefined, size: number, make: (items: string[], next: { next?: string }) => T): T {
  const start = last === undefined ? 0 : sorted.findIndex((name) => name > last);
  const from = start === -1 ? sorted.length : start;
  const items = sorted.slice(from, from + size);
  const more = from + size < sorted.length;
  return make(items, more ? { next: items[items.length - 1] } : {});
}

function catalogRefused(error: unknown): boolean {
  if (!isOrasError(error)) return false;
  if (['UNAUTHORIZED', 'DENIED', 'NOT_FOUND', 'UNSUPPORTED'].includes(error.code)) return true;
  return error.response?.status === 405;
}

function deleteRefused(error: unknown): boolean {
  return isOrasError(error) && (error.code === 'UNSUPPORTED' || error.response?.status === 405);
}
