import type { LoginBackend } from '../../src/main/services/login-backend';
import { createHandlers, type HandlerTable } from '../../src/main/api/handlers';
import { LoginService } from '../../src/main/credentials/login-service';
import { MemoryCredentialStore, MemoryKeychain } from '../../src/main/credentials/testing/memory-stores';
import type { SavedLogin } from '../../src/main/credentials/types';
import type { Credential } from '../../src/main/engine/transport/credential';
import { loginBackendOf } from '../../src/main/services/logins';
import { createServices, type AppServices, type ServicesOptions } from '../../src/main/services';
import type { Result } from '../../src/shared/contract';

/** MemoryDockerConfig: Docker's config in memory, reporting removals as the real store does. */
class MemoryDockerConfig extends MemoryCredentialStore {
  constructor() {
    super('docker-config');
  }
  readonly path = '(memory)/config.json';
  async remove(registry: string): Promise<SavedLogin[]> {
    return (await this.delete(registry)) ? [{ registry, location: 'docker-config' }] : [];
  }
  async store(registry: string, credential: Credential): Promise<{ helper?: string }> {
    await this.put(registry, credential);
    return {};
  }
}

/**
 * memoryLogins is the real LoginService over stores in memory (the keychain is not
 * what these tests are about): logins given here are what the sidebar would show.
 */
export function memoryLogins(logins: Record<string, Credential> = {}): LoginBackend {
  return loginBackendOf(new LoginService({ keychain: new MemoryKeychain(logins), dockerConfig: new MemoryDockerConfig() }));
}

export interface BrowseApp {
  services: AppServices;
  handlers: HandlerTable;
  /** call runs a channel's handler and returns its value, failing the test on an error answer. */
  call<T = any>(channel: keyof HandlerTable, request: unknown): Promise<T>;
  /** attempt runs a channel's handler and returns its whole Result. */
  attempt(channel: keyof HandlerTable, request: unknown): Promise<Result<any>>;
}

/** browseApp builds the services and handlers over a data folder, as the app does. */
export function browseApp(options: ServicesOptions, mode: 'electron' | 'browser' = 'electron'): BrowseApp {
  const services = createServices(options);
  const handlers = createHandlers({ services, mode, version: '0.0.0-test', log: () => {} });
  const attempt = (channel: keyof HandlerTable, request: unknown) => handlers[channel](request) as Promise<Result<any>>;
  return {
    services,
    handlers,
    attempt,
    call: async (channel, request) => {
      const result = await attempt(channel, request);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code}: ${result.error.message}`);
      return result.value;
    },
  };
}
