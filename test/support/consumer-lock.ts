import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * consumerLock writes the package-lock.json of a project that depends on a packed
 * tarball of this package (and `extra` packages the checkout also has), with every
 * other package at the version, tarball and integrity the checkout's own lock names.
 *
 * Why: npm's cache holds what `npm ci` downloaded — tarballs by integrity — but not the
 * registry's package documents, so `npm install --offline <tarball>` cannot resolve a
 * range like `undici@^7` ("ENOTCACHED"). With a lock naming each tarball, `npm ci
 * --offline` installs from the cache alone, and the test never reaches the network.
 */

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

interface Lock {
  name: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

export interface ConsumerProject {
  /** The project's package.json. */
  manifest: Record<string, unknown>;
  /** Its package-lock.json. */
  lock: Lock;
}

/**
 * locate finds where Node would load `name` from, for a package installed at `from`
 * ('' is the project): its own node_modules, then each parent's, up to the project's.
 */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent < 0 ? '' : base.slice(0, parent);
  }
}

/**
 * consumerLock: `tarball` is the packed package (its package.json given as `packed`),
 * referred to from the project's folder as `tarballSpec` (`file:…`); `extra` names
 * packages of the checkout to install next to it at the checkout's versions
 * (`@types/node`).
 */
export async function consumerLock(options: {
  checkoutLockFile: string;
  tarball: string;
  tarballSpec: string;
  packed: { name: string; version: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; bin?: Record<string, string>; engines?: Record<string, string>; license?: string };
  extra?: string[];
}): Promise<ConsumerProject> {
  const checkout = JSON.parse(await readFile(options.checkoutLockFile, 'utf8')) as Lock;
  const { packed } = options;
  const integrity = `sha512-${createHash('sha512').update(await readFile(options.tarball)).digest('base64')}`;

  const rootDependencies: Record<string, string> = { [packed.name]: options.tarballSpec };
  for (const name of options.extra ?? []) {
    const entry = checkout.packages[`node_modules/${name}`];
    if (!entry?.version) throw new Error(`consumerLock: the checkout has no ${name}`);
    rootDependencies[name] = entry.version;
  }

  const packages: Record<string, LockEntry> = {
    '': { name: 'rocket-user', dependencies: rootDependencies },
    [`node_modules/${packed.name}`]: {
      version: packed.version,
      resolved: options.tarballSpec,
      integrity,
      license: packed.license,
      dependencies: packed.dependencies,
      optionalDependencies: packed.optionalDependencies,
      bin: packed.bin,
      engines: packed.engines,
    },
  };

  // Walk the dependency graph from the packed package and the extras, copying each
  // package's entry from the checkout's lock at the place it is installed there.
  const queue: { from: string; name: string; optional: boolean }[] = [
    ...Object.keys(packed.dependencies ?? {}).map((name) => ({ from: `node_modules/${packed.name}`, name, optional: false })),
    ...Object.keys(packed.optionalDependencies ?? {}).map((name) => ({ from: `node_modules/${packed.name}`, name, optional: true })),
    ...(options.extra ?? []).map((name) => ({ from: '', name, optional: false })),
  ];
  const required = new Set<string>();
  for (let item = queue.shift(); item; item = queue.shift()) {
    const at = locate(checkout.packages, item.from, item.name);
    if (!at) {
      if (item.optional) continue; // not installed here (another platform's): npm skips it too
      throw new Error(`consumerLock: ${item.name}, needed by ${item.from || 'the project'}, is not in the checkout's lock`);
    }
    // Each place once; again only when a package first reached as optional turns out required.
    if (at in packages && (item.optional || required.has(at))) continue;
    const { dev: _dev, devOptional: _devOptional, optional: _optional, peer: _peer, ...entry } = checkout.packages[at]!;
    packages[at] = item.optional ? { ...entry, optional: true } : entry;
    if (!item.optional) required.add(at);
    const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n));
    for (const name of Object.keys(entry.dependencies ?? {})) queue.push({ from: at, name, optional: item.optional });
    for (const name of Object.keys(entry.optionalDependencies ?? {})) queue.push({ from: at, name, optional: true });
    for (const name of Object.keys(entry.peerDependencies ?? {})) queue.push({ from: at, name, optional: item.optional || optionalPeers.has(name) });
  }

  return {
    manifest: { name: 'rocket-user', private: true, type: 'module', dependencies: rootDependencies },
    lock: { name: 'rocket-user', lockfileVersion: 3, requires: true, packages },
  };
}

/** tarballSpecFrom is the `file:` spec of `tarball` as written in a project at `projectDir`. */
export function tarballSpecFrom(projectDir: string, tarball: string): string {
  return `file:${path.relative(projectDir, tarball).split(path.sep).join('/')}`;
}
