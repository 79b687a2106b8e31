import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCa, createSigningCert, issueClientCert, issueServerCert, type CertFiles } from './certs';
import { makeTempDir, removeTempDir } from './temp-dir';
import { startTokenServer, type TokenServer, type TokenServerOptions } from './token-server';

/**
 * startRegistry runs a real registry (CNCF distribution 2.8, Debian's `docker-registry`)
 * on loopback, one per call, with its own data folder, so integration tests talk to the
 * server our users talk to rather than to a mock of our own understanding of it.
 */

const run = promisify(execFile);

export interface RegistryOptions {
  /** 'none' (default), 'htpasswd' (Basic, bcrypt file) or 'token' (Bearer, via a test token server). */
  auth?: 'none' | 'htpasswd' | 'token';
  /** user → password for htpasswd and token modes. */
  users?: Record<string, string>;
  /** Serve HTTPS with a certificate from a fresh test CA (returned as caFile / ca). */
  tls?: boolean;
  /** With `tls`: require a client certificate signed by the test CA (mutual TLS; returned as clientCert). */
  clientCerts?: boolean;
  /** Token mode: token server options (anonymousPull, expiresIn, authorize, allowPost, issuer, service). */
  token?: Omit<TokenServerOptions, 'signer' | 'users' | 'tls'>;
  /** Edit the generated configuration before it is written, e.g. `c => { c.catalog = { maxentries: 5 } }`. */
  configure?: (config: Record<string, any>) => void;
}

export interface Registry {
  /** `127.0.0.1:PORT`, as it goes in a reference. */
  host: string;
  /** `http(s)://127.0.0.1:PORT`. */
  url: string;
  /** Storage root: `docker/registry/v2/…` lives under it. */
  dataDir: string;
  /** The registry's log (level warn), for failure messages. */
  logFile: string;
  pid: number;
  /** TLS mode: the test CA certificate, as a file and as PEM text. */
  caFile?: string;
  ca?: string;
  /** clientCerts mode: a client certificate the registry accepts. */
  clientCert?: CertFiles;
  /** Token mode: the token server, with the requests it saw. */
  tokenServer?: TokenServer;
  readLog(): Promise<string>;
  /** stop ends the registry and token server and removes the folder; safe to call twice. */
  stop(): Promise<void>;
}

// Registries still running when the worker exits are killed, so a crashed test file
// leaves no docker-registry behind. 'exit' handlers must be synchronous: kill() is.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
const spawnErrors = new WeakMap<ChildProcess, Error>();

/** startRegistry starts a registry and resolves once `GET /v2/` answers. */
export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  const auth = options.auth ?? 'none';
  const dir = await makeTempDir('oras-registry-');
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'registry.log');
  let tokenServer: TokenServer | undefined;
  try {
    await mkdir(dataDir);
    const config: Record<string, any> = {
      version: '0.1',
      log: { level: 'warn', formatter: 'text', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: dataDir },
        delete: { enabled: true },
        // The purger is a background job that only adds noise to short-lived registries.
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: { secret: randomBytes(16).toString('hex'), headers: { 'X-Content-Type-Options': ['nosniff'] } },
      health: { storagedriver: { enabled: false } },
    };

    let tls: { keyPem: string; certPem: string } | undefined;
    let caFile: string | undefined;
    let ca: string | undefined;
    let clientCert: CertFiles | undefined;
    if (options.tls) {
      const caFiles = await createCa(dir);
      const server = await issueServerCert(caFiles, dir);
      config.http.tls = { certificate: server.certFile, key: server.keyFile };
      tls = server;
      caFile = caFiles.certFile;
      ca = caFiles.certPem;
      if (options.clientCerts) {
        // distribution 2.8 then asks for and verifies a client certificate on every connection.
        config.http.tls.clientcas = [caFiles.certFile];
        clientCert = await issueClientCert(caFiles, dir);
      }
    }

    if (auth === 'htpasswd') {
      const path = join(dir, 'htpasswd');
      await writeFile(path, await htpasswd(options.users ?? {}));
      config.auth = { htpasswd: { realm: 'oras-test-registry', path } };
    } else if (auth === 'token') {
      const signer = await createSigningCert(dir);
      tokenServer = await startTokenServer({ ...options.token, signer, users: options.users, tls });
      config.auth = {
        token: {
          realm: tokenServer.url,
          service: tokenServer.service,
          issuer: tokenServer.issuer,
          rootcertbundle: signer.certFile,
        },
      };
    }

    options.configure?.(config);
    const child = await launch(dir, config, logFile, ca, clientCert);
    const port = Number(/:(\d+)$/.exec(config.http.addr)?.[1]);
    const host = `127.0.0.1:${port}`;
    const registryTokenServer = tokenServer;
    let stopped: Promise<void> | undefined;
    return {
      host,
      url: `${options.tls ? 'https' : 'http'}://${host}`,
      dataDir,
      logFile,
      pid: child.pid!,
      caFile,
      ca,
      clientCert,
      tokenServer,
      readLog: () => readFile(logFile, 'utf8'),
      stop: () =>
        (stopped ??= (async () => {
          await kill(child);
          await registryTokenServer?.stop();
          await removeTempDir(dir);
        })()),
    };
  } catch (error) {
    await tokenServer?.stop();
    await removeTempDir(dir);
    throw error;
  }
}

/**
 * launch writes the config with a free port and starts the registry, retrying on a new
 * port when another process took ours between our probe and the registry's bind.
 */
async function launch(dir: string, config: Record<string, any>, logFile: string, ca?: string, clientCert?: CertFiles): Promise<ChildProcess> {
  const configFile = join(dir, 'config.yml');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    config.http.addr = `127.0.0.1:${port}`;
    // YAML is a superset of JSON, so JSON is a valid config.yml with no YAML writer needed.
    await writeFile(configFile, JSON.stringify(config, null, 2));
    // Truncated per attempt, so the log read after a failure is this attempt's.
    const log = await open(logFile, 'w');
    // A clean environment: REGISTRY_* variables would override the file.
    const child = spawn('docker-registry', ['serve', configFile], {
      stdio: ['ignore', log.fd, log.fd],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
    });
    // A missing binary shows up as an 'error' event, not an exit: keep it for waitReady.
    // Attached before any await, as an unheard 'error' event would crash the worker.
    child.once('error', (error) => {
      spawnErrors.set(child, error);
    });
    await log.close();
    running.add(child);
    child.once('exit', () => running.delete(child));
    const scheme = config.http.tls ? 'https' : 'http';
    try {
      await waitReady(child, `${scheme}://127.0.0.1:${port}/v2/`, ca, clientCert);
      return child;
    } catch (error) {
      await kill(child);
      const text = await readFile(logFile, 'utf8').catch(() => '');
      if (attempt < 5 && /address already in use/.test(text)) continue;
      throw new Error(`docker-registry did not start: ${(error as Error).message}\n${text.slice(-2000)}`);
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** waitReady polls `/v2/` until it answers 200 or 401, the process dies, or 20 s pass. */
async function waitReady(child: ChildProcess, url: string, ca?: string, clientCert?: CertFiles): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const spawnError = spawnErrors.get(child);
    if (spawnError) throw new Error(`cannot run docker-registry (apt-get install docker-registry): ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode})`);
    const status = await probe(url, ca, clientCert).catch(() => 0);
    if (status === 200 || status === 401) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no answer from ${url} within 20 s`);
}

function probe(url: string, ca?: string, clientCert?: CertFiles): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(url, { ca, ...(clientCert ? { cert: clientCert.certPem, key: clientCert.keyPem } : {}), agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** kill sends SIGTERM (the registry exits at once; it holds nothing worth flushing), then SIGKILL after 5 s. */
async function kill(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** htpasswd makes a bcrypt htpasswd file (distribution accepts bcrypt only) with the real tool. */
async function htpasswd(users: Record<string, string>): Promise<string> {
  const lines = await Promise.all(
    Object.entries(users).map(async ([user, password]) => (await run('htpasswd', ['-Bbn', user, password])).stdout.trim()),
  );
  return lines.join('\n') + '\n';
}
