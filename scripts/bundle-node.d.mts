/** bundleNode bundles `entry` (TypeScript) to `outfile` as an ES module for Node 20. */
export function bundleNode(entry: string, outfile: string, options?: { sourcemap?: boolean }): Promise<unknown>;
