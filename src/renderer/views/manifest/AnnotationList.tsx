import { visible } from '../../components/kit';

/** AnnotationList shows annotations as `key: value` lines, control and bidi characters escaped. */
export function AnnotationList({ annotations, skip = [] }: { annotations: Record<string, string> | undefined; skip?: string[] }) {
  const entries = Object.entries(annotations ?? {}).filter(([key]) => !skip.includes(key));
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="annotation-list">
      {entries.map(([key, value]) => (
        <li key={key}>
          <span className="annotation-key">{visible(key)}</span>: <span className="annotation-value">{visible(value)}</span>
        </li>
      ))}
    </ul>
  );
}
