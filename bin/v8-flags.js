// V8 flags for a short `oras` process, set by the launcher before the CLI's bundle
// loads: V8 reads them when it compiles, so they hold for all the CLI's code. (`node`
// cannot take them from a `#!` line portably, and NODE_OPTIONS refuses them.)
// Measured in BENCHMARKS.md, "Many small files": a 1,000-file push uses about 0.45 s
// less CPU (a sixth), a 1 GiB push about 0.6 s less; a 1 GiB pull is unchanged.
import { setFlagsFromString } from 'node:v8';

export function setShortProcessFlags() {
  // Only on the V8 they were measured with (11, in Node 20): V8 prints "Error:
  // unrecognized flag" on stderr for a flag it does not know, and a later V8 may rename
  // these or change their defaults.
  if (!process.versions.v8.startsWith('11.')) return;
  // undici's HTTP parser (llhttp, WebAssembly) stays on V8's baseline compiler instead
  // of being recompiled with TurboFan in the background in every run: parsing status
  // lines and headers does not need the faster code, and a body passes the parser in
  // large spans. Both flags are needed; either alone saves nothing.
  setFlagsFromString('--no-wasm-dynamic-tiering');
  setFlagsFromString('--no-wasm-tier-up');
  // JavaScript is optimised with TurboFan after four times as much running as V8's
  // default (66 KiB of bytecode): a short run compiles fewer functions it will soon
  // stop calling, while a long transfer's hot loop is still optimised within moments.
  setFlagsFromString('--interrupt-budget=270336');
}
