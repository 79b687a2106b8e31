import { useEffect, useId, useState } from 'react';

interface Row {
  key: string;
  value: string;
}

const rowsOf = (record: Record<string, string>): Row[] => Object.entries(record).map(([key, value]) => ({ key, value }));
const recordOf = (rows: readonly Row[]): Record<string, string> => Object.fromEntries(rows.filter((r) => r.key !== '').map((r) => [r.key, r.value]));
const same = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(a) === JSON.stringify(b);

/**
 * AnnotationsEditor edits a map of annotations as key/value rows. Rows live here while
 * typed (a key half written, an empty row) and the map sent up leaves empty keys out;
 * a map changed from outside (an imported file) replaces the rows.
 */
export function AnnotationsEditor({ label, value, onChange, error }: { label: string; value: Record<string, string>; onChange(next: Record<string, string>): void; error?: string | undefined }) {
  const id = useId();
  const [rows, setRows] = useState<Row[]>(() => rowsOf(value));
  useEffect(() => {
    setRows((current) => (same(recordOf(current), value) ? current : rowsOf(value)));
  }, [value]);

  const change = (next: Row[]) => {
    setRows(next);
    const record = recordOf(next);
    if (!same(record, value)) onChange(record);
  };

  return (
    <fieldset className="push-annotations" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{label}</legend>
      {rows.length === 0 && <p className="hint">None.</p>}
      {rows.map((row, i) => (
        <div className="push-annotation-row" key={i}>
          <input
            className="control"
            aria-label={`${label}: key ${i + 1}`}
            placeholder="key"
            value={row.key}
            spellCheck={false}
            onChange={(e) => change(rows.map((r, j) => (j === i ? { ...r, key: e.target.value } : r)))}
          />
          <input
            className="control"
            aria-label={`${label}: value of ${row.key || `key ${i + 1}`}`}
            placeholder="value"
            value={row.value}
            onChange={(e) => change(rows.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))}
          />
          <button type="button" className="button button-small" aria-label={`Remove annotation ${row.key || i + 1} from ${label}`} onClick={() => change(rows.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button button-small" onClick={() => setRows([...rows, { key: '', value: '' }])}>
        Add annotation<span className="visually-hidden"> to {label}</span>
      </button>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
