import { compareNatural } from '../tags/tag-list-logic';

/**
 * NamespaceNode is one level of the catalog shown as folders: `team/app/x` is the
 * repository `x` under `team` › `app`. A name can be both a repository and a folder
 * (`team/app` and `team/app/x`), so a node has `repository` and `children` apart.
 */
export interface NamespaceNode {
  /** The last path segment ("app"). */
  name: string;
  /** The whole path to here ("team/app"): the key, and the folder's id when expanding. */
  path: string;
  /** Set when `path` is itself a repository. */
  repository?: string;
  children: NamespaceNode[];
  /** Repositories at or under this node. */
  count: number;
}

/**
 * buildNamespaceTree folds repository names into folders by `/`, children in natural
 * order, folders before plain repositories. `filter` (case-insensitive substring of
 * the whole name) keeps matching repositories and the folders that lead to them.
 */
export function buildNamespaceTree(repositories: readonly string[], filter = ''): NamespaceNode[] {
  const needle = filter.trim().toLowerCase();
  const root: NamespaceNode = { name: '', path: '', children: [], count: 0 };
  const index = new Map<string, NamespaceNode>([['', root]]);
  for (const repository of repositories) {
    if (needle && !repository.toLowerCase().includes(needle)) continue;
    let parent = root;
    let path = '';
    for (const part of repository.split('/')) {
      path = path ? `${path}/${part}` : part;
      let node = index.get(path);
      if (!node) {
        node = { name: part, path, children: [], count: 0 };
        index.set(path, node);
        parent.children.push(node);
      }
      parent.count++;
      parent = node;
    }
    parent.count++;
    parent.repository = repository;
  }
  sortTree(root.children);
  return root.children;
}

function sortTree(nodes: NamespaceNode[]): void {
  nodes.sort((a, b) => Number(b.children.length > 0) - Number(a.children.length > 0) || compareNatural(a.name, b.name));
  for (const node of nodes) sortTree(node.children);
}

/** folderPaths lists every node with children: what "expand all" opens (a filter does). */
export function folderPaths(nodes: readonly NamespaceNode[]): string[] {
  const out: string[] = [];
  const walk = (list: readonly NamespaceNode[]) => {
    for (const node of list) {
      if (node.children.length > 0) {
        out.push(node.path);
        walk(node.children);
      }
    }
  };
  walk(nodes);
  return out;
}

/** VisibleNode is a node as a flat, keyboard-walkable row of the tree. */
export interface VisibleNode {
  node: NamespaceNode;
  level: number;
  parentPath?: string;
}

/** visibleNodes flattens the tree to the rows shown, given which folders are open. */
export function visibleNodes(nodes: readonly NamespaceNode[], expanded: ReadonlySet<string>, level = 1, parentPath?: string): VisibleNode[] {
  const out: VisibleNode[] = [];
  for (const node of nodes) {
    out.push(parentPath === undefined ? { node, level } : { node, level, parentPath });
    if (node.children.length > 0 && expanded.has(node.path)) out.push(...visibleNodes(node.children, expanded, level + 1, node.path));
  }
  return out;
}
