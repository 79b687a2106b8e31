import { useEffect, useMemo } from 'react';
import { ErrorBox, Loading } from '../../components/kit';
import { isShownInline, problemsByField } from '../../store/push-logic';
import { useAppStore } from '../../store/react';
import { ConfigSection } from './ConfigSection';
import { FilesSection } from './FilesSection';
import { ManifestSection } from './ManifestSection';
import { PreviewSection } from './PreviewSection';
import { PushActions } from './PushActions';
import { TargetSection } from './TargetSection';
import './push.css';

/**
 * PushView is the composer (`#/push`): files, config, manifest and target on the left
 * of a narrow window's single column, the live preview and the Push button after
 * them. Main keeps the draft; every edit is saved and previewed once edits settle.
 */
export function PushView() {
  const loaded = useAppStore((s) => s.pushDraft !== null);
  const loadError = useAppStore((s) => s.pushLoadError);
  const mode = useAppStore((s) => s.pushDraft?.mode);
  const loadDraft = useAppStore((s) => s.loadDraft);
  const problems = useAppStore((s) => s.pushProblems);
  const errors = useMemo(() => problemsByField(problems), [problems]);
  const otherProblems = useMemo(() => problems.filter((p) => !isShownInline(p.field)).map((p) => `${p.field}: ${p.message}`), [problems]);

  const watchPushProgress = useAppStore((s) => s.watchPushProgress);
  useEffect(() => {
    void loadDraft();
  }, [loadDraft]);
  useEffect(() => watchPushProgress(), [watchPushProgress]);

  return (
    <section className="view view-scroll push-view" aria-labelledby="push-title">
      <h2 id="push-title" className="view-title">
        {mode === 'attach' ? 'Attach files' : 'Push files'}
      </h2>
      {loadError && <ErrorBox error={loadError} onRetry={() => void loadDraft()} />}
      {!loaded && !loadError && <Loading label="Loading the draft…" />}
      {loaded && (
        <form className="push-form" onSubmit={(e) => e.preventDefault()} aria-label="Push composer">
          <FilesSection errors={errors} />
          <ConfigSection errors={errors} />
          <ManifestSection errors={errors} />
          <TargetSection errors={errors} />
          <PreviewSection otherProblems={otherProblems} />
          <PushActions />
        </form>
      )}
    </section>
  );
}
