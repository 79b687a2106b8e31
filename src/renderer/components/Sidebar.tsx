import { useAppStore } from '../store/react';
import { ErrorAlert } from './ErrorAlert';
import { FOCUS_FALLBACK_ID } from './focus';
import { PlusIcon } from './icons';
import { RegistryRow } from './RegistryRow';

/** Sidebar lists the local OCI layout and every saved registry, with "Add registry". */
export function Sidebar() {
  const entries = useAppStore((s) => s.entries);
  const loading = useAppStore((s) => s.loading);
  const listError = useAppStore((s) => s.errors.list);
  const openDialog = useAppStore((s) => s.openDialog);
  const loadRegistries = useAppStore((s) => s.loadRegistries);

  return (
    <nav className="registries" aria-labelledby="registries-heading">
      <div className="registries-header">
        <h2 id="registries-heading" className="sidebar-heading">
          Registries
        </h2>
        <button
          id={FOCUS_FALLBACK_ID}
          type="button"
          className="button button-small"
          aria-label="Add registry"
          onClick={() => openDialog({ kind: 'add-registry' })}
        >
          <PlusIcon /> Add
        </button>
      </div>
      {loading && entries.length === 0 && (
        <p role="status" className="muted">
          Loading registries…
        </p>
      )}
      <ul className="registry-list" aria-labelledby="registries-heading" aria-busy={loading}>
        {entries.map((entry) => (
          <RegistryRow key={entry.id} entry={entry} />
        ))}
      </ul>
      <ErrorAlert error={listError} />
      {listError && (
        <button type="button" className="button button-small" onClick={() => void loadRegistries()}>
          Try again
        </button>
      )}
    </nav>
  );
}
