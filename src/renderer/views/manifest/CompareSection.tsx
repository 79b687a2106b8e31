import { useId, useState } from 'react';
import type { SerializedError } from '../../../shared/error-codes';
import { summarizeManifest, type ManifestSummary } from '../../../shared/manifest-summary';
import { EmptyState, ErrorBox, Loading, formatSize, shortDigest, visible } from '../../components/kit';
import { toServiceError } from '../../services/oras';
import { useAppStore } from '../../store/react';
import { diffManifests, type ManifestDiff } from './compare';
import { useLoad } from './use-load';

/** COMPARE_TAGS is how many of the repository's tags the picker offers (its first page). */
const COMPARE_TAGS = 1000;

type Compared = { status: 'idle' } | { status: 'loading' } | { status: 'error'; error: SerializedError } | { status: 'ready'; tag: string; diff: ManifestDiff };

/**
 * CompareSection compares this manifest with another tag of the repository: the
 * descriptors the other one adds, removes or changes (digest, media type or size).
 */
export function CompareSection(props: { registry: string; repository: string; summary: ManifestSummary; tag?: string }) {
  // The repository's tags are read only when asked for: most visits compare nothing.
  const [wanted, setWanted] = useState(false);
  if (!wanted) {
    return (
      <div>
        <button type="button" className="button" onClick={() => setWanted(true)}>
          Choose a tag to compare with…
        </button>
      </div>
    );
  }
  return <ComparePicker {...props} />;
}

function ComparePicker({ registry, repository, summary, tag }: { registry: string; repository: string; summary: ManifestSummary; tag?: string }) {
  const id = useId();
  const listTags = useAppStore((s) => s.listTags);
  const loadManifest = useAppStore((s) => s.loadManifest);
  const tags = useLoad(() => listTags({ registry, repository, pageSize: COMPARE_TAGS }), [registry, repository]);
  const [other, setOther] = useState('');
  const [compared, setCompared] = useState<Compared>({ status: 'idle' });

  const compare = async (with_: string) => {
    setCompared({ status: 'loading' });
    try {
      const details = await loadManifest({ registry, repository, reference: with_ });
      setCompared({ status: 'ready', tag: with_, diff: diffManifests(summary, summarizeManifest(details.raw, details.descriptor.mediaType)) });
    } catch (error) {
      setCompared({ status: 'error', error: toServiceError(error).toJSON() });
    }
  };

  if (tags.status === 'loading') return <Loading label="Listing tags…" />;
  if (tags.status === 'error') return <ErrorBox error={tags.error} />;
  const choices = tags.value.tags.filter((t) => t !== tag);
  if (choices.length === 0) return <EmptyState title="No other tag to compare with" />;
  return (
    <div className="compare">
      <form
        className="compare-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (other) void compare(other);
        }}
      >
        <label htmlFor={`${id}-tag`}>Compare with tag</label>
        <select id={`${id}-tag`} className="control" value={other} onChange={(e) => setOther(e.target.value)}>
          <option value="">Choose a tag…</option>
          {choices.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <button type="submit" className="button" aria-disabled={!other || compared.status === 'loading' || undefined}>
          Compare
        </button>
      </form>
      {compared.status === 'loading' && <Loading label="Reading the other manifest…" />}
      {compared.status === 'error' && <ErrorBox error={compared.error} />}
      {compared.status === 'ready' && <DiffTable diff={compared.diff} tag={compared.tag} />}
    </div>
  );
}

function DiffTable({ diff, tag }: { diff: ManifestDiff; tag: string }) {
  const rows = [
    ...diff.added.map((a) => ({ what: 'Added', name: a.name, detail: `${shortDigest(a.descriptor.digest)} · ${formatSize(a.descriptor.size)} · ${a.descriptor.mediaType}` })),
    ...diff.removed.map((r) => ({ what: 'Removed', name: r.name, detail: `${shortDigest(r.descriptor.digest)} · ${formatSize(r.descriptor.size)} · ${r.descriptor.mediaType}` })),
    ...diff.changed.map((c) => ({
      what: 'Changed',
      name: c.name,
      detail: c.fields
        .map((f) => (f === 'digest' ? `${shortDigest(c.before.digest)} → ${shortDigest(c.after.digest)}` : f === 'size' ? `${formatSize(c.before.size)} → ${formatSize(c.after.size)}` : `${c.before.mediaType} → ${c.after.mediaType}`))
        .join(' · '),
    })),
  ];
  return (
    <div role="status">
      <p className="compare-summary">
        Against <strong>{tag}</strong>: {diff.added.length} added, {diff.removed.length} removed, {diff.changed.length} changed, {diff.same} the same.
      </p>
      {rows.length > 0 && (
        <div className="table-box scroll-box" role="region" aria-label={`Differences with ${tag}`} tabIndex={0}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Descriptor</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={i} className={`diff-${row.what.toLowerCase()}`}>
                  <td>{row.what}</td>
                  <th scope="row">{visible(row.name)}</th>
                  <td>
                    <code>{row.detail}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
