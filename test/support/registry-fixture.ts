import { afterAll, beforeAll } from 'vitest';
import { Registry, type RegistryOptions as ClientOptions } from '../../src/main/engine/registry/registry';
import { startRegistry, type Registry as TestRegistry, type RegistryOptions } from './registry';

/** RegistryFixture is a running test registry and an engine client for it. */
export interface RegistryFixture {
  readonly server: TestRegistry;
  readonly registry: Registry;
}

/**
 * useRegistry starts a real registry before the suite's tests and stops it after, with
 * an engine `Registry` client (options from `client`, given the running server).
 */
export function useRegistry(options: RegistryOptions = {}, client: (server: TestRegistry) => ClientOptions = () => ({})): RegistryFixture {
  let server: TestRegistry | undefined;
  let registry: Registry | undefined;
  beforeAll(async () => {
    server = await startRegistry(options);
    registry = new Registry(server.host, client(server));
  });
  afterAll(async () => {
    await registry?.close();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error('useRegistry: the registry is not started yet (use it inside a test)');
      return server;
    },
    get registry() {
      if (!registry) throw new Error('useRegistry: the registry is not started yet (use it inside a test)');
      return registry;
    },
  };
}
