#!/usr/bin/env node
// The floor of Node and undici for a pull of many small files, without the engine: the
// manifest by tag, then per layer one GET, its digest checked, the bytes written to a
// new file named by its title; 16 at once on one undici Pool of 16 connections (the
// CLI's pool and its small-blob concurrency), nothing else (no progress, no resume, no
// path checks). bench/small-files.ts runs it in turns with `oras pull` and the seed's
// library, so that every run shows how close to the seed any Node client can come:
//
//   /usr/bin/time -f '%e s %U+%S' node bench/bare-undici-pull.mjs 127.0.0.1:5000 repo tag ./out
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'undici';
import { setShortProcessFlags } from '../bin/v8-flags.js';

// The V8 flags `oras` runs with, so the floor stands on the same ground (undici
// compiles its parser at the first connection, after this line).
setShortProcessFlags();

const [host, repository, tag, out] = process.argv.slice(2);
if (!host || !repository || !tag || !out) {
  console.error('usage: bare-undici-pull.mjs <host:port> <repository> <tag> <output folder>');
  process.exit(2);
}
const AT_ONCE = 16;
const pool = new Pool(`http://${host}`, { connections: AT_ONCE });
const answer = await pool.request({
  method: 'GET',
  path: `/v2/${repository}/manifests/${tag}`,
  headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
});
if (answer.statusCode !== 200) throw new Error(`manifest: ${answer.statusCode}`);
const { layers } = JSON.parse(await answer.body.text());
mkdirSync(out, { recursive: true });
let next = 0;
await Promise.all(
  Array.from({ length: AT_ONCE }, async () => {
    while (next < layers.length) {
      const layer = layers[next++];
      const got = await pool.request({ method: 'GET', path: `/v2/${repository}/blobs/${layer.digest}` });
      const bytes = Buffer.from(await got.body.arrayBuffer());
      if (got.statusCode !== 200) throw new Error(`GET ${layer.digest} answered ${got.statusCode}`);
      if (`sha256:${createHash('sha256').update(bytes).digest('hex')}` !== layer.digest) throw new Error(`${layer.digest}: wrong digest`);
      const fd = openSync(path.join(out, path.basename(layer.annotations['org.opencontainers.image.title'])), 'wx');
      try {
        writeSync(fd, bytes);
      } finally {
        closeSync(fd);
      }
    }
  }),
);
await pool.close();
console.log(`${layers.length} blobs pulled from ${host}/${repository}:${tag}`);
