import { startRegistry, type Registry } from '../../test/support/registry';
import type { Launcher } from '../support/launchers';
import { startProxiedAppSession, type ProxiedAppSession } from './app-session';

/**
 * PushSession is what the push spec starts from: the common proxied registry and app
 * (app-session.ts), and a second registry that wants a login, saved without one (every
 * push to it is refused).
 */
export interface PushSession extends ProxiedAppSession {
  /** A registry with htpasswd logins, saved in the app with none. */
  locked: Registry;
}

export function startPushSession(launcher: Launcher): Promise<PushSession> {
  return startProxiedAppSession(launcher, {
    tempPrefix: 'oras-e2e-push-',
    prepare: async (_registry, onClose) => {
      const locked = await startRegistry({ auth: 'htpasswd', users: { alice: 'wonderland' } });
      onClose(() => locked.stop());
      return { extra: { locked }, moreRegistries: [locked.host] };
    },
  });
}
