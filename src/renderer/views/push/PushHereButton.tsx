import { navigate } from '../../routes/use-route';
import { useAppStore } from '../../store/react';

/**
 * PushHereButton opens the composer aimed at a registry (and repository), keeping the
 * draft's files: "Push to this repository" in the browse views.
 */
export function PushHereButton({ registry, repository, label }: { registry: string; repository?: string; label: string }) {
  const startPushTo = useAppStore((s) => s.startPushTo);
  return (
    <button
      type="button"
      className="button button-small"
      onClick={() => void startPushTo({ registry, ...(repository ? { repository } : {}) }).then(() => navigate({ name: 'push' }))}
    >
      {label}
    </button>
  );
}
