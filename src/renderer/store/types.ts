import type { StateCreator } from 'zustand/vanilla';
import type { AddRegistryRequest, AppInfo, RegistryEntry } from '../../shared/contract';
import type { ListRepositoriesRequest, ListTagsRequest, RepositoriesPage, TagDetail, TagDetailsRequest, TagsPage } from '../../shared/browse';
import type { ErrorCode } from '../../shared/error-codes';
import type { Services } from '../services/registries';
import type { JobsData, JobsSlice } from './jobs-slice';
import type { ManifestActions } from './manifest-slice';
import type { PushData, PushSlice } from './push-slice';

/** RegistryAction names each registry action whose progress and error the store keeps apart. */
export type RegistryAction = 'list' | 'test' | 'add' | 'update' | 'logout' | 'remove';

/** ActionError is a failed action's error, with the registry it was about, if any. */
export interface ActionError {
  code: ErrorCode;
  message: string;
  registry?: string;
}

/** LOCAL_ID is the built-in OCI layout's id in the sidebar; it is always there. */
export const LOCAL_ID = 'local';

export interface RegistriesData {
  /** The sidebar's rows as main last listed them: the local layout first. */
  entries: RegistryEntry[];
  /** true while the list is being (re)loaded. */
  loading: boolean;
  /** Actions in flight, each with the registry it is about (`''` when none). */
  pending: Partial<Record<RegistryAction, string>>;
  /** The last error of each action, until it is retried or dismissed. */
  errors: Partial<Record<RegistryAction, ActionError>>;
  /** The registry the last successful "Test connection" was for, until the form changes. */
  testedOk?: string;
  /**
   * The generation of the dialog's checks (test, add, update). Closing the dialog or
   * cancelling a test moves it on, so the late answer of an older check is ignored.
   */
  checkId: number;
  selectedId: string;
}

export interface RegistriesActions {
  loadRegistries(): Promise<void>;
  /** testRegistry checks a login without saving; true when the registry accepted it. */
  testRegistry(request: AddRegistryRequest): Promise<boolean>;
  /** addRegistry tests and saves a login; on success selects it and closes the dialog. */
  addRegistry(request: AddRegistryRequest): Promise<RegistryEntry | undefined>;
  /** updateRegistry replaces a saved login and options; on success closes the dialog. */
  updateRegistry(request: AddRegistryRequest): Promise<RegistryEntry | undefined>;
  logoutRegistry(id: string): Promise<boolean>;
  /** removeRegistry forgets a registry; on success closes the confirm dialog. */
  removeRegistry(id: string): Promise<boolean>;
  selectRegistry(id: string): void;
  /** clearRegistryErrors forgets the named actions' errors (all when none named) and the test result. */
  clearRegistryErrors(...actions: RegistryAction[]): void;
  /**
   * cancelRegistryCheck stops waiting for the dialog's running check: the page is free
   * at once and the answer, when it comes, is ignored (main gives up by its deadline).
   */
  cancelRegistryCheck(): void;
}

export type RegistriesSlice = RegistriesData & RegistriesActions;

export type Theme = 'light' | 'dark' | 'system';
export const THEMES: readonly Theme[] = ['light', 'dark', 'system'];

/** Dialog is the one modal dialog open, if any. */
export type Dialog =
  | { kind: 'add-registry' }
  | { kind: 'edit-registry'; id: string }
  | { kind: 'remove-registry'; id: string };

export interface UiData {
  /** The colour theme; `system` follows the OS. Persisted in localStorage. */
  theme: Theme;
  dialog: Dialog | null;
  /** What main said about itself (version, platform, electron or browser mode), once loaded. */
  appInfo: AppInfo | null;
}

export interface UiActions {
  setTheme(theme: Theme): void;
  /** openDialog opens a dialog and clears the errors of what it is about to do. */
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
  /** loadAppInfo asks main for its version and mode; a failure leaves `appInfo` null. */
  loadAppInfo(): Promise<void>;
}

export type UiSlice = UiData & UiActions;

/** BrowseData is what the browse views keep across views and restarts (both in localStorage). */
export interface BrowseData {
  /** Repositories the user starred, per registry id, sorted. */
  bookmarks: Record<string, string[]>;
  /** Repositories opened lately, per registry id, newest first. */
  recents: Record<string, string[]>;
}

export interface BrowseActions {
  /** listRepositories reads one catalog page; throws a ServiceError. */
  listRepositories(request: ListRepositoriesRequest): Promise<RepositoriesPage>;
  /** listTags reads one tags page (cached per repository and `last`); throws a ServiceError. */
  listTags(request: ListTagsRequest): Promise<TagsPage>;
  /** tagDetails reads details of ≤100 tags, answering cached ones from memory; throws a ServiceError. */
  tagDetails(request: TagDetailsRequest): Promise<TagDetail[]>;
  /** cachedTagDetails is a copy of the details the page holds for a repository. */
  cachedTagDetails(registry: string, repository: string): Map<string, TagDetail>;
  /** forgetRepository drops a repository's cached pages and details (Refresh). */
  forgetRepository(registry: string, repository: string): void;
  toggleBookmark(registry: string, repository: string): void;
  /** noteRecent puts a repository first in its registry's recently opened list. */
  noteRecent(registry: string, repository: string): void;
}

export type BrowseSlice = BrowseData & BrowseActions;

export type AppData = RegistriesData & UiData & BrowseData & JobsData & PushData;

export interface AppState extends RegistriesSlice, UiSlice, BrowseSlice, JobsSlice, ManifestActions, PushSlice {
  /** reset puts every slice back to the data the store was created with. */
  reset(): void;
}

/** KeyValueStorage is the part of `localStorage` the store uses. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** StoreDeps is what slices reach outside the store through. */
export interface StoreDeps {
  services: Services;
  storage?: KeyValueStorage;
}

/** SliceCreator builds one slice over the whole state (zustand's slices pattern). */
export type SliceCreator<S> = (deps: StoreDeps) => StateCreator<AppState, [], [], S>;
