import { useId, type ReactNode } from 'react';
import { Modal } from '../Modal';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  /** The confirming button's words: "Delete", not "OK". */
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  /** Shown under the question when the action failed; the dialog stays open. */
  error?: ReactNode;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * ConfirmDialog asks before something that cannot be undone. Focus starts on Cancel,
 * so Enter alone never destroys anything; Esc cancels.
 */
export function ConfirmDialog({ title, children, confirmLabel, danger, busy, error, onConfirm, onCancel }: ConfirmDialogProps) {
  const id = useId();
  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-body`} role="alertdialog" onClose={onCancel}>
      <div className="modal-form">
        <h2 id={`${id}-title`} className="modal-title">
          {title}
        </h2>
        <div id={`${id}-body`} className="modal-body">
          {children}
          {error}
        </div>
        <div className="modal-actions">
          <button type="button" className="button" data-autofocus onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className={`button ${danger ? 'button-danger' : 'button-primary'}`}
            aria-disabled={busy || undefined}
            onClick={() => {
              if (!busy) onConfirm();
            }}
          >
            {busy ? `${confirmLabel}…` : confirmLabel}
          </button>
        </div>
      </div>
    </Modal>
  );
}
