import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startRegistry, type Registry } from '../../test/support/registry';
import { makeTempDir, removeTempDir } from '../../test/support/tmp';
import type { AppSession, Launcher } from '../support/launchers';
import { AppPage } from './app-page';

/**
 * PushSession is what the push spec starts from: a real registry saved in the app (as
 * "Add" leaves it) and the app open on it. The page's uncaught errors are kept.
 */
export interface PushSession {
  registry: Registry;
  app: AppPage;
  session: AppSession;
  pageErrors: string[];
  go(hash: string): Promise<void>;
  close(): Promise<void>;
}

export async function startPushSession(launcher: Launcher): Promise<PushSession> {
  const registry = await startRegistry();
  let session: AppSession | undefined;
  const dataDir = await makeTempDir('oras-e2e-push-');
  const close = async () => {
    await session?.close();
    await registry.stop();
    await removeTempDir(dataDir);
  };
  try {
    await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ version: 1, registries: [{ registry: registry.host, options: {} }] }));
    session = await launcher.launch(dataDir);
    const pageErrors: string[] = [];
    session.page.on('pageerror', (error) => pageErrors.push(error.message));
    const app = new AppPage(session.page);
    await session.open();
    await app.waitUntilLoaded();
    return {
      registry,
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
