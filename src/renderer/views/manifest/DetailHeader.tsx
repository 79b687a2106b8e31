import type { ReactNode } from 'react';

/**
 * DetailHeader is the title of a details view (manifest, blob): the heading its
 * section is labelled by (`id`), and an optional muted line under it.
 */
export function DetailHeader({ id, subtitle, children }: { id: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <header className="view-header">
      <h2 id={id} className="view-title">
        {children}
      </h2>
      {subtitle && <p className="muted view-subtitle">{subtitle}</p>}
    </header>
  );
}
