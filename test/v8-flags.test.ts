import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module next to the launcher, without types
import { shortProcessFlags } from '../bin/v8-flags.js';

/**
 * The launcher's V8 flags (bin/v8-flags.js): each only on the V8 versions it was
 * measured on, because a V8 that does not know a flag says so on stderr, which
 * `oras` must keep clean for the scripts that read it.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const WASM = ['--no-wasm-dynamic-tiering', '--no-wasm-tier-up'];

describe('the launcher V8 flags', () => {
  it('sets the WebAssembly flags on V8 11 to 13 and the interrupt budget on V8 11 alone', () => {
    expect(shortProcessFlags('11.3.244.8-node.38')).toEqual([...WASM, '--interrupt-budget=270336']);
    expect(shortProcessFlags('12.4.254.21-node.57')).toEqual(WASM);
    expect(shortProcessFlags('13.6.233.17-node.63')).toEqual(WASM);
    expect(shortProcessFlags('14.0.1')).toEqual([]);
    expect(shortProcessFlags('10.2.154.26-node.26')).toEqual([]);
  });

  it('are all known to this Node: setting them prints nothing', () => {
    const flags: string[] = shortProcessFlags(process.versions.v8);
    const script = `const { setFlagsFromString } = require('node:v8'); for (const f of ${JSON.stringify(flags)}) setFlagsFromString(f);`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    // The launcher itself, end to end.
    const version = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'oras.js'), 'version'], { encoding: 'utf8', cwd: ROOT });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stderr).toBe('');
  });
});
