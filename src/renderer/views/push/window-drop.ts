import { useEffect } from 'react';
import { parseRoute } from '../../routes/routes';
import { navigate } from '../../routes/use-route';
import { useAppStore } from '../../store/react';
import { droppedFiles, stageDropped } from './dropped-files';

/**
 * useWindowFileDrop makes files dropped anywhere on the window open the composer with
 * them (attached to the manifest shown, or aimed at the repository shown), and keeps a browser from opening a dropped file itself (browser mode): every
 * drag of files is taken on the window. A drop a zone already handled (it called
 * preventDefault: the composer's drop zone, a reorder) is left alone.
 */
export function useWindowFileDrop(): void {
  const stageFiles = useAppStore((s) => s.stageFiles);
  const stageProblem = useAppStore((s) => s.stageProblem);
  const startPushTo = useAppStore((s) => s.startPushTo);
  const browserMode = useAppStore((s) => s.appInfo?.mode === 'browser');
  useEffect(() => {
    const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
    const onDragOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer && !event.defaultPrevented) event.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      const handled = event.defaultPrevented;
      event.preventDefault();
      if (handled) return;
      if ((event.dataTransfer?.files.length ?? 0) === 0) return;
      const dropped = droppedFiles(event.dataTransfer, browserMode);
      // Dropped on a manifest: attach to it; on a repository: push there.
      const route = parseRoute(location.hash);
      const aimed =
        route.name === 'manifest'
          ? startPushTo({ registry: route.registry, repository: route.repository, subject: route.digest ?? route.tag ?? 'latest' })
          : route.name === 'tags'
            ? startPushTo({ registry: route.registry, repository: route.repository })
            : Promise.resolve();
      navigate({ name: 'push' });
      void aimed.then(() => stageDropped(dropped, { stageFiles, stageProblem }));
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [stageFiles, stageProblem, startPushTo, browserMode]);
}
