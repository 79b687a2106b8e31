import { describe, expect, it } from 'vitest';
import { buildNamespaceTree, folderPaths, visibleNodes } from './namespace-tree';

const names = ['team/app/x', 'team/app', 'team/app/y10', 'team/app/y9', 'solo', 'other/z'];

describe('buildNamespaceTree', () => {
  it('folds names into folders, folders first, natural order', () => {
    const tree = buildNamespaceTree(names);
    expect(tree.map((n) => n.name)).toEqual(['other', 'team', 'solo']);
    const team = tree[1]!;
    expect(team.repository).toBeUndefined();
    expect(team.count).toBe(4);
    const app = team.children[0]!;
    expect(app.path).toBe('team/app');
    expect(app.repository).toBe('team/app');
    expect(app.children.map((n) => n.repository)).toEqual(['team/app/x', 'team/app/y9', 'team/app/y10']);
    expect(tree[2]).toMatchObject({ name: 'solo', repository: 'solo', count: 1, children: [] });
  });

  it('keeps matches and the folders leading to them', () => {
    const tree = buildNamespaceTree(names, ' Y1 ');
    expect(tree.map((n) => n.path)).toEqual(['team']);
    expect(folderPaths(tree)).toEqual(['team', 'team/app']);
    expect(tree[0]!.children[0]!.repository).toBeUndefined();
    expect(tree[0]!.children[0]!.children.map((n) => n.path)).toEqual(['team/app/y10']);
  });

  it('is empty for no names or no match', () => {
    expect(buildNamespaceTree([])).toEqual([]);
    expect(buildNamespaceTree(names, 'nothing')).toEqual([]);
  });
});

describe('visibleNodes', () => {
  it('shows the children of open folders only, with levels and parents', () => {
    const tree = buildNamespaceTree(names);
    expect(visibleNodes(tree, new Set()).map((v) => v.node.path)).toEqual(['other', 'team', 'solo']);
    const open = visibleNodes(tree, new Set(['team', 'team/app']));
    expect(open.map((v) => `${v.level}:${v.node.path}`)).toEqual([
      '1:other',
      '1:team',
      '2:team/app',
      '3:team/app/x',
      '3:team/app/y9',
      '3:team/app/y10',
      '1:solo',
    ]);
    expect(open[2]!.parentPath).toBe('team');
  });
});
