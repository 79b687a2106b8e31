// bundleNode is the one esbuild set-up for everything that runs on Node: the CLI, the
// library, browser mode's server, the benchmark, and the private copies tests build.
// Dependencies stay external: they are installed next to the output by npm.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { gitBuildInfo } from './git-build-info.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @param {string} entry @param {string} outfile @param {{ sourcemap?: boolean }} [options] */
export function bundleNode(entry, outfile, options = {}) {
  const git = gitBuildInfo(root);
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
    // `oras version`'s Git commit and tree state (src/cli/build-info.ts).
    define: { __ORAS_GIT_COMMIT__: JSON.stringify(git.commit), __ORAS_GIT_TREE_STATE__: JSON.stringify(git.treeState) },
  });
}
