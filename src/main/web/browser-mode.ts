import type { LoginBackend } from '../services/login-backend';
import { createHandlers } from '../api/handlers';
import { createServices, type AppServices } from '../services';
import type { Reachability } from '../services/registries';
import { startWebServer, type WebServer } from './server';

export interface BrowserModeOptions {
  dataDir: string;
  rendererRoot: string;
  logins: LoginBackend;
  version: string;
  /** Default 0: any free port. */
  port?: number;
  /** For tests. */
  token?: string;
  reachable?: Reachability;
  stagingParent?: string;
  log?: (error: unknown) => void;
}

export interface BrowserMode {
  readonly server: WebServer;
  readonly services: AppServices;
  /** close stops the server, cancels jobs and removes the staging folder. */
  close(): Promise<void>;
}

/** startBrowserMode builds the services and handlers over `dataDir` and serves them on 127.0.0.1. */
export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const services = createServices({
    dataDir: options.dataDir,
    logins: options.logins,
    reachable: options.reachable,
    stagingParent: options.stagingParent,
  });
  const handlers = createHandlers({ services, mode: 'browser', version: options.version, log: options.log });
  let server: WebServer;
  try {
    server = await startWebServer({
      handlers,
      services,
      rendererRoot: options.rendererRoot,
      port: options.port,
      token: options.token,
      log: options.log,
    });
  } catch (error) {
    await services.dispose();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    server,
    services,
    close: () =>
      (closing ??= (async () => {
        await server.close();
        await services.dispose();
      })()),
  };
}
