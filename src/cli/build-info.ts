/**
 * What the bundle knows of the checkout it was built from: esbuild's `define` fills
 * these in (scripts/bundle-node.mjs, from scripts/git-build-info.mjs). Run from source
 * (tests, tsx) they are not defined, and built outside a checkout they are empty: either
 * way `oras version` leaves the Git lines out, as ORAS does when its Makefile had none.
 */

declare const __ORAS_GIT_COMMIT__: string | undefined;
declare const __ORAS_GIT_TREE_STATE__: string | undefined;

/** GIT_COMMIT: `git rev-parse HEAD` at build time, or "". */
export const GIT_COMMIT: string = typeof __ORAS_GIT_COMMIT__ === 'string' ? __ORAS_GIT_COMMIT__ : '';

/** GIT_TREE_STATE: "clean" or "dirty" (uncommitted changes) at build time, or "". */
export const GIT_TREE_STATE: string = typeof __ORAS_GIT_TREE_STATE__ === 'string' ? __ORAS_GIT_TREE_STATE__ : '';
