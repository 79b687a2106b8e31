import { useId } from 'react';
import type { RegistryEntry } from '../../shared/contract';
import { useAppStore } from '../store/react';
import { ErrorAlert } from './ErrorAlert';
import { Modal } from './Modal';

/** RemoveRegistryDialog asks before a registry and its saved login are forgotten. */
export function RemoveRegistryDialog({ entry }: { entry: RegistryEntry }) {
  const id = useId();
  const removing = useAppStore((s) => s.pending.remove !== undefined);
  const error = useAppStore((s) => s.errors.remove);
  const closeDialog = useAppStore((s) => s.closeDialog);
  const removeRegistry = useAppStore((s) => s.removeRegistry);

  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-body`} role="alertdialog" onClose={closeDialog} className="confirm-dialog">
      <h2 id={`${id}-title`} className="modal-title">
        Remove {entry.label}?
      </h2>
      <div className="modal-body">
        <p id={`${id}-body`}>
          {entry.username
            ? `ORAS Desktop forgets this registry and deletes the saved login of ${entry.username}. Nothing in the registry itself changes.`
            : 'ORAS Desktop forgets this registry. Nothing in the registry itself changes.'}
        </p>
        <ErrorAlert error={error} />
      </div>
      <div className="modal-actions">
        <span className="spacer" />
        <button type="button" className="button" onClick={closeDialog} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          aria-disabled={removing}
          onClick={() => {
            if (!removing) void removeRegistry(entry.id);
          }}
        >
          {removing ? 'Removing…' : 'Remove'}
        </button>
      </div>
    </Modal>
  );
}
