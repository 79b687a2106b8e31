import { readdir } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch, type HandlerTable } from '../src/main/api/handlers';
import { createAppLogins } from '../src/main/services/logins';
import { createServices, type AppServices } from '../src/main/services';
import { CHECK_DEADLINE_MS } from '../src/main/services/registries';
import { startSecretService, type SecretServiceSession } from './support/keyring';
import { closeServer, listenOnLoopback } from './support/listen';
import { useTempDirs } from './support/tmp';

/**
 * The checks a person waits for in the Add / Edit dialog (test, add, update) against a
 * host that accepts the connection and never answers: before the deadline each took
 * about 124 s (30 s for headers, four attempts). Now each ends after CHECK_DEADLINE_MS
 * with an error that says what to check, and nothing is saved. The handlers run over
 * the real credentials service on a private Secret Service, as the app's do.
 */

const tempDir = useTempDirs('oras-check-deadline-');
let session: SecretServiceSession;
let silent: Server;
const sockets = new Set<Socket>();
let host: string;
let dataDir: string;
let services: AppServices;
let handlers: HandlerTable;

beforeAll(async () => {
  session = await startSecretService();
  // Accepts every connection, reads what it is sent, and never writes a byte.
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  host = `127.0.0.1:${await listenOnLoopback(silent)}`;
  dataDir = await tempDir();
  services = createServices({ dataDir, logins: createAppLogins(session.env) });
  handlers = createHandlers({ services, mode: 'browser', version: '0.0.0-test', log: () => {} });
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  if (silent) await closeServer(silent);
  await services?.dispose();
  await session?.stop();
});

/** timed runs one channel and says how long it took. */
async function timed(channel: string, request: unknown) {
  const started = performance.now();
  const result = await dispatch(handlers, channel, request);
  return { result, seconds: (performance.now() - started) / 1000 };
}

describe('a host that accepts connections and never answers', () => {
  it('is given up after about 10 s by test (anonymous and with a login), add and update, each saying what to check', async () => {
    expect(CHECK_DEADLINE_MS).toBe(10_000);
    const login = { registry: host, username: 'alice', secret: 'never-sent-anywhere-else' };
    const [anonymous, withLogin, added] = await Promise.all([
      timed('registries.test', { registry: host }),
      timed('registries.test', login),
      timed('registries.add', login),
    ]);
    for (const [what, { result, seconds }] of Object.entries({ anonymous, withLogin, added })) {
      expect(result, what).toEqual({
        ok: false,
        error: { code: 'NETWORK', message: `${host} did not answer within 10 s: check the host and port` },
      });
      // The deadline, not the transport's two minutes; room for a busy machine.
      expect(seconds, what).toBeGreaterThanOrEqual(9.5);
      expect(seconds, what).toBeLessThan(15);
    }
    // Nothing saved: no settings, no login.
    expect(await readdir(dataDir)).not.toContain('settings.json');
    const list = await dispatch(handlers, 'registries.list', undefined);
    expect(list.ok && (list.value as { id: string }[]).map((e) => e.id)).toEqual(['local']);
  }, 40_000);

  it('bounds update the same way, and keeps the saved options', async () => {
    // A registry listed with options of its own, then edited while the host is silent.
    await services.settings.put(host, { insecure: true });
    const { result, seconds } = await timed('registries.update', { registry: host, options: { plainHttp: true } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NETWORK', message: expect.stringContaining('did not answer within 10 s') } });
    expect(seconds).toBeLessThan(15);
    expect(await services.settings.get(host)).toEqual({ registry: host, options: { insecure: true } });
  }, 40_000);
});
