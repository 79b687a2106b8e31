import { spawn } from 'node:child_process';
import { OrasError } from '../engine/errors';
import { nodeReason } from '../engine/node-errors';
import type { Credential } from '../engine/transport/credential';
import { formatSeconds } from './secret-service-probe';

/**
 * CredentialHelper runs `docker-credential-<name>`, Docker's credential helper protocol
 * (https://github.com/docker/docker-credential-helpers#development): the action is the
 * only argument; `get` and `erase` read a server URL on stdin, `store` reads
 * `{"ServerURL","Username","Secret"}`, `get` prints that object and `list` prints
 * `{serverURL: username}`. The user name `<token>` marks an identity token.
 *
 * Secrets travel over stdin and stdout only; error messages carry what the helper
 * printed, which helpers keep free of secrets, cut short.
 */

/** Docker's marker user name for an identity (refresh) token. */
export const TOKEN_USERNAME = '<token>';

/** The message every helper prints when it has nothing for a server URL. */
const NOT_FOUND = /credentials not found/i;

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface CredentialHelperOptions {
  env?: NodeJS.ProcessEnv;
  /** Default 10 s: a helper may ask gpg-agent or a keyring, but never for long. */
  timeoutMs?: number;
}

/** HelperError is a helper that is missing, failed, timed out or printed nonsense. */
export class HelperError extends OrasError {
  constructor(
    readonly helper: string,
    readonly reason: 'missing' | 'failed' | 'timeout' | 'protocol',
    message: string,
  ) {
    super(reason === 'missing' ? 'NOT_FOUND' : 'INTERNAL', message);
  }
}

/**
 * CredentialHelper runs one of Docker's credential helpers (`docker-credential-<name>`:
 * get, store, erase, list), each call given 10 s. Errors are HelperError, saying which
 * helper failed and how.
 */
export class CredentialHelper {
  readonly program: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;

  constructor(
    readonly name: string,
    options: CredentialHelperOptions = {},
  ) {
    // The name comes from a config file: never let it become a path to run.
    if (!HELPER_NAME.test(name)) throw new OrasError('INVALID_ARGUMENT', `${JSON.stringify(name)} is not a credential helper name`);
    this.program = `docker-credential-${name}`;
    this.env = options.env ?? process.env;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** get returns the helper's credential for a server URL, undefined when it has none. */
  async get(serverUrl: string): Promise<Credential | undefined> {
    const result = await this.run('get', serverUrl);
    if (result.code !== 0) {
      if (NOT_FOUND.test(result.output)) return undefined;
      throw this.failure('get', result);
    }
    let parsed: { Username?: unknown; Secret?: unknown };
    try {
      parsed = JSON.parse(result.stdout) as typeof parsed;
    } catch {
      throw new HelperError(this.name, 'protocol', `${this.program} get did not answer with JSON`);
    }
    const username = typeof parsed.Username === 'string' ? parsed.Username : '';
    const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
    // Some helpers (pass) answer "not found" with an empty secret and status 0.
    if (secret === '') return undefined;
    if (username === TOKEN_USERNAME) return { identityToken: secret };
    return { username, password: secret };
  }

  /** store saves a credential under a server URL; an identity token is stored as Docker does. */
  async store(serverUrl: string, credential: Credential): Promise<void> {
    const secret = credential.identityToken ?? credential.password;
    if (!secret) throw new OrasError('INVALID_ARGUMENT', 'a login needs a password or an identity token');
    const username = credential.identityToken ? TOKEN_USERNAME : (credential.username ?? '');
    const result = await this.run('store', JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret }));
    if (result.code !== 0) throw this.failure('store', result);
  }

  /** erase removes a server URL's credential; one that is not there is no error. */
  async erase(serverUrl: string): Promise<void> {
    const result = await this.run('erase', serverUrl);
    if (result.code !== 0 && !NOT_FOUND.test(result.output)) throw this.failure('erase', result);
  }

  /** list maps server URLs to user names. */
  async list(): Promise<Record<string, string>> {
    const result = await this.run('list', '');
    if (result.code !== 0) throw this.failure('list', result);
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.stdout.trim() === '' ? '{}' : result.stdout);
    } catch {
      throw new HelperError(this.name, 'protocol', `${this.program} list did not answer with JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new HelperError(this.name, 'protocol', `${this.program} list did not answer with a JSON object`);
    }
    const out: Record<string, string> = {};
    for (const [url, user] of Object.entries(parsed)) out[url] = typeof user === 'string' ? user : '';
    return out;
  }

  private failure(action: string, result: { code: number | null; output: string }): HelperError {
    // Helpers print errors on stdout or stderr; a JSON line could hold a secret, so skip those.
    const said = result.output
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('{') && !l.includes('"Secret"'))
      .slice(-1)[0]
      ?.slice(0, 200);
    return new HelperError(this.name, 'failed', `${this.program} ${action} failed (exit status ${result.code})${said ? `: ${said}` : ''}`);
  }

  private run(action: string, input: string): Promise<{ code: number | null; stdout: string; output: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.program, [action], { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let settled = false;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        done(new HelperError(this.name, 'timeout', `${this.program} ${action} did not answer within ${formatSeconds(this.timeoutMs)}`));
      }, this.timeoutMs);
      const done = (err: Error | undefined, value?: { code: number | null; stdout: string; output: string }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(value!);
      };
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        if (stdout.length < 1024 * 1024) stdout += d;
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        if (stderr.length < 64 * 1024) stderr += d;
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') done(new HelperError(this.name, 'missing', `${this.program} is not installed (not found on PATH)`));
        else done(new HelperError(this.name, 'failed', `cannot run ${this.program}: ${nodeReason(err)}`));
      });
      child.on('close', (code) => done(undefined, { code, stdout, output: `${stdout}\n${stderr}` }));
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    });
  }
}
