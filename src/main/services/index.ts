import { homedir } from 'node:os';
import path from 'node:path';
import { BrowseService } from './browse/browse-service';
import { DownloadService, type DesktopDialogs } from './browse/download-service';
import { BrowseTargets } from './browse/targets';
import { DownloadOffers } from './downloads';
import { EventBus } from './events';
import { JobsService } from './jobs';
import type { LoginBackend } from './login-backend';
import { PushDrafts } from './push/draft-store';
import { PushService } from './push/push-service';
import { RegistriesService, type Reachability } from './registries';
import { SettingsStore } from './settings';
import { StagingArea } from './staging';
import { DigestCache } from '../engine/content/digest-cache';

/** LOCAL_LAYOUT_DIR is the built-in OCI layout's folder inside the data folder. */
export const LOCAL_LAYOUT_DIR = 'oci-layout';
/** `<dataDir>/push-command`: the folder of links the preview's `oras push` line runs in (see prepareCommandFolder). */
export const COMMAND_FOLDERS_DIR = 'push-command';
/** APP_DIR_NAME is the data folder's name under the user's config folder (Electron's userData on Linux). */
export const APP_DIR_NAME = 'oras-desktop';

/**
 * resolveDataDir picks the data folder: `--data-dir`, else `ORAS_DESKTOP_DATA_DIR`,
 * else `fallback` (Electron's userData), else `$XDG_CONFIG_HOME/oras-desktop`, else
 * `~/.config/oras-desktop`. Relative paths are taken from the working folder.
 */
export function resolveDataDir(options: { flag?: string; fallback?: string; env?: NodeJS.ProcessEnv; home?: string } = {}): string {
  const env = options.env ?? process.env;
  const chosen = options.flag || env['ORAS_DESKTOP_DATA_DIR'] || options.fallback;
  if (chosen) return path.resolve(chosen);
  const config = env['XDG_CONFIG_HOME'] || path.join(options.home ?? homedir(), '.config');
  return path.resolve(config, APP_DIR_NAME);
}

/** AppServices is everything the handlers call, built once per process (or per browser-mode server). */
export interface AppServices {
  readonly dataDir: string;
  readonly events: EventBus;
  readonly jobs: JobsService;
  readonly settings: SettingsStore;
  readonly registries: RegistriesService;
  readonly staging: StagingArea;
  readonly downloads: DownloadOffers;
  /** Repositories, tags, manifests, referrers, blobs of registries and the local store; tag and delete. */
  readonly browse: BrowseService;
  /** Blob and pull downloads as jobs (Electron: save dialogs; browser mode: browser downloads). */
  readonly downloadJobs: DownloadService;
  /** The push composer's draft, kept in `<dataDir>/push-draft.json` until pushed or discarded. */
  readonly drafts: PushDrafts;
  /** Media-type suggestions, the push preview, push/attach and copy jobs. */
  readonly push: PushService;
  /** dispose cancels running jobs, removes staged uploads and closes registry connections. */
  dispose(): Promise<void>;
}

export interface ServicesOptions {
  dataDir: string;
  logins: LoginBackend;
  /** For tests: how a registry without a login is checked. */
  reachable?: Reachability;
  /** For tests: where the staging folder is made. Default: the system temp folder. */
  stagingParent?: string;
  /** Electron's save and folder dialogs; absent in browser mode (downloads go to the browser). */
  dialogs?: DesktopDialogs;
}

/**
 * createServices wires the services over one data folder:
 *
 *   <dataDir>/settings.json   saved registries and their connection options (no secrets)
 *   <dataDir>/oci-layout/     the local OCI image layout, the app's default target
 *   <dataDir>/push-command/   links the push preview's command line runs among
 */
export function createServices(options: ServicesOptions): AppServices {
  const events = new EventBus();
  const jobs = new JobsService({ events });
  const settings = new SettingsStore(options.dataDir);
  const registries = new RegistriesService({
    localLayoutPath: path.join(options.dataDir, LOCAL_LAYOUT_DIR),
    settings,
    logins: options.logins,
    reachable: options.reachable,
  });
  // One digest cache: uploads are hashed as they arrive, so the preview reads them no more.
  const digestCache = new DigestCache();
  const staging = new StagingArea({ parent: options.stagingParent, digestCache });
  const downloads = new DownloadOffers();
  const targets = new BrowseTargets({
    localRoot: path.join(options.dataDir, LOCAL_LAYOUT_DIR),
    connection: async (registry) => (await settings.get(registry))?.options,
    credentials: options.logins.provider(),
  });
  const browse = new BrowseService(targets);
  const downloadJobs = new DownloadService({ browse, jobs, offers: downloads, ...(options.dialogs ? { dialogs: options.dialogs } : {}) });
  const drafts = new PushDrafts(options.dataDir, staging);
  const push = new PushService({
    drafts,
    targets,
    jobs,
    localRoot: path.join(options.dataDir, LOCAL_LAYOUT_DIR),
    connection: async (registry) => (await settings.get(registry))?.options,
    digestCache,
    commandRoot: path.join(options.dataDir, COMMAND_FOLDERS_DIR),
  });
  return {
    dataDir: options.dataDir,
    events,
    jobs,
    settings,
    registries,
    staging,
    downloads,
    browse,
    downloadJobs,
    drafts,
    push,
    async dispose() {
      jobs.cancelAll();
      downloads.clear();
      await Promise.all([staging.dispose(), targets.dispose()]);
    },
  };
}
