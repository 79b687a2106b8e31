import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { arity, str, type TemplateFunction } from './args';

/**
 * sprig's `getHostByName` (`network.go`): one of the addresses a name resolves to, at
 * random, as net.LookupHost answers. A template runs synchronously and Node resolves
 * names only asynchronously, so the lookup runs in a child Node (10 s at most); a name
 * that resolves to nothing is Go's panic on an empty list, an error here.
 */

/** LOOKUP: the child's script; it hands the addresses to this process as JSON on its fd 1 (a pipe the parent reads, never a terminal). */
const LOOKUP = "require('node:dns').lookup(process.argv[1], { all: true }, (err, addresses) => require('node:fs').writeSync(1, JSON.stringify(err ? [] : addresses.map((a) => a.address))));";

function lookupHost(name: string): string[] {
  try {
    const out = execFileSync(process.execPath, ['-e', LOOKUP, name], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    const addresses: unknown = JSON.parse(out);
    return Array.isArray(addresses) ? addresses.filter((a): a is string => typeof a === 'string') : [];
  } catch {
    return [];
  }
}

/** pickAddress is sprig's choice among the addresses: one at random; none is Go's rand.Intn(0) panic. */
export function pickAddress(addresses: string[]): string {
  if (addresses.length === 0) throw new Error('invalid argument to Intn');
  return addresses[randomInt(addresses.length)]!;
}

export const NETWORK_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  getHostByName: (...args) => (arity('getHostByName', args, 1), pickAddress(lookupHost(str(args[0]!)))),
};
