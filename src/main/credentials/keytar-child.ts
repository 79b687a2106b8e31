import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { nodeReason } from '../engine/node-errors';

/**
 * runKeytar runs one keytar call in a child process (this Node, or Electron as Node)
 * and kills it when it takes longer than `timeoutMs`. keytar's calls run on libuv's
 * thread pool and cannot be cancelled: one waiting for an unlock prompt would hold a
 * pool thread (and keep a CLI alive) for ever, and listing a locked keyring crashes
 * the process. In a child, a hang is killed and a crash is an error.
 *
 * The request, secret included, goes over stdin (never argv, which other users can
 * read); the answer comes back as one JSON line. Listing parses the stored JSON in the
 * child and sends back only user names, so no secret crosses back for a list.
 */

export type KeytarRequest =
  | { op: 'get'; service: string; account: string }
  | { op: 'set'; service: string; account: string; secret: string }
  | { op: 'delete'; service: string; account: string }
  | { op: 'list'; service: string };

/** KeytarEntry is one listed item, without its secret. */
export interface KeytarEntry {
  account: string;
  username?: string;
  identityToken: boolean;
  /** false when the secret is not the JSON ORAS Desktop writes. */
  readable: boolean;
}

/**
 * KeytarFailure: the child answered with keytar's error, crashed, or ran out of time;
 * `unavailable` means keytar itself is not installed or cannot be loaded (it is an
 * optional dependency, and its native part needs libsecret).
 */
export class KeytarFailure extends Error {
  override readonly name = 'KeytarFailure';
  constructor(
    readonly kind: 'error' | 'timeout' | 'crash' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

const CHILD = String.raw`'use strict';
let keytar, loadError;
try { keytar = require(process.argv[1]); } catch (e) { loadError = e; }
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', async () => {
  let out;
  try {
    if (loadError) throw Object.assign(new Error(String(loadError.message || loadError)), { unavailable: true });
    const r = JSON.parse(input);
    let value;
    if (r.op === 'get') value = await keytar.getPassword(r.service, r.account);
    else if (r.op === 'set') value = await keytar.setPassword(r.service, r.account, r.secret);
    else if (r.op === 'delete') value = await keytar.deletePassword(r.service, r.account);
    else if (r.op === 'list') {
      value = (await keytar.findCredentials(r.service)).map(({ account, password }) => {
        let s;
        try { s = JSON.parse(password); } catch (e) { s = undefined; }
        const ok = !!s && typeof s === 'object';
        return { account, username: ok && typeof s.username === 'string' ? s.username : undefined, identityToken: ok && !!s.identityToken, readable: ok };
      });
    } else throw new Error('unknown keytar operation');
    out = { ok: true, value: value === undefined ? null : value };
  } catch (e) {
    out = { ok: false, unavailable: !!(e && e.unavailable), message: String((e && e.message) || e) };
  }
  process.stdout.write(JSON.stringify(out), () => process.exit(0));
});
`;

let resolvedKeytar: string | undefined;

/**
 * keytarModulePath finds keytar's entry next to this code (node_modules/keytar) without
 * loading it: keytar is loaded only in the child, so a missing or broken keytar (an
 * optional dependency) never stops the CLI, the library or the app from starting.
 */
export function keytarModulePath(): string {
  if (resolvedKeytar === undefined) {
    try {
      resolvedKeytar = createRequire(import.meta.url).resolve('keytar');
    } catch (err) {
      throw new KeytarFailure('unavailable', `keytar is not installed: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return resolvedKeytar;
}

export interface RunKeytarOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** keytar's entry file; found next to this module by default. */
  keytarPath?: string;
}

export function runKeytar(request: Extract<KeytarRequest, { op: 'get' }>, options: RunKeytarOptions): Promise<string | null>;
export function runKeytar(request: Extract<KeytarRequest, { op: 'set' }>, options: RunKeytarOptions): Promise<null>;
export function runKeytar(request: Extract<KeytarRequest, { op: 'delete' }>, options: RunKeytarOptions): Promise<boolean>;
export function runKeytar(request: Extract<KeytarRequest, { op: 'list' }>, options: RunKeytarOptions): Promise<KeytarEntry[]>;
export function runKeytar(request: KeytarRequest, options: RunKeytarOptions): Promise<unknown> {
  const keytarPath = options.keytarPath ?? keytarModulePath();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD, keytarPath], {
      // ELECTRON_RUN_AS_NODE makes Electron's binary a plain Node; Node ignores it.
      env: { ...options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (err: Error | undefined, value?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new KeytarFailure('timeout', `no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 4096) stderr += d;
    });
    // Not keytar's fault: the child itself could not start.
    child.on('error', (err) => finish(new KeytarFailure('crash', `cannot start ${process.execPath}: ${nodeReason(err)}`)));
    child.on('close', (code, signal) => {
      let answer: { ok: boolean; value?: unknown; message?: string; unavailable?: boolean } | undefined;
      try {
        answer = JSON.parse(stdout) as typeof answer;
      } catch {
        answer = undefined;
      }
      if (answer?.ok) return finish(undefined, answer.value);
      if (answer && !answer.ok) {
        return finish(new KeytarFailure(answer.unavailable ? 'unavailable' : 'error', String(answer.message ?? 'unknown error')));
      }
      const why = signal ? `the keychain library crashed (${signal})` : `the keychain helper process exited with status ${code}`;
      const said = stderr.trim().split('\n').filter((l) => l.trim() !== '').slice(-1)[0];
      finish(new KeytarFailure('crash', said ? `${why}: ${said.slice(0, 200)}` : why));
    });
    // The child may die before reading stdin (a crash on load): ignore EPIPE here.
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(request));
  });
}
