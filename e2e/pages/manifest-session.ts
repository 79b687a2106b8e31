import { seedManifestContent, type ManifestContent } from '../../test/support/seed-browse';
import type { Launcher } from '../support/launchers';
import { startProxiedAppSession, type ProxiedAppSession } from './app-session';

/**
 * ManifestSession is what the manifest and download specs start from: the common
 * proxied registry and app (app-session.ts), the registry seeded with
 * `seedManifestContent` (test/support/seed-browse.ts).
 */
export interface ManifestSession extends ProxiedAppSession {
  seed: ManifestContent;
}

export function startManifestSession(launcher: Launcher): Promise<ManifestSession> {
  return startProxiedAppSession(launcher, {
    tempPrefix: 'oras-e2e-manifest-',
    prepare: async (registry) => ({ extra: { seed: await seedManifestContent(registry.host) } }),
  });
}
