import type { ReactNode } from 'react';

/** KeyValueTable shows facts as a definition list: name, then value, one pair a row. */
export function KeyValueTable({ rows, label }: { rows: [string, ReactNode][]; label?: string }) {
  return (
    <dl className="facts kv-table" aria-label={label}>
      {rows.map(([key, value]) => (
        <div className="kv-row" key={key}>
          <dt>{key}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
