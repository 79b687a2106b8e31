import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFaultProxy, type FaultProxy } from '../../test/support/fault-proxy';
import { startRegistry, type Registry } from '../../test/support/registry';
import { makeTempDir, removeTempDir } from '../../test/support/tmp';
import type { AppSession, Launcher } from '../support/launchers';
import { AppPage } from './app-page';

/**
 * PushSession is what the push spec starts from: a real registry behind a loopback
 * proxy (so a test can hold an upload), saved in the app as "Add" leaves it; a second
 * registry that wants a login, saved without one (every push to it is refused); and
 * the app open on them. The page's uncaught errors are kept.
 */
export interface PushSession {
  registry: Registry;
  proxy: FaultProxy;
  /** The registry as the app knows it: the proxy's host:port. */
  host: string;
  /** A registry with htpasswd logins, saved in the app with none. */
  locked: Registry;
  app: AppPage;
  session: AppSession;
  pageErrors: string[];
  go(hash: string): Promise<void>;
  close(): Promise<void>;
}

export async function startPushSession(launcher: Launcher): Promise<PushSession> {
  const registry = await startRegistry();
  let locked: Registry | undefined;
  let proxy: FaultProxy | undefined;
  let session: AppSession | undefined;
  const dataDir = await makeTempDir('oras-e2e-push-');
  const close = async () => {
    await session?.close();
    await proxy?.stop();
    await locked?.stop();
    await registry.stop();
    await removeTempDir(dataDir);
  };
  try {
    locked = await startRegistry({ auth: 'htpasswd', users: { alice: 'wonderland' } });
    proxy = await startFaultProxy(registry.url);
    const host = proxy.host;
    const registries = [{ registry: host, options: {} }, { registry: locked.host, options: {} }];
    await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ version: 1, registries }));
    session = await launcher.launch(dataDir);
    const pageErrors: string[] = [];
    session.page.on('pageerror', (error) => pageErrors.push(error.message));
    const app = new AppPage(session.page);
    await session.open();
    await app.waitUntilLoaded();
    return {
      registry,
      proxy,
      host,
      locked,
      app,
      session,
      pageErrors,
      go: async (hash) => {
        await app.page.evaluate((h) => (location.hash = h), hash);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
