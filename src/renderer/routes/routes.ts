/**
 * The one table of hash routes (after Headlamp's route table): every view is a route,
 * every link is made by `href`, and `parseRoute` reads `location.hash` back, so back,
 * forward, reload and a pasted link all land on the same view.
 *
 *   #/r/<registry>                                  repositories
 *   #/r/<registry>/<repository>                     tags
 *   #/r/<registry>/<repository>:<tag>               manifest by tag
 *   #/r/<registry>/<repository>@<digest>            manifest by digest
 *   #/r/<registry>/<repository>/blobs/<digest>      blob
 *   #/push                                          the push composer
 *
 * `<registry>` is a sidebar id: `local` for the built-in OCI layouts, else host[:port].
 * A repository never holds ":" or "@", so a tag or digest is read from the end; a blob
 * is known by `/blobs/` followed by a digest, which no repository can end in.
 */

export type Route =
  | { name: 'home' }
  | { name: 'repositories'; registry: string }
  | { name: 'tags'; registry: string; repository: string }
  | { name: 'manifest'; registry: string; repository: string; tag?: string; digest?: string }
  | { name: 'blob'; registry: string; repository: string; digest: string }
  | { name: 'push' };

export type RouteName = Route['name'];

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** href makes the hash of a route: the only way links are built. */
export function href(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'push':
      return '#/push';
    case 'repositories':
      return `#/r/${route.registry}`;
    case 'tags':
      return `#/r/${route.registry}/${route.repository}`;
    case 'manifest':
      return `#/r/${route.registry}/${route.repository}${route.digest ? `@${route.digest}` : `:${route.tag ?? 'latest'}`}`;
    case 'blob':
      return `#/r/${route.registry}/${route.repository}/blobs/${route.digest}`;
  }
}

/** parseRoute reads a hash (with or without `#`); anything it cannot read is `home`. */
export function parseRoute(hash: string): Route {
  let path = hash.replace(/^#/, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    return { name: 'home' };
  }
  path = path.replace(/^\/+/, '').replace(/\/+$/, '');
  if (path === 'push') return { name: 'push' };
  const [head, registry, ...rest] = path.split('/');
  if (head !== 'r' || !registry) return { name: 'home' };
  if (rest.length === 0) return { name: 'repositories', registry };
  const blobAt = rest.length - 2;
  if (blobAt >= 1 && rest[blobAt] === 'blobs' && DIGEST.test(rest[blobAt + 1]!)) {
    return { name: 'blob', registry, repository: rest.slice(0, blobAt).join('/'), digest: rest[blobAt + 1]! };
  }
  const joined = rest.join('/');
  const at = joined.indexOf('@');
  if (at > 0) {
    const digest = joined.slice(at + 1);
    if (!DIGEST.test(digest)) return { name: 'tags', registry, repository: joined.slice(0, at) };
    return { name: 'manifest', registry, repository: joined.slice(0, at), digest };
  }
  const colon = joined.lastIndexOf(':');
  if (colon > joined.lastIndexOf('/') && colon > 0) {
    return { name: 'manifest', registry, repository: joined.slice(0, colon), tag: joined.slice(colon + 1) };
  }
  return { name: 'tags', registry, repository: joined };
}

/** registryOf is the registry a route is about, if any. */
export function registryOf(route: Route): string | undefined {
  return 'registry' in route ? route.registry : undefined;
}

/**
 * routeOfReference reads what a person typed or pasted into the search box: a full
 * reference (`host[:port]/repo[:tag|@digest]`), a link (`…#/r/…`), or, when the first
 * part is no host, a repository of `currentRegistry`. A host is a first part with a
 * "." or ":" or `localhost` (Docker's rule); `docker.io` names need their host.
 * Undefined when nothing sensible can be read.
 */
export function routeOfReference(text: string, currentRegistry?: string): Route | undefined {
  const input = text.trim();
  if (!input) return undefined;
  const hashAt = input.indexOf('#/');
  if (hashAt >= 0) {
    const route = parseRoute(input.slice(hashAt));
    return route.name === 'home' ? undefined : route;
  }
  const plain = input.replace(/^(?:oci|docker|https?):\/\//i, '');
  const slash = plain.indexOf('/');
  const first = slash < 0 ? plain : plain.slice(0, slash);
  const isHost = slash > 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first === 'local');
  const registry = isHost ? first.toLowerCase() : currentRegistry;
  if (!registry) return undefined;
  const rest = isHost ? plain.slice(slash + 1) : plain;
  if (!rest) return { name: 'repositories', registry };
  const route = parseRoute(`/r/${registry}/${rest}`);
  return route.name === 'home' ? undefined : route;
}

/** sameRoute tells whether two routes show the same view. */
export function sameRoute(a: Route, b: Route): boolean {
  return href(a) === href(b);
}
