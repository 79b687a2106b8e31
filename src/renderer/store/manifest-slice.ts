import type { AddTagsRequest, BlobPreview, BlobRef, DeleteManifestRequest, ManifestDetails, ManifestRef, ReferrerNode, ReferrersRequest } from '../../shared/contract';
import type { SliceCreator } from './types';

/**
 * The manifest slice: what the manifest and blob views load and change. Like the
 * browse loaders these throw a ServiceError: each view keeps its own loading and error
 * state (and drops answers that arrive after the user moved on). Nothing is cached
 * here: main caches manifests by digest, and a tag may move at any time.
 */
export interface ManifestActions {
  loadManifest(request: ManifestRef): Promise<ManifestDetails>;
  loadReferrers(request: ReferrersRequest): Promise<ReferrerNode>;
  /** previewBlob reads a blob's size and first 64 KiB. */
  previewBlob(request: BlobRef): Promise<BlobPreview>;
  /** addTags points tags at a manifest and forgets the repository's cached tag pages. */
  addTags(request: AddTagsRequest): Promise<string[]>;
  /** deleteManifest deletes by digest (or a tag) and forgets the repository's cached tag pages; answers the digest. */
  deleteManifest(request: DeleteManifestRequest): Promise<string>;
}

export const createManifestSlice: SliceCreator<ManifestActions> = ({ services }) => (_set, get) => ({
  loadManifest: (request) => services.browse.manifest(request),
  loadReferrers: (request) => services.browse.referrers(request),
  previewBlob: (request) => services.browse.blob(request),
  async addTags(request) {
    const tagged = await services.browse.addTags(request);
    get().forgetRepository(request.registry, request.repository);
    return tagged;
  },
  async deleteManifest(request) {
    const deleted = await services.browse.deleteManifest(request);
    get().forgetRepository(request.registry, request.repository);
    return deleted;
  },
});
