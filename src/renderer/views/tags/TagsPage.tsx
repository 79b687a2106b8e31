import { useCallback, useRef, useState } from 'react';
import type { RegistryEntry } from '../../../shared/contract';
import { AddTagsDialog } from '../../components/AddTagsDialog';
import { DeleteManifestDialog } from '../../components/DeleteManifestDialog';
import type { MenuItem } from '../../components/RowMenu';
import { TagsView } from '../TagsView';

type Open = { kind: 'add' | 'delete'; tag: string; digest: string } | undefined;

/**
 * TagsPage is the tags view with its row actions: "Add tag…" and "Delete…" open the
 * manifest dialogs for the row's digest (known once its details are in); when one
 * changes the repository, the list is read again.
 */
export function TagsPage({ entry, repository }: { entry: RegistryEntry; repository: string }) {
  const [open, setOpen] = useState<Open>();
  const refreshList = useRef<() => void>(() => {});
  const rowMenu = useCallback((tag: string, digest: string | undefined, refresh: () => void): MenuItem[] => {
    if (!digest) return [];
    return [
      {
        label: 'Add tag…',
        onSelect: () => {
          refreshList.current = refresh;
          setOpen({ kind: 'add', tag, digest });
        },
      },
      {
        label: 'Delete…',
        danger: true,
        onSelect: () => {
          refreshList.current = refresh;
          setOpen({ kind: 'delete', tag, digest });
        },
      },
    ];
  }, []);
  const close = () => setOpen(undefined);
  const changed = () => {
    setOpen(undefined);
    refreshList.current();
  };

  return (
    <>
      <TagsView entry={entry} repository={repository} rowMenu={rowMenu} />
      {open?.kind === 'add' && (
        <AddTagsDialog registry={entry.id} repository={repository} digest={open.digest} onDone={changed} onClose={close} />
      )}
      {open?.kind === 'delete' && (
        <DeleteManifestDialog registry={entry.id} repository={repository} digest={open.digest} tag={open.tag} onDeleted={changed} onClose={close} />
      )}
    </>
  );
}
