import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DbusConnection, parseBusAddress, withConnection } from '../../src/main/credentials/dbus-client';
import { isKeychainError } from '../../src/main/credentials/keychain-error';
import { probeSecretService } from '../../src/main/credentials/secret-service-probe';
import { makeTempDir, removeTempDir } from './temp-dir';

/**
 * A private D-Bus session bus and Secret Service per test file, so keychain tests use
 * the real thing (gnome-keyring, through keytar and libsecret) without touching the
 * developer's keyring or another test file's, and can make each failure for real:
 * no Secret Service on the bus, a locked keyring, a service that never answers.
 *
 * By default the bus has no activatable services, so nothing starts behind a test's
 * back (no second keyring daemon, no unlock prompt): what runs is what the test started.
 */

const run = promisify(execFile);

/** The password of the login keyring the sessions create. */
export const KEYRING_PASSWORD = 'test-keyring-pw';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface SecretServiceSession {
  /** A temporary HOME (the keyring lives in its .local/share/keyrings). */
  home: string;
  address: string;
  /** The environment for processes that should use this session: PATH, HOME, D-Bus, XDG dirs. */
  env: NodeJS.ProcessEnv;
  /** startKeyring runs gnome-keyring-daemon on the bus: unlocked (creating the login keyring) or locked. */
  startKeyring(options?: { unlock?: boolean }): Promise<void>;
  stopKeyring(): Promise<void>;
  /** hang takes the Secret Service's bus name and never answers a call on it. */
  hang(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * startSecretService starts the bus and, unless `keyring` is 'none', an unlocked
 * gnome-keyring. `activation` lets the bus start the desktop's services on demand (the
 * keyring's unlock prompter, which fails here for want of a display), as a real
 * session bus does.
 */
export async function startSecretService(options: { keyring?: 'unlocked' | 'locked' | 'none'; activation?: boolean } = {}): Promise<SecretServiceSession> {
  const home = await makeTempDir('oras-keyring-');
  const runtime = join(home, 'run');
  await mkdir(runtime, { mode: 0o700 });
  const socket = join(home, 'bus');
  const config = join(home, 'session.conf');
  await writeFile(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=${socket}</listen>${options.activation ? '\n  <standard_session_servicedirs/>' : ''}
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  const address = `unix:path=${socket}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_RUNTIME_DIR: runtime,
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    DBUS_SESSION_BUS_ADDRESS: address,
  };
  const bus = spawn('dbus-daemon', ['--nofork', `--config-file=${config}`, '--print-address=1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  track(bus);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    bus.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve();
    });
    bus.once('error', (err) => reject(new Error(`cannot run dbus-daemon (apt-get install dbus): ${err.message}`)));
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited with status ${code}`)));
  });

  let keyring: ChildProcess | undefined;
  let hung: DbusConnection | undefined;

  const session: SecretServiceSession = {
    home,
    address,
    env,
    async startKeyring({ unlock = true } = {}) {
      await session.stopKeyring();
      const args = ['--foreground', '--components=secrets', ...(unlock ? ['--unlock'] : [])];
      const child = spawn('gnome-keyring-daemon', args, { env, stdio: ['pipe', 'ignore', 'ignore'] });
      track(child);
      child.stdin!.end(unlock ? KEYRING_PASSWORD : '');
      keyring = child;
      // Ready when the Secret Service answers as this run expects: unlocked, or locked.
      // Only ask once our daemon owns the name: asked earlier, a bus with activation on
      // would start the system's own gnome-keyring (without --unlock) in its place.
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          const owner = await secretServiceOwnerPid(address);
          if (owner !== child.pid) throw new Error(owner === undefined ? 'org.freedesktop.secrets has no owner yet' : `org.freedesktop.secrets is owned by process ${owner}, not ours`);
          await probeSecretService('write', { env, timeoutMs: 2000 });
          if (unlock) return;
        } catch (err) {
          if (!unlock && isKeychainError(err) && err.problem === 'locked') return;
          if (Date.now() > deadline) throw new Error(`gnome-keyring-daemon did not come up: ${(err as Error).message}`);
        }
        if (child.exitCode !== null) throw new Error(`gnome-keyring-daemon exited with status ${child.exitCode}`);
        if (Date.now() > deadline) throw new Error('gnome-keyring-daemon did not come up locked');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stopKeyring() {
      if (keyring) await kill(keyring);
      keyring = undefined;
    },
    async hang() {
      await session.stopKeyring();
      hung = await DbusConnection.open(parseBusAddress(address)!, 5000);
      const [reply] = await hung.call({
        destination: 'org.freedesktop.DBus',
        path: '/org/freedesktop/DBus',
        interface: 'org.freedesktop.DBus',
        member: 'RequestName',
        signature: 'su',
        body: ['org.freedesktop.secrets', 4],
      });
      if (reply !== 1) throw new Error(`could not take org.freedesktop.secrets (RequestName answered ${String(reply)})`);
    },
    async stop() {
      hung?.close();
      await session.stopKeyring();
      await kill(bus);
      await removeTempDir(home);
    },
  };

  try {
    if (options.keyring !== 'none') {
      await session.startKeyring({ unlock: true });
      if (options.keyring === 'locked') await session.startKeyring({ unlock: false });
    }
  } catch (err) {
    await session.stop();
    throw err;
  }
  return session;
}

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

export interface PassStore {
  /** GNUPGHOME and PASSWORD_STORE_DIR, to add to a process's environment. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/**
 * startPassStore makes a `pass` password store (what docker-credential-pass uses) in a
 * temp folder, with a fresh GPG key without passphrase, so nothing prompts.
 */
export async function startPassStore(): Promise<PassStore> {
  const dir = await makeTempDir('oras-pass-');
  const gnupg = join(dir, 'gnupg');
  await mkdir(gnupg, { mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: gnupg, PASSWORD_STORE_DIR: join(dir, 'store') };
  const stop = async (): Promise<void> => {
    await run('gpgconf', ['--kill', 'all'], { env }).catch(() => {});
    await removeTempDir(dir);
  };
  try {
    await run('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', 'ORAS Desktop test <oras-test@example.invalid>', 'default', 'default', 'never'], { env });
    const { stdout } = await run('gpg', ['--list-keys', '--with-colons'], { env, encoding: 'utf8' });
    const fingerprint = /^fpr:(?:[^:]*:){8}([0-9A-F]+):/m.exec(stdout)?.[1];
    if (!fingerprint) throw new Error('gpg made no key');
    await run('pass', ['init', fingerprint], { env });
  } catch (err) {
    await stop();
    throw new Error(`cannot set up pass (apt-get install pass gnupg): ${(err as Error).message}`);
  }
  return { env: { GNUPGHOME: gnupg, PASSWORD_STORE_DIR: join(dir, 'store') }, stop };
}

/**
 * secretServiceOwnerPid asks the bus (never activating anything) which process owns
 * `org.freedesktop.secrets`; undefined while nobody does.
 */
async function secretServiceOwnerPid(address: string): Promise<number | undefined> {
  const bus = { destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', signature: 's', body: ['org.freedesktop.secrets'] };
  return withConnection(parseBusAddress(address)!, 2000, async (connection) => {
    const [owned] = await connection.call({ ...bus, member: 'NameHasOwner' });
    if (owned !== true) return undefined;
    const [pid] = await connection.call({ ...bus, member: 'GetConnectionUnixProcessID' });
    return typeof pid === 'number' ? pid : undefined;
  });
}
