import { useAppStore } from '../store/react';
import { RegistryDialog } from './RegistryDialog';
import { RemoveRegistryDialog } from './RemoveRegistryDialog';

/** Dialogs renders the one open dialog the store names, if any. */
export function Dialogs() {
  const dialog = useAppStore((s) => s.dialog);
  const entry = useAppStore((s) => {
    const d = s.dialog;
    return d && d.kind !== 'add-registry' ? s.entries.find((e) => e.id === d.id) : undefined;
  });
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'add-registry':
      return <RegistryDialog key="add" />;
    case 'edit-registry':
      return entry ? <RegistryDialog key={`edit-${entry.id}`} entry={entry} /> : null;
    case 'remove-registry':
      return entry ? <RemoveRegistryDialog key={`remove-${entry.id}`} entry={entry} /> : null;
  }
}
