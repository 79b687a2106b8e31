import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStale } from '../e2e/support/build';
import { consumerLock, tarballSpecFrom } from './support/consumer-lock';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * The npm package as a user gets it: `npm pack` (the build `prepack` runs, reused when
 * it is fresh), then installed from the tarball in an empty project, offline from npm's
 * cache (`npm ci --offline` over a lock naming the checkout's versions: the cache holds
 * tarballs, not the registry's documents `npm install` resolves ranges with), with
 * install scripts not run (npm 11 runs none it was not told to approve;
 * `--ignore-scripts` makes every npm behave so). Then, against a real registry:
 * a TypeScript program type-checked (`nodenext`, strict, the declarations checked too)
 * and run, pushing the seed's rocket and pulling it back; and the installed `oras`
 * through npx: version, push, pull, `login -c FILE`, a Docker credential helper, and the
 * keychain saying in one line that keytar, never built, cannot be loaded.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  license?: string;
};

/**
 * The most the tarball may weigh: 288 KB today (two bundles, declarations, README,
 * LICENSE; it was 196 KB before issue 10 brought Go templates with all of sprig, index,
 * backup and restore, and `.tar` layouts). A limit to catch a bundle that swallows a
 * dependency, not to forbid features.
 */
const MAX_PACKED_BYTES = 384 * 1024;
/** The most it may hold unpacked: 1.1 MB today. */
const MAX_UNPACKED_BYTES = 1536 * 1024;
/** Everything a user runs, and nothing else: no sources, tests, specs, scripts or maps. */
const PACKAGE_FILE = /^(?:package\.json|README\.md|LICENSE|bin\/(?:oras|v8-flags)\.js|dist\/(?:cli|lib)\.js|dist\/types\/[\w/.-]+\.d\.ts)$/;
/** What dist/cli.js and dist/lib.js import; the app's packages (React, zod, …) are bundled by electron-vite. */
const RUNTIME_DEPENDENCIES = ['commander', 'tar', 'undici'];

/** tsc over the declarations and a few npx runs take tens of seconds on a loaded machine. */
const SLOW_MS = 180_000;

const exec = promisify(execFile);
const tempDir = useTempDirs('oras-package-');
const ROCKET_MANIFEST = 'sha256:d070b65c4898a02357f5fc4488aa191d90a90ac7c907eb7ac079b6f483fc8608';

/** npmCache is where the checkout's `npm ci` left its downloads (test.sh gives tests a HOME of their own). */
function npmCache(): string {
  if (process.env.npm_config_cache) return process.env.npm_config_cache;
  return execFileSync('npm', ['config', 'get', 'cache'], { env: { ...process.env, HOME: userInfo().homedir }, encoding: 'utf8' }).trim();
}

/**
 * cleanEnv is this process's environment without what npm passes to scripts
 * (`npm_config_local_prefix` would make npm install into the checkout), with a HOME of
 * its own and npm's cache.
 */
function cleanEnv(home: string, cache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD') env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    DOCKER_CONFIG: path.join(home, '.docker'),
    npm_config_cache: cache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeout?: number;
  /** Written to the command's stdin (a password for --password-stdin). */
  input?: string;
}

async function run(command: string, args: string[], { input, ...options }: RunOptions): Promise<Outcome> {
  try {
    const running = exec(command, args, { ...options, timeout: options.timeout ?? 60_000, maxBuffer: 16 * 1024 * 1024 });
    running.child.stdin?.end(input ?? '');
    const { stdout, stderr } = await running;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function ok(command: string, args: string[], options: RunOptions): Promise<Outcome> {
  const outcome = await run(command, args, options);
  if (outcome.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${outcome.code}:\n${outcome.stdout}\n${outcome.stderr}`);
  }
  return outcome;
}

/** ensureBuilt runs `prepack` (the CLI and library bundles, the declarations) when its output is missing or older than its sources. */
function ensureBuilt(env: NodeJS.ProcessEnv): void {
  const inputs = [
    ...['src/lib.ts', 'src/main/engine', 'src/main/credentials', 'src/cli', 'src/shared'].map((p) => path.join(ROOT, p)),
    ...['build-cli.mjs', 'bundle-node.mjs', 'build-types.mjs'].map((p) => path.join(ROOT, 'scripts', p)),
    ...['package.json', 'tsconfig.json', 'tsconfig.lib.json'].map((p) => path.join(ROOT, p)),
  ];
  const outputs = ['dist/cli.js', 'dist/lib.js', 'dist/types/lib.d.ts'].map((p) => path.join(ROOT, p));
  if (outputs.some((output) => isStale(output, inputs))) {
    execFileSync('npm', ['run', 'prepack'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  }
}

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

// The program a user writes: the seed's rocket pushed from memory, pulled back into a
// folder, a cancelled pull and a missing tag, each failure told by its code.
const PROGRAM = `import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore, MemoryStore, isOrasError, openRepository, pull, push, type Descriptor } from 'oras-desktop';

const [host, outDir] = process.argv.slice(2) as [string, string];
const store = new MemoryStore();
const rocket = store.add('rocket.txt', 'text/plain', '🚀');
const config = store.add('', 'application/vnd.acme.rocket.config.v1+json', '{"RocketVersion":"v0.1.0"}');
const { registry, repository, tagOrDigest } = openRepository(\`\${host}/mystuff/myrocket:v0.1.0\`);
try {
  const pushed: Descriptor = await push(store, repository, tagOrDigest!, { layers: [rocket], config, imageSpec: 'v1.0' });

  const files = new FileStore(outDir);
  const { root } = await pull(repository, 'v0.1.0', files);
  await files.close();

  const codeOf = (err: unknown) => (isOrasError(err) ? err.code : String(err));
  const cancelled = await pull(repository, 'v0.1.0', new MemoryStore(), { signal: AbortSignal.abort() }).then(() => 'pulled', codeOf);
  const missing = await pull(repository, 'v9.9.9', new MemoryStore()).then(() => 'pulled', codeOf);

  const rocketText = await readFile(join(outDir, 'rocket.txt'), 'utf8');
  console.log(JSON.stringify({ pushed: pushed.digest, pulled: root.digest, rocketText, cancelled, missing }));
} finally {
  await registry.close();
}

// The declarations are types, not \`any\`: a wrong call does not compile.
export function wrongCall(): void {
  // @ts-expect-error: a tag is a string
  void push(store, repository, 42, { layers: [rocket] });
}
`;

/**
 * readmePrograms are the TypeScript blocks of the README's "Use it as a library"
 * section, each a program of its own, aimed at `host` (or, for the one reading a saved
 * login, `securedHost`) instead of localhost:5000.
 */
function readmePrograms(host: string, securedHost: string): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Use it as a library\n'));
  if (!section) throw new Error('README.md has no "## Use it as a library" section');
  return [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map(([, code]) =>
    code!.replaceAll('localhost:5000', code!.includes('registryConfig') ? securedHost : host),
  );
}

const TSCONFIG = {
  compilerOptions: {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'ES2022',
    strict: true,
    noUncheckedIndexedAccess: true,
    // The package's declarations are checked too, under this stricter resolution.
    skipLibCheck: false,
    types: ['node'],
    outDir: 'build',
  },
};

describe('the npm package, installed from its tarball', () => {
  let registry: Registry;
  let secured: Registry;
  let pack: PackResult;
  let project: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const home = await tempDir();
    env = cleanEnv(home, npmCache());
    ensureBuilt(env);
    const out = await tempDir();
    const packed = await ok('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: ROOT, env });
    pack = (JSON.parse(packed.stdout) as PackResult[])[0]!;

    project = await tempDir();
    const tarball = path.join(out, pack.filename);
    const consumer = await consumerLock({
      checkoutLockFile: path.join(ROOT, 'package-lock.json'),
      tarball,
      tarballSpec: tarballSpecFrom(project, tarball),
      packed: pkg,
      extra: ['@types/node'],
    });
    await writeFile(path.join(project, 'package.json'), JSON.stringify(consumer.manifest, null, 2));
    await writeFile(path.join(project, 'package-lock.json'), JSON.stringify(consumer.lock, null, 2));
    await writeFile(path.join(project, 'rocket.txt'), '🚀');
    await ok('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: project, env, timeout: 120_000 });
    [registry, secured] = await Promise.all([startRegistry(), startRegistry({ auth: 'htpasswd', users: { rocketeer: 's3cret' } })]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([registry?.stop(), secured?.stop()]);
  });

  it('holds what a user runs and nothing else, within its size', () => {
    const paths = pack.files.map((f) => f.path).sort();
    expect(paths.filter((p) => !PACKAGE_FILE.test(p))).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'bin/oras.js', 'bin/v8-flags.js', 'dist/cli.js', 'dist/lib.js', 'dist/types/lib.d.ts', 'package.json']));
    expect(paths.filter((p) => /(?:\.test\.|\/testing\/|\.spec\.)/.test(p))).toEqual([]);
    expect(pack.size).toBeLessThanOrEqual(MAX_PACKED_BYTES);
    expect(pack.unpackedSize).toBeLessThanOrEqual(MAX_UNPACKED_BYTES);
  });

  it('builds before packing, and depends only on what the library and CLI import', async () => {
    expect(pkg.scripts['prepack']).toBe('npm run build:cli && npm run build:types');
    expect(Object.keys(pkg.dependencies).sort()).toEqual(RUNTIME_DEPENDENCIES);
    const installed = await readdir(path.join(project, 'node_modules'));
    for (const appOnly of ['react', 'react-dom', 'zustand', 'zod', 'electron', 'file-type']) expect(installed).not.toContain(appOnly);
  });

  it('type-checks programs against the installed declarations; one pushes the rocket and pulls it back', async () => {
    await writeFile(path.join(project, 'rocket.ts'), PROGRAM);
    const readme = readmePrograms(registry.host, secured.host);
    expect(readme).toHaveLength(4);
    await Promise.all(readme.map((code, i) => writeFile(path.join(project, `readme-${i + 1}.ts`), code)));
    const files = ['rocket.ts', ...readme.map((_, i) => `readme-${i + 1}.ts`)];
    await writeFile(path.join(project, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, files }, null, 2));
    await ok(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, env });

    const outDir = path.join(project, 'pulled');
    const result = await ok(process.execPath, [path.join(project, 'build', 'rocket.js'), registry.host, outDir], { cwd: project, env });
    expect(JSON.parse(result.stdout)).toEqual({ pushed: ROCKET_MANIFEST, pulled: ROCKET_MANIFEST, rocketText: '🚀', cancelled: 'ABORTED', missing: 'NOT_FOUND' });
    const blob = await fetch(`${registry.url}/v2/mystuff/myrocket/blobs/sha256:ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5`);
    expect(await blob.text()).toBe('🚀');
  }, SLOW_MS);

  it('runs the installed oras: version, push and pull', async () => {
    const oras = (...args: string[]) => run('npx', ['--no', 'oras', ...args], { cwd: project, env });
    const version = await oras('version');
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout).toContain(pkg.version);

    const ref = `${registry.host}/cli/rocket:v1`;
    const push = await oras('push', ref, 'rocket.txt:text/plain');
    expect(push, push.stderr).toMatchObject({ code: 0 });
    const pull = await oras('pull', ref, '-o', 'out-cli');
    expect(pull, pull.stderr).toMatchObject({ code: 0 });
    expect(await readFile(path.join(project, 'out-cli', 'rocket.txt'), 'utf8')).toBe('🚀');
  }, SLOW_MS);

  it('logs in to a file with -c and reads Docker credential helpers, and without -c, with keytar never built, stores in Docker’s config with one line saying so', async () => {
    expect(existsSync(path.join(project, 'node_modules', 'keytar', 'build'))).toBe(false);
    // The installed bin itself (npx found it above; each npx costs seconds).
    const bin = path.join(project, 'node_modules', '.bin', 'oras');
    const oras = (...args: string[]) => run(bin, args, { cwd: project, env });
    const login = (...args: string[]) => run(bin, ['login', '-u', 'rocketeer', '--password-stdin', secured.host, ...args], { cwd: project, env, input: 's3cret\n' });
    const ref = `${secured.host}/private/rocket:v1`;
    const creds = path.join(project, 'rocket-creds.json');

    expect(await login('-c', creds)).toMatchObject({ code: 0 });
    const push = await oras('push', ref, 'rocket.txt:text/plain', '-c', creds);
    expect(push, push.stderr).toMatchObject({ code: 0 });
    const anonymous = await oras('pull', ref, '-o', 'out-anonymous');
    expect(anonymous.code).toBe(1);
    const pull = await oras('pull', ref, '-o', 'out-login', '-c', creds);
    expect(pull, pull.stderr).toMatchObject({ code: 0 });
    expect(await readFile(path.join(project, 'out-login', 'rocket.txt'), 'utf8')).toBe('🚀');

    // Without -c, with keytar never built: Docker's config, as docker login does on a
    // machine with no keychain, and one line saying so and how to build keytar.
    const keychainless = await login();
    expect(keychainless.code, keychainless.stderr).toBe(0);
    const lines = keychainless.stderr.trim().split('\n');
    expect(lines, keychainless.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^Warning: the login is stored unencrypted in .+config\.json .*: keytar is not built \(for the OS keychain: npm install-scripts approve keytar, then npm rebuild keytar\)/);
    const pullSaved = await oras('pull', ref, '-o', 'out-saved');
    expect(pullSaved, pullSaved.stderr).toMatchObject({ code: 0 });

    // Docker's credential helpers keep working without keytar: `credsStore` names one on PATH.
    const helpers = await tempDir();
    const helper = path.join(helpers, 'docker-credential-rocket');
    await writeFile(helper, `#!/bin/sh\n[ "$1" = get ] || exit 1\ncat >/dev/null\necho '{"ServerURL":"${secured.host}","Username":"rocketeer","Secret":"s3cret"}'\n`, { mode: 0o755 });
    await mkdir(env.DOCKER_CONFIG!, { recursive: true });
    await writeFile(path.join(env.DOCKER_CONFIG!, 'config.json'), JSON.stringify({ credsStore: 'rocket' }));
    const viaHelper = await run(bin, ['pull', ref, '-o', 'out-helper'], { cwd: project, env: { ...env, PATH: `${helpers}${path.delimiter}${env.PATH}` } });
    expect(viaHelper, viaHelper.stderr).toMatchObject({ code: 0 });
    expect(await readFile(path.join(project, 'out-helper', 'rocket.txt'), 'utf8')).toBe('🚀');
  }, SLOW_MS);

  it("runs the README's library programs as written", async () => {
    const node = (name: string) => run(process.execPath, [path.join(project, 'build', name)], { cwd: project, env });
    const pushed = await node('readme-1.js');
    expect(pushed, pushed.stderr).toMatchObject({ code: 0, stdout: `pushed ${ROCKET_MANIFEST}\n` });
    const pulled = await node('readme-2.js');
    expect(pulled, pulled.stderr).toMatchObject({ code: 0, stdout: `pulled ${ROCKET_MANIFEST} [ 'rocket.txt' ]\n` });
    expect(await readFile(path.join(project, 'out', 'rocket.txt'), 'utf8')).toBe('🚀');
    // The login the previous test saved with `oras login -c rocket-creds.json`.
    const withLogin = await node('readme-3.js');
    expect(withLogin, withLogin.stderr).toMatchObject({ code: 0 });
    const failed = await node('readme-4.js');
    expect(failed).toMatchObject({ code: 0, stdout: '' });
    expect(failed.stderr).toMatch(/^not there: .*v9\.9\.9/);
  }, SLOW_MS);
});
