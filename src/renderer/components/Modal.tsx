import { useEffect, useRef, useState, type ReactNode } from 'react';
import { restoreFocus } from './focus';

interface ModalProps {
  /** The id of the element naming the dialog (its heading). */
  labelledBy: string;
  describedBy?: string;
  /** `alertdialog` for a question that needs an answer (a confirmation). */
  role?: 'alertdialog';
  /** onClose runs on Esc; the parent then unmounts the modal. */
  onClose(): void;
  className?: string;
  children: ReactNode;
}

/**
 * Modal is a real `<dialog>` opened with `showModal()`: the browser makes the rest of
 * the page inert (focus stays inside), Esc fires `cancel` (we close through the store),
 * and focus returns to whatever opened it when it goes away. Focus starts on the
 * control marked `data-autofocus`, else the first one.
 */
export function Modal({ labelledBy, describedBy, role, onClose, className = '', children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  // Who had focus before the dialog: read while rendering, because React focuses an
  // `autoFocus` control inside the dialog before effects run.
  const [opener] = useState(() => document.activeElement);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    // showModal focuses the first focusable control; a dialog may name a better start.
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      restoreFocus(opener);
    };
  }, [opener]);

  return (
    <dialog
      ref={ref}
      className={`modal ${className}`.trim()}
      role={role}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        onCloseRef.current();
      }}
    >
      {children}
    </dialog>
  );
}
