// V8 flags for a short `oras` process, set by the launcher before the CLI's bundle
// loads: V8 reads them when it compiles, so they hold for all the CLI's code. (`node`
// cannot take them from a `#!` line portably, and NODE_OPTIONS refuses them.)
// Measured in BENCHMARKS.md, "Many small files": on Node 20 a 1,000-file push uses
// about 0.45 s less CPU (a sixth), a 1 GiB push about 0.6 s less; a 1 GiB pull is
// unchanged. Each flag is set only on the V8 versions it was measured on: a V8 that
// does not know a flag prints "Error: unrecognized flag" on stderr.
import { setFlagsFromString } from 'node:v8';

/** shortProcessFlags answers the flags for a V8 version ("11.3.244.8-node.38"). */
export function shortProcessFlags(v8Version) {
  const major = Number(v8Version.split('.')[0]);
  const flags = [];
  // undici's HTTP parser (llhttp, WebAssembly) stays on V8's baseline compiler instead
  // of being recompiled with TurboFan in the background in every run: parsing status
  // lines and headers does not need the faster code, and a body passes the parser in
  // large spans. Both flags are needed; either alone saves nothing. V8 11 to 13
  // (Node 20, 22 and 24).
  if (major >= 11 && major <= 13) flags.push('--no-wasm-dynamic-tiering', '--no-wasm-tier-up');
  // JavaScript is optimised with TurboFan after four times as much running as V8's
  // default (66 KiB of bytecode): a short run compiles fewer functions it will soon
  // stop calling, while a long transfer's hot loop is still optimised within moments.
  // V8 11 only: V8 12 replaced this budget with other counters (and Maglev).
  if (major === 11) flags.push('--interrupt-budget=270336');
  return flags;
}

export function setShortProcessFlags() {
  for (const flag of shortProcessFlags(process.versions.v8)) setFlagsFromString(flag);
}
