/** gitBuildInfo: the commit and tree state ("clean"/"dirty") of the checkout at `root`, or empty strings when it is none. */
export function gitBuildInfo(root: string): { commit: string; treeState: string };
