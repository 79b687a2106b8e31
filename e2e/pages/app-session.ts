import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFaultProxy, type FaultProxy } from '../../test/support/fault-proxy';
import { startRegistry, type Registry } from '../../test/support/registry';
import { makeTempDir, removeTempDir } from '../../test/support/tmp';
import type { AppSession, Launcher } from '../support/launchers';
import { AppPage } from './app-page';
import { BrowseToolbar } from './browse-toolbar';

/**
 * ProxiedAppSession is the start the view specs share: a real registry behind a
 * loopback proxy (so a test can make the link slow or hold an upload), saved in the app
 * as "Add" leaves it, and the app open on it. The page's uncaught errors are kept, so a
 * spec can say there were none.
 */
export interface ProxiedAppSession {
  registry: Registry;
  proxy: FaultProxy;
  /** The registry as the app knows it: the proxy's host:port. */
  host: string;
  app: AppPage;
  session: AppSession;
  pageErrors: string[];
  /** go opens a route by its hash, as a pasted link would (BrowseToolbar.go). */
  go(hash: string): Promise<void>;
  /** location is the page's hash now, decoded (BrowseToolbar.hash). */
  location(): Promise<string>;
  close(): Promise<void>;
}

export interface Preparation<Extra> {
  /** What the spec gets besides the common parts (seeded content, more registries). */
  extra: Extra;
  /** More registries saved in the app after the proxied one, as host[:port]. */
  moreRegistries?: string[];
}

export interface ProxiedAppSessionOptions<Extra> {
  /** The data folder's temp prefix, naming the spec in leftovers. */
  tempPrefix: string;
  /**
   * prepare runs before the app starts, with the registry itself (not the proxy).
   * Whatever it starts it hands to `onClose`, stopped with the session, also when a
   * later step fails.
   */
  prepare(registry: Registry, onClose: (stop: () => Promise<void>) => void): Promise<Preparation<Extra>>;
}

/** startProxiedAppSession starts it all, or stops what it started and throws. */
export async function startProxiedAppSession<Extra>(
  launcher: Launcher,
  options: ProxiedAppSessionOptions<Extra>,
): Promise<ProxiedAppSession & Extra> {
  const registry = await startRegistry();
  const stops: Array<() => Promise<void>> = [];
  let proxy: FaultProxy | undefined;
  let session: AppSession | undefined;
  const dataDir = await makeTempDir(options.tempPrefix);
  const close = async () => {
    await session?.close();
    await proxy?.stop();
    for (const stop of stops.reverse()) await stop();
    await registry.stop();
    await removeTempDir(dataDir);
  };
  try {
    const { extra, moreRegistries = [] } = await options.prepare(registry, (stop) => stops.push(stop));
    proxy = await startFaultProxy(registry.url);
    const host = proxy.host;
    const registries = [host, ...moreRegistries].map((saved) => ({ registry: saved, options: {} }));
    await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ version: 1, registries }));
    session = await launcher.launch(dataDir);
    const pageErrors: string[] = [];
    session.page.on('pageerror', (error) => pageErrors.push(error.message));
    const app = new AppPage(session.page);
    const toolbar = new BrowseToolbar(session.page);
    await session.open();
    await app.waitUntilLoaded();
    return {
      ...extra,
      registry,
      proxy,
      host,
      app,
      session,
      pageErrors,
      go: (hash) => toolbar.go(hash),
      location: () => toolbar.hash(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
