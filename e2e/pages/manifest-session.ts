import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFaultProxy, type FaultProxy } from '../../test/support/fault-proxy';
import { startRegistry, type Registry } from '../../test/support/registry';
import { seedManifestContent, type ManifestContent } from '../../test/support/seed-browse';
import { makeTempDir, removeTempDir } from '../../test/support/tmp';
import type { AppSession, Launcher } from '../support/launchers';
import { AppPage } from './app-page';
import { BrowseToolbar } from './browse-toolbar';

/**
 * ManifestSession is what the manifest and download specs start from: a real registry
 * seeded with `seedManifestContent` (test/support/seed-browse.ts), a loopback proxy in front of it (so a test
 * can make the link slow), and the app with that proxy saved as a registry. The page's
 * uncaught errors are kept, so a spec can say there were none.
 */
export interface ManifestSession {
  registry: Registry;
  proxy: FaultProxy;
  /** The registry as the app knows it: the proxy's host:port. */
  host: string;
  seed: ManifestContent;
  app: AppPage;
  session: AppSession;
  pageErrors: string[];
  /** go opens a route by its hash, as a pasted link would (BrowseToolbar.go). */
  go(hash: string): Promise<void>;
  /** location is the page's hash now, decoded (BrowseToolbar.hash). */
  location(): Promise<string>;
  close(): Promise<void>;
}

export async function startManifestSession(launcher: Launcher): Promise<ManifestSession> {
  const registry = await startRegistry();
  let proxy: FaultProxy | undefined;
  let session: AppSession | undefined;
  const dataDir = await makeTempDir('oras-e2e-manifest-');
  const close = async () => {
    await session?.close();
    await proxy?.stop();
    await registry.stop();
    await removeTempDir(dataDir);
  };
  try {
    const seed = await seedManifestContent(registry.host);
    proxy = await startFaultProxy(registry.url);
    const host = proxy.host;
    // The registry is saved already (as "Add" leaves it): these specs are about the views.
    await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ version: 1, registries: [{ registry: host, options: {} }] }));
    session = await launcher.launch(dataDir);
    const pageErrors: string[] = [];
    session.page.on('pageerror', (error) => pageErrors.push(error.message));
    const app = new AppPage(session.page);
    const toolbar = new BrowseToolbar(session.page);
    await session.open();
    await app.waitUntilLoaded();
    return {
      registry,
      proxy,
      host,
      seed,
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
