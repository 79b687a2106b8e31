import type { RegistryEntry } from '../../shared/contract';
import { shellQuote } from '../../shared/oras-command';
import { useAppStore } from '../store/react';
import { CopyButton } from './kit';
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
      {!loading && !listError && entries.length === 1 && entries[0]?.kind === 'local' && (
        <FirstStartHint local={entries[0]} onAdd={() => openDialog({ kind: 'add-registry' })} />
      )}
      <ErrorAlert error={listError} />
      {listError && (
        <button type="button" className="button button-small" onClick={() => void loadRegistries()}>
          Try again
        </button>
      )}
    </nav>
  );
}

/** FIRST_PUSH_REPOSITORY is the example repository the first-start hint pushes to. */
const FIRST_PUSH_REPOSITORY = 'hello';

/**
 * FirstStartHint is what a first start shows under a list holding only the local
 * layout: that this is so, and the two ways on (add a registry; push into the local
 * layout, from the CLI until the app pushes), in a few words.
 */
function FirstStartHint({ local, onAdd }: { local: RegistryEntry; onAdd(): void }) {
  const folder = local.path ? `${local.path}/${FIRST_PUSH_REPOSITORY}` : FIRST_PUSH_REPOSITORY;
  const push = `oras push --oci-layout ${shellQuote(`${folder}:v1`)} hello.txt`;
  return (
    <section className="first-start" aria-labelledby="first-start-heading">
      <p id="first-start-heading" className="first-start-lead">
        Only the local OCI layout is listed so far.
      </p>
      <button type="button" className="button button-small button-primary" onClick={onAdd}>
        Add registry
      </button>
      <p className="hint">Or fill the local layout from a terminal:</p>
      <div className="first-start-command">
        <code>{push}</code>
        <CopyButton text={push} label="Copy push command" />
      </div>
    </section>
  );
}
