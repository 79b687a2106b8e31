#!/usr/bin/env node
// The floor of Node and undici for a push of many small files, without the engine:
// per file one POST that mounts from the repository itself (201 held, 202 an upload)
// and one PUT with the digest, 16 at once on one undici Pool, nothing else (no
// progress, no manifest, no checks). bench/small-files.ts runs it in turns with `oras
// push` and the seed's library (BENCHMARKS.md, "Many small files"): its ratio to the
// seed is the floor under any Node client, and the gap to `oras push` what the engine adds.
//
//   /usr/bin/time -f '%e s %U+%S' node bench/bare-undici-push.mjs 127.0.0.1:5000 ./files
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'undici';
import { setShortProcessFlags } from '../bin/v8-flags.js';

// The V8 flags `oras` runs with, so the floor stands on the same ground (undici
// compiles its parser at the first connection, after this line).
setShortProcessFlags();

const [host, folder] = process.argv.slice(2);
if (!host || !folder) {
  console.error('usage: bare-undici-push.mjs <host:port> <folder of files>');
  process.exit(2);
}
const base = `http://${host}`;
const pool = new Pool(base, { connections: 16 });
const repository = `bare/push-${Date.now()}`;
const files = readdirSync(folder).map((name) => readFileSync(path.join(folder, name)));
let next = 0;
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (next < files.length) {
      const bytes = files[next++];
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      const opened = await pool.request({ method: 'POST', path: `/v2/${repository}/blobs/uploads/?mount=${digest}&from=${repository}` });
      await opened.body.dump();
      if (opened.statusCode === 201) continue;
      const location = new URL(opened.headers.location, base);
      location.searchParams.set('digest', digest);
      const put = await pool.request({
        method: 'PUT',
        path: location.pathname + location.search,
        body: bytes,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) },
      });
      await put.body.dump();
      if (put.statusCode !== 201) throw new Error(`PUT answered ${put.statusCode}`);
    }
  }),
);
await pool.close();
console.log(`${files.length} blobs pushed to ${host}/${repository}`);
