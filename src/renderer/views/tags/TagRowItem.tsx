import { memo, useLayoutEffect, useRef } from 'react';
import type { TagDetail } from '../../../shared/browse';
import { CopyButton, formatDate, formatSize, shortDigest, visible } from '../../components/kit';
import { RowMenu, type MenuItem } from '../../components/RowMenu';
import { href } from '../../routes/routes';
import type { TagRow } from './tag-list-logic';

interface TagRowItemProps {
  row: TagRow;
  registry: string;
  repository: string;
  /** Whether this row holds the list's one tab stop (roving focus). */
  active: boolean;
  referenceByTag: string;
  referenceByDigest?: string | undefined;
  menu: MenuItem[];
}

/** formatDay is a created time as a day only (the row is narrow); the title has the time. */
function formatDay(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** kindOf says what a manifest is, shortest first: its artifactType, else its media type. */
function kindOf(detail: TagDetail | undefined): string | undefined {
  return detail?.artifactType ?? detail?.mediaType;
}

/**
 * TagRowItem is one tag in the virtual list: the tag (a link to its manifest) with the
 * other tags on its digest, then digest, kind, size and created time once its details
 * arrive, and the row's actions. Only the active row's controls are in the tab order.
 */
export const TagRowItem = memo(function TagRowItem({ row, registry, repository, active, referenceByTag, referenceByDigest, menu }: TagRowItemProps) {
  const { tag, detail, alsoTagged } = row;
  const tabIndex = active ? 0 : -1;
  const kind = kindOf(detail);
  const actions = useRef<HTMLDivElement>(null);
  // The kit's buttons take no tabIndex: keep only the active row's in the tab order.
  useLayoutEffect(() => {
    for (const button of actions.current?.querySelectorAll('button') ?? []) button.tabIndex = tabIndex;
  });
  return (
    <div className="tag-row-inner">
      <div className="tag-main">
        <a className="tag-name" href={href({ name: 'manifest', registry, repository, tag })} tabIndex={tabIndex} data-tag-link={tag} title={tag}>
          {visible(tag)}
        </a>
        {alsoTagged.length > 0 && (
          <span className="tag-also muted" title={alsoTagged.join(', ')}>
            also tagged {alsoTagged.slice(0, 3).map(visible).join(', ')}
            {alsoTagged.length > 3 ? ` +${alsoTagged.length - 3}` : ''}
          </span>
        )}
        <div className="tag-facts muted">
          {detail?.error ? (
            <span className="tag-error" title={detail.error.message}>
              Could not read: {visible(detail.error.message)}
            </span>
          ) : detail ? (
            <>
              <code title={detail.digest}>{shortDigest(detail.digest)}</code>
              <span>{formatSize(detail.totalSize)}</span>
              {detail.created && <span title={formatDate(detail.created)}>{formatDay(detail.created)}</span>}
              {kind && (
                <span className="tag-kind" title={kind}>
                  {visible(kind.replace(/^application\/vnd\./, ''))}
                </span>
              )}
            </>
          ) : (
            <span className="tag-pending">…</span>
          )}
        </div>
      </div>
      <div className="tag-actions" ref={actions}>
        <CopyButton text={referenceByTag} label={`Copy reference ${tag}`} caption="Copy ref" className="tag-copy" />
        {referenceByDigest && <CopyButton text={referenceByDigest} label={`Copy digest reference of ${tag}`} caption="@digest" className="tag-copy" />}
        {menu.length > 0 && <RowMenu label={`tag ${tag}`} items={menu} />}
      </div>
    </div>
  );
});
