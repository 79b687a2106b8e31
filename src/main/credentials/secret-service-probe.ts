import { existsSync } from 'node:fs';
import path from 'node:path';
import { DbusError, parseBusAddress, withConnection } from './dbus-client';
import type { DbusValue } from './dbus-wire';
import { keychainError } from './keychain-error';

/**
 * probeSecretService asks the Secret Service (https://specifications.freedesktop.org/secret-service/)
 * on the D-Bus session bus whether it is there, has a default keyring and whether that
 * keyring is unlocked, before keytar is called. keytar cannot tell: on a locked keyring
 * libsecret asks for an unlock prompt and waits for it (for ever when nobody answers),
 * reads come back empty as if there were no login, and listing crashes the process.
 *
 * It resolves 'ready', or 'unprobed' where there is nothing to ask (not Linux, a bus we
 * cannot speak to directly); otherwise it throws the KeychainError naming the problem.
 */

const SERVICE = 'org.freedesktop.secrets';
const SERVICE_PATH = '/org/freedesktop/secrets';

const NO_SERVICE_ERRORS = new Set([
  'org.freedesktop.DBus.Error.ServiceUnknown',
  'org.freedesktop.DBus.Error.NameHasNoOwner',
]);

export interface ProbeOptions {
  env: NodeJS.ProcessEnv;
  /** The longest the whole exchange may take. */
  timeoutMs: number;
  platform?: NodeJS.Platform;
}

/**
 * sessionBusAddress finds the session bus as GLib does: DBUS_SESSION_BUS_ADDRESS, else
 * `$XDG_RUNTIME_DIR/bus` (systemd's user bus). Undefined when neither is there.
 */
export function sessionBusAddress(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DBUS_SESSION_BUS_ADDRESS) return env.DBUS_SESSION_BUS_ADDRESS;
  if (env.XDG_RUNTIME_DIR) {
    const bus = path.join(env.XDG_RUNTIME_DIR, 'bus');
    if (existsSync(bus)) return `unix:path=${bus}`;
  }
  return undefined;
}

/** probeSecretService: `purpose` 'write' also needs a default keyring to save in. */
export async function probeSecretService(purpose: 'read' | 'write', options: ProbeOptions): Promise<'ready' | 'unprobed'> {
  if ((options.platform ?? process.platform) !== 'linux') return 'unprobed';
  const address = sessionBusAddress(options.env);
  if (address === undefined) {
    // Without an address libsecret can only autolaunch a bus through X11; let keytar try.
    if (options.env.DISPLAY) return 'unprobed';
    throw keychainError('no-dbus', 'DBUS_SESSION_BUS_ADDRESS is not set');
  }
  const socketPath = parseBusAddress(address);
  if (socketPath === undefined) return 'unprobed';
  const where = socketPath.startsWith('\0') ? `abstract socket ${socketPath.slice(1)}` : socketPath;
  try {
    return await withConnection(socketPath, options.timeoutMs, async (bus): Promise<'ready'> => {
      const [alias] = await bus.call({
        destination: SERVICE,
        path: SERVICE_PATH,
        interface: 'org.freedesktop.Secret.Service',
        member: 'ReadAlias',
        signature: 's',
        body: ['default'],
      });
      if (typeof alias !== 'string' || alias === '/') {
        // Reading finds nothing without a keyring, which is the truth; saving cannot work.
        if (purpose === 'write') throw keychainError('no-keyring');
        return 'ready';
      }
      const [locked] = await bus.call({
        destination: SERVICE,
        path: alias,
        interface: 'org.freedesktop.DBus.Properties',
        member: 'Get',
        signature: 'ss',
        body: ['org.freedesktop.Secret.Collection', 'Locked'],
      });
      if (variantValue(locked) === true) throw keychainError('locked', `keyring ${alias.split('/').pop()}`);
      return 'ready';
    });
  } catch (err) {
    if (!(err instanceof DbusError)) throw err;
    if (err.errorName === 'connect' || err.errorName === 'closed') throw keychainError('no-dbus', `nothing answers at ${where}`, err);
    if (err.errorName === 'timeout') throw keychainError('timeout', `within ${formatSeconds(options.timeoutMs)}`, err);
    if (NO_SERVICE_ERRORS.has(err.errorName) || err.errorName.startsWith('org.freedesktop.DBus.Error.Spawn.')) {
      throw keychainError('no-secret-service', err.errorName.split('.').pop(), err);
    }
    throw keychainError('failed', `${err.errorName}: ${err.message}`.slice(0, 300), err);
  }
}

function variantValue(value: DbusValue | undefined): DbusValue | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'signature' in value ? value.value : value;
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
