import { shortDigest, visible } from './kit';
import { href, type Route } from '../routes/routes';
import { registryLabel } from '../routes/titles';

interface Crumb {
  label: string;
  /** The full text, when the label is shortened (a digest). */
  title?: string;
  route: Route;
}

/** crumbsOf lists the steps from the registry down to the view: registry › repository › tag › blob. */
export function crumbsOf(route: Route): Crumb[] {
  if (!('registry' in route)) return [];
  const crumbs: Crumb[] = [{ label: registryLabel(route.registry), route: { name: 'repositories', registry: route.registry } }];
  if (!('repository' in route)) return crumbs;
  const { registry, repository } = route;
  crumbs.push({ label: repository, route: { name: 'tags', registry, repository } });
  if (route.name === 'manifest') {
    crumbs.push(
      route.digest
        ? { label: `@${shortDigest(route.digest)}`, title: route.digest, route }
        : { label: `:${route.tag ?? 'latest'}`, route },
    );
  }
  if (route.name === 'blob') crumbs.push({ label: `blob ${shortDigest(route.digest)}`, title: route.digest, route });
  return crumbs;
}

/**
 * Breadcrumb shows where the view is (registry › repository › tag › blob), each step a
 * link made by `href`; the last is the current page (`aria-current`). Long names wrap.
 */
export function Breadcrumb({ route }: { route: Route }) {
  const crumbs = crumbsOf(route);
  if (crumbs.length === 0) return null;
  return (
    <nav className="breadcrumb" aria-label="Breadcrumb">
      <ol>
        {crumbs.map((crumb, i) => {
          const last = i === crumbs.length - 1;
          return (
            <li key={href(crumb.route)}>
              <a href={href(crumb.route)} aria-current={last ? 'page' : undefined} title={crumb.title ?? crumb.label}>
                {visible(crumb.label)}
              </a>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
