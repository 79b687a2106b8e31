import type { RegistryEntry } from '../../shared/contract';
import { navigate } from '../routes/use-route';
import { useAppStore } from '../store/react';
import { ErrorAlert } from './ErrorAlert';
import { FolderIcon, ServerIcon } from './icons';
import { RowMenu, type MenuItem } from './RowMenu';

/** subtitleOf is a row's second line: who is logged in, or what the row is. */
export function subtitleOf(entry: RegistryEntry): string {
  if (entry.kind === 'local') return 'Default target, on this computer';
  return entry.username ? entry.username : 'Anonymous';
}

/**
 * RegistryRow is one registry in the sidebar: a button that selects it, and for saved
 * registries a menu (Edit, Log out, Remove). A failed log-out shows under the row.
 */
export function RegistryRow({ entry }: { entry: RegistryEntry }) {
  const selected = useAppStore((s) => s.selectedId === entry.id);
  const loggingOut = useAppStore((s) => s.pending.logout === entry.id);
  const logoutError = useAppStore((s) => (s.errors.logout?.registry === entry.id ? s.errors.logout : undefined));
  const openDialog = useAppStore((s) => s.openDialog);
  const logoutRegistry = useAppStore((s) => s.logoutRegistry);

  const items: MenuItem[] = [
    { label: 'Edit…', onSelect: () => openDialog({ kind: 'edit-registry', id: entry.id }) },
    ...(entry.username ? [{ label: 'Log out', onSelect: () => void logoutRegistry(entry.id) }] : []),
    { label: 'Remove…', danger: true, onSelect: () => openDialog({ kind: 'remove-registry', id: entry.id }) },
  ];
  const subtitle = loggingOut ? 'Logging out…' : subtitleOf(entry);

  return (
    <li className={`registry-row${selected ? ' registry-row-selected' : ''}`} data-registry={entry.id}>
      <div className="registry-row-line">
        <button
          type="button"
          className="registry-row-main"
          aria-current={selected ? 'true' : undefined}
          aria-label={`${entry.label}, ${subtitle}`}
          onClick={() => navigate({ name: 'repositories', registry: entry.id })}
        >
          <span className="registry-row-icon">{entry.kind === 'local' ? <FolderIcon /> : <ServerIcon />}</span>
          <span className="registry-row-text">
            <span className="registry-row-label">{entry.label}</span>
            <span className="registry-row-subtitle">{subtitle}</span>
          </span>
        </button>
        {entry.kind === 'remote' && <RowMenu label={entry.label} items={items} />}
      </div>
      {entry.kind === 'remote' && <ErrorAlert error={logoutError} className="row-alert" />}
    </li>
  );
}
