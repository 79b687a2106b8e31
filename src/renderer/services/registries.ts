import type { AddRegistryRequest, AppInfo, RegistryEntry } from '../../shared/contract';
import { createBrowseService, type BrowseService } from './browse';
import { createJobsService, type JobsService } from './jobs';
import { call, windowApi, type ApiSource } from './oras';
import { createPushService, type PushService } from './push';

/**
 * RegistriesService wraps the registry methods of `window.oras`: each resolves to the
 * value or throws a ServiceError with the contract's code and message. Store actions
 * call it; components never do.
 */
export interface RegistriesService {
  list(): Promise<RegistryEntry[]>;
  /** test checks a login against the registry without saving anything. */
  test(request: AddRegistryRequest): Promise<void>;
  /** add tests the login, then saves it; nothing is saved when the test fails. */
  add(request: AddRegistryRequest): Promise<RegistryEntry>;
  /** update replaces a saved registry's login and options (tested first). */
  update(request: AddRegistryRequest): Promise<RegistryEntry>;
  /** logout forgets the login and keeps the registry, now anonymous. */
  logout(registry: string): Promise<RegistryEntry>;
  remove(registry: string): Promise<void>;
}

export function createRegistriesService(source: ApiSource = windowApi): RegistriesService {
  return {
    list: () => call(source, (api) => api.listRegistries()),
    test: async (request) => {
      await call(source, (api) => api.testRegistry(request));
    },
    add: (request) => call(source, (api) => api.addRegistry(request)),
    update: (request) => call(source, (api) => api.updateRegistry(request)),
    logout: (registry) => call(source, (api) => api.logoutRegistry({ registry })),
    remove: async (registry) => {
      await call(source, (api) => api.removeRegistry({ registry }));
    },
  };
}

/** AppService answers what the app is and how this page reaches it. */
export interface AppService {
  info(): Promise<AppInfo>;
}

export function createAppService(source: ApiSource = windowApi): AppService {
  return { info: () => call(source, (api) => api.appInfo()) };
}

/** Services is everything the store's actions may call. */
export interface Services {
  registries: RegistriesService;
  app: AppService;
  browse: BrowseService;
  jobs: JobsService;
  push: PushService;
}

export function createServices(source: ApiSource = windowApi): Services {
  return { registries: createRegistriesService(source), app: createAppService(source), browse: createBrowseService(source), jobs: createJobsService(source), push: createPushService(source) };
}
