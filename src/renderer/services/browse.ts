import type {
  AddTagsRequest,
  BlobPreview,
  BlobRef,
  DeleteManifestRequest,
  DownloadBlobRequest,
  DownloadPullRequest,
  DownloadStarted,
  ListRepositoriesRequest,
  ListTagsRequest,
  ManifestDetails,
  ManifestRef,
  ReferrerNode,
  ReferrersRequest,
  RepositoriesPage,
  TagDetail,
  TagDetailsRequest,
  TagsPage,
} from '../../shared/contract';
import { call, windowApi, type ApiSource } from './oras';

/**
 * BrowseService wraps the browse, tag, delete and download methods of `window.oras`:
 * each resolves to the value or throws a ServiceError with the contract's code and
 * message. Store actions and views' loaders call it; components never call IPC.
 */
export interface BrowseService {
  repositories(request: ListRepositoriesRequest): Promise<RepositoriesPage>;
  tags(request: ListTagsRequest): Promise<TagsPage>;
  tagDetails(request: TagDetailsRequest): Promise<TagDetail[]>;
  manifest(request: ManifestRef): Promise<ManifestDetails>;
  referrers(request: ReferrersRequest): Promise<ReferrerNode>;
  blob(request: BlobRef): Promise<BlobPreview>;
  addTags(request: AddTagsRequest): Promise<string[]>;
  /** deleteManifest answers the digest that was deleted. */
  deleteManifest(request: DeleteManifestRequest): Promise<string>;
  downloadBlob(request: DownloadBlobRequest): Promise<DownloadStarted>;
  downloadPull(request: DownloadPullRequest): Promise<DownloadStarted>;
  cancelJob(jobId: string): Promise<boolean>;
}

export function createBrowseService(source: ApiSource = windowApi): BrowseService {
  return {
    repositories: (request) => call(source, (api) => api.listRepositories(request)),
    tags: (request) => call(source, (api) => api.listTags(request)),
    tagDetails: (request) => call(source, (api) => api.tagDetails(request)),
    manifest: (request) => call(source, (api) => api.getManifest(request)),
    referrers: (request) => call(source, (api) => api.listReferrers(request)),
    blob: (request) => call(source, (api) => api.previewBlob(request)),
    addTags: async (request) => (await call(source, (api) => api.addTags(request))).tagged,
    deleteManifest: async (request) => (await call(source, (api) => api.deleteManifest(request))).deleted,
    downloadBlob: (request) => call(source, (api) => api.downloadBlob(request)),
    downloadPull: (request) => call(source, (api) => api.downloadPull(request)),
    cancelJob: async (jobId) => (await call(source, (api) => api.cancelJob({ jobId }))).cancelled,
  };
}
