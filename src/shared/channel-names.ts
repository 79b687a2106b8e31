/**
 * The contract's names, without its schemas: what the sandboxed preload needs, kept
 * free of zod so the preload stays a few kilobytes. `contract.ts` re-exports all of it
 * and checks that every name here has a schema there.
 */

/** methods names `window.oras`'s methods: one per channel. */
export const methods = {
  appInfo: 'app.info',
  listRegistries: 'registries.list',
  addRegistry: 'registries.add',
  testRegistry: 'registries.test',
  updateRegistry: 'registries.update',
  logoutRegistry: 'registries.logout',
  removeRegistry: 'registries.remove',
  cancelJob: 'jobs.cancel',
  stageFiles: 'files.stage',
  pickFolder: 'files.pickFolder',
  listRepositories: 'browse.repositories',
  listTags: 'browse.tags',
  tagDetails: 'browse.tagDetails',
  getManifest: 'browse.manifest',
  listReferrers: 'browse.referrers',
  previewBlob: 'browse.blob',
  addTags: 'tags.add',
  deleteManifest: 'manifests.delete',
  downloadBlob: 'downloads.blob',
  downloadPull: 'downloads.pull',
  getDraft: 'drafts.get',
  saveDraft: 'drafts.save',
  discardDraft: 'drafts.discard',
  suggestMediaTypes: 'push.suggestMediaTypes',
  validateDraft: 'push.validate',
  previewPush: 'push.preview',
  runPush: 'push.run',
  jobOutcome: 'push.outcome',
  copyArtifact: 'artifacts.copy',
} as const;

export type MethodName = keyof typeof methods;

/** Channel is a channel's name; every channel has exactly one method. */
export type Channel = (typeof methods)[MethodName];

/** eventNames lists the events main sends to the page. */
export const eventNames = ['job.progress', 'job.state'] as const;
export type EventName = (typeof eventNames)[number];

/** IPC channel names carry a prefix so nothing else on ipcMain can be reached. */
export const ipcChannel = (channel: Channel | EventName): string => `oras:${channel}`;
