import { CopyButton } from './kit';
import { Breadcrumb } from './Breadcrumb';
import { JobsPanel } from './JobsPanel';
import { SearchBox } from './SearchBox';
import { href, registryOf, type Route } from '../routes/routes';

/**
 * linkTo is a view's address to share: the page's origin and path and the route's hash,
 * never the query (browser mode's first address carries its token there).
 */
export function linkTo(route: Route, base: { origin: string; pathname: string } = location): string {
  return `${base.origin}${base.pathname}${href(route)}`;
}

/**
 * Toolbar is the top of the main area: where you are, a box to open any reference,
 * "Copy link", "Push…" (the composer, also in the sidebar) and the transfers toggle
 * (the jobs panel).
 */
export function Toolbar({ route }: { route: Route }) {
  return (
    <header className="toolbar">
      <Breadcrumb route={route} />
      <div className="toolbar-actions">
        <SearchBox currentRegistry={registryOf(route)} />
        {route.name !== 'home' && <CopyButton text={linkTo(route)} label="Copy link to this view" caption="Copy link" className="copy-link" />}
        {route.name !== 'push' && (
          <a className="button button-small" href={href({ name: 'push' })}>
            Push…
          </a>
        )}
        <JobsPanel />
      </div>
    </header>
  );
}
