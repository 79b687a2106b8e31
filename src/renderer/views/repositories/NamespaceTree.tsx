import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { visible } from '../../components/kit';
import { navigate } from '../../routes/use-route';
import { href } from '../../routes/routes';
import { folderPaths, visibleNodes, type NamespaceNode, type VisibleNode } from './namespace-tree';

/**
 * NamespaceTree shows repositories as folders of namespaces, as a WAI-ARIA tree (APG
 * "tree view"): one tab stop; ↑/↓ move, → opens a folder or steps into it, ← closes it
 * or steps out, Home/End jump, Enter opens a repository (or toggles a folder), and
 * typing a letter jumps to the next name starting with it. A repository is also a link
 * (its `href`), so a middle click or "copy link" works as on any page.
 */
export function NamespaceTree({ registry, nodes, filtering }: { registry: string; nodes: NamespaceNode[]; filtering: boolean }) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [active, setActive] = useState<string | undefined>();
  const focusNext = useRef(false);
  const list = useRef<HTMLUListElement>(null);

  // A filter opens every folder that leads to a match; clearing it closes them again.
  const open = useMemo(() => (filtering ? new Set(folderPaths(nodes)) : expanded), [filtering, nodes, expanded]);
  const rows = useMemo(() => visibleNodes(nodes, open), [nodes, open]);
  const activePath = rows.some((r) => r.node.path === active) ? active : rows[0]?.node.path;

  useEffect(() => {
    if (!focusNext.current) return;
    focusNext.current = false;
    list.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(activePath ?? '')}"]`)?.focus();
  }, [activePath, rows]);

  const moveTo = (path: string | undefined) => {
    if (!path) return;
    focusNext.current = true;
    setActive(path);
  };
  const setOpen = (path: string, value: boolean) => {
    setExpanded((current) => {
      const next = new Set(filtering ? folderPaths(nodes) : current);
      if (value) next.add(path);
      else next.delete(path);
      return next;
    });
  };
  const activate = (row: VisibleNode) => {
    if (row.node.repository) navigate({ name: 'tags', registry, repository: row.node.repository });
    else setOpen(row.node.path, !open.has(row.node.path));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const at = rows.findIndex((r) => r.node.path === activePath);
    const row = rows[at];
    if (!row) return;
    const isFolder = row.node.children.length > 0;
    const isOpen = open.has(row.node.path);
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(rows[at + 1]?.node.path);
        break;
      case 'ArrowUp':
        moveTo(rows[at - 1]?.node.path);
        break;
      case 'Home':
        moveTo(rows[0]?.node.path);
        break;
      case 'End':
        moveTo(rows[rows.length - 1]?.node.path);
        break;
      case 'ArrowRight':
        if (isFolder && !isOpen) setOpen(row.node.path, true);
        else if (isFolder) moveTo(rows[at + 1]?.node.path);
        break;
      case 'ArrowLeft':
        if (isFolder && isOpen) setOpen(row.node.path, false);
        else moveTo(row.parentPath);
        break;
      case 'Enter':
        activate(row);
        break;
      case ' ':
        if (isFolder) setOpen(row.node.path, !isOpen);
        else activate(row);
        break;
      default:
        if (event.key.length === 1 && /\S/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
          const key = event.key.toLowerCase();
          const after = [...rows.slice(at + 1), ...rows.slice(0, at + 1)];
          moveTo(after.find((r) => r.node.name.toLowerCase().startsWith(key))?.node.path);
        } else {
          handled = false;
        }
    }
    if (handled) event.preventDefault();
  };

  return (
    <ul className="ns-tree" role="tree" aria-label="Repositories" ref={list} onKeyDown={onKeyDown}>
      {rows.map((row) => {
        const { node } = row;
        const isFolder = node.children.length > 0;
        const isOpen = open.has(node.path);
        const label = visible(node.path);
        return (
          <li
            key={node.path}
            role="treeitem"
            data-path={node.path}
            aria-level={row.level}
            aria-expanded={isFolder ? isOpen : undefined}
            aria-selected={node.path === activePath}
            aria-label={isFolder && !node.repository ? `${label}, folder of ${node.count}` : label}
            tabIndex={node.path === activePath ? 0 : -1}
            className="ns-row"
            style={{ paddingInlineStart: `${(row.level - 1) * 1.1 + 0.25}rem` }}
            onFocus={() => setActive(node.path)}
            onClick={(event) => {
              if ((event.target as HTMLElement).closest('a')) return;
              setActive(node.path);
              activate(row);
            }}
          >
            <span
              className={`ns-toggle${isFolder ? '' : ' ns-toggle-none'}`}
              aria-hidden="true"
              onClick={(event) => {
                if (!isFolder) return;
                event.stopPropagation();
                setActive(node.path);
                setOpen(node.path, !isOpen);
              }}
            >
              {isFolder ? (isOpen ? '▾' : '▸') : ''}
            </span>
            {node.repository ? (
              <a className="ns-name" href={href({ name: 'tags', registry, repository: node.repository })} tabIndex={-1} title={label}>
                {visible(node.name)}
              </a>
            ) : (
              <span className="ns-name ns-folder" title={label}>
                {visible(node.name)}/
              </span>
            )}
            {isFolder && <span className="ns-count muted">{node.count}</span>}
          </li>
        );
      })}
    </ul>
  );
}
