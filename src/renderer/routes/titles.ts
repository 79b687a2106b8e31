import { shortDigest } from '../components/kit/format';
import type { Route } from './routes';

/** registryLabel names a registry id as the sidebar does: `local` is the local OCI layout. */
export function registryLabel(registry: string): string {
  return registry === 'local' ? 'Local OCI layout' : registry;
}

/** titleOf is the page title for a view: where you are, most specific first. */
export function titleOf(route: Route): string {
  const app = 'ORAS Desktop';
  switch (route.name) {
    case 'home':
      return app;
    case 'push':
      return `Push — ${app}`;
    case 'repositories':
      return `${registryLabel(route.registry)} — ${app}`;
    case 'tags':
      return `${route.repository} — ${registryLabel(route.registry)} — ${app}`;
    case 'manifest':
      return `${route.repository}${route.digest ? `@${shortDigest(route.digest)}` : `:${route.tag ?? 'latest'}`} — ${registryLabel(route.registry)} — ${app}`;
    case 'blob':
      return `Blob ${shortDigest(route.digest)} — ${route.repository} — ${app}`;
  }
}
