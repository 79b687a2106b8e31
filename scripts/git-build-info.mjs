// gitBuildInfo is what `oras version` says of the checkout a bundle was built from, as
// ORAS's Makefile stamps it (GIT_COMMIT from `git rev-parse HEAD`, GIT_TREE_STATE
// "clean" or "dirty" from `git status --porcelain`). Built anywhere else (an unpacked
// npm tarball, a folder inside another project's repository) both are empty, and
// `oras version` leaves the lines out, as ORAS does.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';

/** @type {Map<string, { commit: string, treeState: string }>} */
const cache = new Map();

/** @param {string} root the folder holding package.json @returns {{ commit: string, treeState: string }} */
export function gitBuildInfo(root) {
  const known = cache.get(root);
  if (known) return known;
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  let info = { commit: '', treeState: '' };
  try {
    // Only this project's own checkout: a repository further up is someone else's.
    if (realpathSync(git('rev-parse', '--show-toplevel').trim()) === realpathSync(root)) {
      const commit = git('rev-parse', 'HEAD').trim();
      const dirty = git('status', '--porcelain').trim() !== '';
      if (/^[0-9a-f]{40,64}$/.test(commit)) info = { commit, treeState: dirty ? 'dirty' : 'clean' };
    }
  } catch {
    // No git, or not a checkout: nothing to say.
  }
  cache.set(root, info);
  return info;
}
