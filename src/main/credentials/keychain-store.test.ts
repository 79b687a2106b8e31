import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeychainError } from './keychain-error';
import { KeychainStore, classifyKeytarMessage, decodeSecret, encodeSecret } from './keychain-store';
import { sessionBusAddress } from './secret-service-probe';

/**
 * KeychainStore without a real keychain: the checks before keytar (HOME, the bus), and a
 * stand-in keytar module (in the child process, as the real one runs) that keeps items in
 * a file or misbehaves as FAKE_KEYTAR_MODE says. The real Secret Service is in
 * test/credentials-*.test.ts.
 */

let dir: string;
let fakeKeytar: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oras-keychain-unit-'));
  fakeKeytar = path.join(dir, 'fake-keytar.cjs');
  await writeFile(
    fakeKeytar,
    `const fs = require('node:fs');
const file = process.env.FAKE_KEYTAR_FILE;
const load = () => { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return {}; } };
const save = (db) => fs.writeFileSync(file, JSON.stringify(db));
const mode = process.env.FAKE_KEYTAR_MODE || '';
const act = (fn) => (...args) => {
  if (mode === 'hang') return new Promise(() => setInterval(() => {}, 1000));
  if (mode === 'crash') process.kill(process.pid, 'SIGSEGV');
  if (mode) return Promise.reject(new Error(mode));
  return Promise.resolve(fn(...args));
};
exports.getPassword = act((s, a) => load()[s + '/' + a] ?? null);
exports.setPassword = act((s, a, p) => { const db = load(); db[s + '/' + a] = p; save(db); });
exports.deletePassword = act((s, a) => { const db = load(); const had = (s + '/' + a) in db; delete db[s + '/' + a]; save(db); return had; });
exports.findCredentials = act((s) => Object.entries(load()).filter(([k]) => k.startsWith(s + '/')).map(([k, password]) => ({ account: k.slice(s.length + 1), password })));
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** store makes a KeychainStore on a platform without the D-Bus probe, over the fake keytar. */
const store = (mode = '', extra: NodeJS.ProcessEnv = {}, timeoutMs = 5000) =>
  new KeychainStore({
    platform: 'darwin',
    keytarPath: fakeKeytar,
    timeoutMs,
    env: { HOME: dir, PATH: process.env.PATH, FAKE_KEYTAR_FILE: path.join(dir, 'items.json'), FAKE_KEYTAR_MODE: mode, ...extra },
  });

describe('KeychainStore over keytar in a child process', () => {
  it('keeps one JSON item per normalised registry and lists no secret', async () => {
    const k = store();
    await k.put('index.docker.io', { username: 'u', password: 'p' });
    await k.put('Reg.Example:5000', { username: 'bot', identityToken: 'refresh' });
    expect(await k.get('docker.io')).toEqual({ username: 'u', password: 'p' });
    expect(await k.get('reg.example:5000')).toEqual({ username: 'bot', identityToken: 'refresh' });
    expect(await k.list()).toEqual([
      { registry: 'docker.io', username: 'u', location: 'keychain' },
      { registry: 'reg.example:5000', username: 'bot', location: 'keychain', identityToken: true },
    ]);
    expect(await k.delete('registry-1.docker.io')).toBe(true);
    expect(await k.delete('docker.io')).toBe(false);
    expect(await k.get('docker.io')).toBeUndefined();
  });

  it('kills a call that hangs (an unlock prompt nobody answers) and says so', async () => {
    const started = Date.now();
    await expect(store('hang', {}, 400).get('x.example')).rejects.toMatchObject({ problem: 'timeout', message: expect.stringMatching(/did not answer \(within 0\.4 s\)/) });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('turns a crash of the keychain library into an error', async () => {
    await expect(store('crash').list()).rejects.toMatchObject({ problem: 'failed', message: expect.stringMatching(/crashed \(SIGSEGV\)/) });
  });

  it('classifies what libsecret says', async () => {
    await expect(store('Cannot create an item in a locked collection').put('x.example', { username: 'u', password: 'p' })).rejects.toMatchObject({ problem: 'locked', code: 'DENIED' });
    await expect(store('Cannot autolaunch D-Bus without X11 $DISPLAY').get('x.example')).rejects.toMatchObject({ problem: 'no-dbus' });
  });

  it('says when keytar cannot be loaded: missing, or its native part broken', async () => {
    const missing = new KeychainStore({ platform: 'darwin', keytarPath: path.join(dir, 'missing.js'), env: { HOME: dir, PATH: process.env.PATH } });
    await expect(missing.get('x.example')).rejects.toMatchObject({
      problem: 'no-keytar',
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/^the OS keychain is not available: keytar could not be loaded \(Cannot find module .*\); use -c FILE or a Docker credential helper/),
    });
    const broken = path.join(dir, 'broken-keytar.cjs');
    await writeFile(broken, "throw new Error('libsecret-1.so.0: cannot open shared object file: No such file or directory');\n");
    const k = new KeychainStore({ platform: 'darwin', keytarPath: broken, env: { HOME: dir, PATH: process.env.PATH } });
    await expect(k.put('x.example', { username: 'u', password: 'p' })).rejects.toMatchObject({
      problem: 'no-keytar',
      message: expect.stringContaining('keytar could not be loaded (libsecret-1.so.0: cannot open shared object file: No such file or directory)'),
    });
  });
});

describe('the checks before keytar', () => {
  const linux = (env: NodeJS.ProcessEnv) => new KeychainStore({ platform: 'linux', env, keytarPath: fakeKeytar, probeTimeoutMs: 1000 });

  it('no HOME, no bus, nothing listening: each its own error at once', async () => {
    const started = Date.now();
    await expect(linux({ PATH: '/bin' }).get('x.example')).rejects.toMatchObject({ problem: 'no-home' });
    await expect(linux({ HOME: dir }).get('x.example')).rejects.toMatchObject({
      problem: 'no-dbus',
      message: expect.stringMatching(/no D-Bus session bus \(DBUS_SESSION_BUS_ADDRESS is not set\)/),
    });
    await expect(linux({ HOME: dir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-bus')}` }).put('x.example', { username: 'u', password: 'p' })).rejects.toMatchObject({
      problem: 'no-dbus',
      message: expect.stringContaining(`nothing answers at ${path.join(dir, 'no-bus')}`),
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await linux({ PATH: '/bin' }).status()).toMatchObject({ available: false, problem: 'no-home' });
  });

  it('finds the bus as GLib does, and leaves X11 autolaunch to libsecret', async () => {
    expect(sessionBusAddress({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' })).toBe('unix:path=/x');
    await writeFile(path.join(dir, 'bus'), '');
    expect(sessionBusAddress({ XDG_RUNTIME_DIR: dir })).toBe(`unix:path=${path.join(dir, 'bus')}`);
    expect(sessionBusAddress({ XDG_RUNTIME_DIR: path.join(dir, 'none') })).toBeUndefined();
    // With DISPLAY and no bus address, keytar is asked (here, the fake one answers).
    const k = linux({ HOME: dir, DISPLAY: ':0', PATH: process.env.PATH, FAKE_KEYTAR_FILE: path.join(dir, 'display.json') });
    expect(await k.get('x.example')).toBeUndefined();
  });
});

describe('the stored secret', () => {
  it('is JSON of a user name and a password or identity token', () => {
    expect(JSON.parse(encodeSecret({ username: 'u', password: 'p', accessToken: 'dropped' }))).toEqual({ username: 'u', password: 'p' });
    expect(JSON.parse(encodeSecret({ identityToken: 't' }))).toEqual({ identityToken: 't' });
    expect(() => encodeSecret({ username: 'u' })).toThrow(/needs a password or an identity token/);
    expect(() => encodeSecret({ password: 'p' })).toThrow(/needs a user name/);
    expect(decodeSecret('{"username":"u","password":"p"}', 'r')).toEqual({ username: 'u', password: 'p' });
  });

  it('that is not ours is an error showing none of it', () => {
    for (const bad of ['hunter2', '{"username":"u"}', 'null', '[]']) {
      let err: unknown;
      try {
        decodeSecret(bad, 'r.example');
      } catch (e) {
        err = e;
      }
      expect((err as Error).message).toMatch(/entry for r\.example is not a login ORAS Desktop saved/);
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});

describe('classifyKeytarMessage', () => {
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'no-dbus'],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'no-secret-service'],
    ['Cannot create an item in a locked collection', 'locked'],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'no-keyring'],
    ['something else', 'failed'],
  ])('%s → %s', (message, problem) => {
    const err = classifyKeytarMessage(message);
    expect(err).toBeInstanceOf(KeychainError);
    expect(err.problem).toBe(problem);
    expect(err.message).toMatch(/-c FILE\)$/);
  });
});
