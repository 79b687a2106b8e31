import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { RegistryEntry } from '../../shared/contract';
import { orasCommand } from '../../shared/oras-command';
import { CommandLine } from '../components/CommandLine';
import { EmptyState, ErrorBox, Loading, visible } from '../components/kit';
import type { MenuItem } from '../components/RowMenu';
import { useAppStore } from '../store/react';
import './browse.css';
import { referenceOf } from './tags/references';
import { arrangeTags, isReferrerTag, parseTagFilter, type TagOrder } from './tags/tag-list-logic';
import { TagRowItem } from './tags/TagRowItem';
import { PushHereButton } from './push/PushHereButton';
import { useTagList } from './tags/use-tag-list';

/** ROW_HEIGHT is each row's height in px: fixed, so the virtual list never measures. */
const ROW_HEIGHT = 56;
/** PREFETCH_ROWS: when the last rendered row is this close to the end, the next page is fetched. */
const PREFETCH_ROWS = 60;

export interface TagsViewProps {
  entry: RegistryEntry;
  repository: string;
  /** rowMenu gives a tag's menu items (Add tag…, Delete…) where the app has them. */
  rowMenu?: (tag: string, digest: string | undefined, refresh: () => void) => MenuItem[];
}

/**
 * TagsView is `#/r/<registry>/<repository>`: the repository's tags as a virtual list
 * (only rows on screen are in the DOM), pages fetched as the list scrolls, details in
 * the background; a filter (substring or `/regex/`), referrer tags hidden unless
 * asked for, natural or newest-first order, a bookmark star and the `oras repo tags`
 * line. ↑/↓ move between rows, Home/End jump, Enter opens the tag.
 */
export function TagsView({ entry, repository, rowMenu }: TagsViewProps) {
  const registry = entry.id;
  const list = useTagList(registry, repository);
  const [filterText, setFilterText] = useState('');
  const [showReferrerTags, setShowReferrerTags] = useState(false);
  const [order, setOrder] = useState<TagOrder>('name');
  const [activeIndex, setActiveIndex] = useState(0);
  const bookmarked = useAppStore((s) => (s.bookmarks[registry] ?? []).includes(repository));
  const toggleBookmark = useAppStore((s) => s.toggleBookmark);
  const noteRecent = useAppStore((s) => s.noteRecent);
  const id = useId();

  useEffect(() => noteRecent(registry, repository), [registry, repository, noteRecent]);
  useEffect(() => {
    setFilterText('');
    setOrder('name');
    setActiveIndex(0);
  }, [registry, repository]);

  const filter = useMemo(() => parseTagFilter(filterText), [filterText]);
  // Newest-first needs every tag's time: until all are read, keep the name order.
  const effectiveOrder: TagOrder = order === 'newest' && !list.readingAll ? 'newest' : 'name';
  const rows = useMemo(
    () => arrangeTags(list.tags, list.details, { filter, showReferrerTags, order: effectiveOrder }),
    [list.tags, list.details, filter, showReferrerTags, effectiveOrder],
  );

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  // Fetch the next page when the end is near (or the filter leaves too few rows to scroll).
  const { loadMore, wantDetails, complete, loadingPage, error } = list;
  useEffect(() => {
    if (!complete && !loadingPage && !error && last >= rows.length - PREFETCH_ROWS) loadMore();
  }, [last, rows.length, complete, loadingPage, error, loadMore]);

  // Details for what is on screen, in the background.
  useEffect(() => {
    if (last < first) return;
    wantDetails(rows.slice(first, last + 1).map((r) => r.tag));
  }, [first, last, rows, wantDetails]);

  const active = Math.min(activeIndex, Math.max(rows.length - 1, 0));
  const focusRow = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (focusRow.current === undefined) return;
    const index = focusRow.current;
    const link = scroller.current?.querySelector<HTMLElement>(`[data-index="${index}"] .tag-name`);
    if (link) {
      focusRow.current = undefined;
      link.focus();
    }
  });
  const moveTo = (index: number) => {
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    setActiveIndex(clamped);
    focusRow.current = clamped;
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in step) moveTo(active + step[event.key]!);
    else if (event.key === 'Home' && event.target !== event.currentTarget) moveTo(0);
    else if (event.key === 'End' && event.target !== event.currentTarget) moveTo(rows.length - 1);
    else return;
    event.preventDefault();
  };

  const sortByNewest = async (value: TagOrder) => {
    setOrder(value);
    if (value === 'newest') {
      // A failure shows in the error box and the list goes back to name order; a
      // cancel was the user's, who chose the order already.
      if ((await list.readAll()) === 'failed') setOrder('name');
    } else {
      list.cancelReadAll();
    }
  };

  const anyReferrerTag = useMemo(() => list.tags.some(isReferrerTag), [list.tags]);
  const hiddenReferrers = !showReferrerTags && anyReferrerTag;
  const command = orasCommand({ kind: 'repo-tags', registry, repository }, entry);

  return (
    <section className="view tags-view" aria-labelledby="view-heading">
      <header className="view-header tags-header">
        <div className="title-row">
          <h2 id="view-heading" className="view-title" title={repository}>
            {visible(repository)}
          </h2>
          <button
            type="button"
            className="icon-button bookmark"
            aria-pressed={bookmarked}
            aria-label="Bookmark this repository"
            title={bookmarked ? 'Bookmarked: click to remove' : 'Bookmark this repository'}
            onClick={() => toggleBookmark(registry, repository)}
          >
            <span aria-hidden="true">{bookmarked ? '★' : '☆'}</span>
          </button>
          <button type="button" className="button button-small" onClick={list.refresh}>
            Refresh
          </button>
          <PushHereButton registry={registry} repository={repository} label="Push to this repository…" />
        </div>
        <div className="tags-controls">
          <label htmlFor={`${id}-filter`} className="visually-hidden">
            Filter tags
          </label>
          <input
            id={`${id}-filter`}
            type="search"
            className="filter-input control"
            placeholder="Filter tags, or /regex/"
            value={filterText}
            spellCheck={false}
            aria-invalid={filter.error ? true : undefined}
            aria-describedby={filter.error ? `${id}-filter-error` : undefined}
            onChange={(e) => setFilterText(e.target.value)}
          />
          <label className="inline-select">
            <span>Sort</span>
            <select aria-label="Sort tags" className="control" value={order} onChange={(e) => void sortByNewest(e.target.value as TagOrder)}>
              <option value="name">By name</option>
              <option value="newest">Newest first</option>
            </select>
          </label>
          <label className="check inline-check">
            <input type="checkbox" checked={showReferrerTags} onChange={(e) => setShowReferrerTags(e.target.checked)} />
            <span>Show referrer tags</span>
          </label>
        </div>
        {filter.error && (
          <p id={`${id}-filter-error`} className="field-error" role="alert">
            {filter.error}
          </p>
        )}
        {list.readingAll && (
          <div className="reading-all" role="status">
            <span>
              Reading {list.readingAll.read.toLocaleString()} of {list.readingAll.total.toLocaleString()} tags
              {list.complete ? '' : ' (still listing)'}…
            </span>
            <button type="button" className="button button-small" onClick={() => void sortByNewest('name')}>
              Cancel
            </button>
          </div>
        )}
        <p className="tags-summary muted" aria-live="polite">
          {summaryOf(rows.length, list.tags.length, list.complete, hiddenReferrers)}
        </p>
      </header>

      {list.error && (
        <ErrorBox error={list.error} onRetry={list.retry} />
      )}

      {!list.error && list.tags.length === 0 && list.loadingPage ? (
        <Loading label="Reading tags…" />
      ) : !list.error && list.complete && list.tags.length === 0 ? (
        <EmptyState title="No tags in this repository">
          <p>Push with a tag to see it here.</p>
        </EmptyState>
      ) : list.error && list.tags.length === 0 ? null : (
        <div
          className="tag-list"
          ref={scroller}
          role="list"
          aria-label={`Tags of ${repository}`}
          aria-busy={list.loadingPage || undefined}
          onKeyDown={onKeyDown}
        >
          <div className="tag-list-space" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rows[item.index]!;
              const digest = row.detail?.digest;
              return (
                <div
                  key={row.tag}
                  role="listitem"
                  aria-setsize={rows.length}
                  aria-posinset={item.index + 1}
                  data-index={item.index}
                  className={`tag-row${item.index === active ? ' tag-row-active' : ''}`}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  onFocus={() => setActiveIndex(item.index)}
                >
                  <TagRowItem
                    row={row}
                    registry={registry}
                    repository={repository}
                    active={item.index === active}
                    referenceByTag={referenceOf(entry, registry, repository, { tag: row.tag })}
                    referenceByDigest={digest ? referenceOf(entry, registry, repository, { digest }) : undefined}
                    menu={rowMenu ? rowMenu(row.tag, digest, list.refresh) : []}
                  />
                </div>
              );
            })}
          </div>
        </div>
      )}

      <CommandLine command={command} />
    </section>
  );
}

/** summaryOf says how many tags are shown of how many are listed, and whether more come. */
function summaryOf(shown: number, listed: number, complete: boolean, hiddenReferrers: boolean): string {
  if (listed === 0) return '';
  const of = `${listed.toLocaleString()}${complete ? '' : '+'}`;
  const noun = listed === 1 && complete ? 'tag' : 'tags';
  const base = shown === listed ? `${of} ${noun}` : `${shown.toLocaleString()} of ${of} ${noun}`;
  return hiddenReferrers ? `${base} · referrer tags hidden` : base;
}
