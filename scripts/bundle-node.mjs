// bundleNode is the one esbuild set-up for everything that runs on Node: the CLI, the
// library, browser mode's server, the benchmark, and the private copies tests build.
// Dependencies stay external: they are installed next to the output by npm.
import { build } from 'esbuild';

/** @param {string} entry @param {string} outfile @param {{ sourcemap?: boolean }} [options] */
export function bundleNode(entry, outfile, options = {}) {
  return build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: options.sourcemap ?? false,
    logLevel: 'warning',
  });
}
