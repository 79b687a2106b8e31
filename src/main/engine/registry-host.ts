import { quoted } from './echo';
import { OrasError } from './errors';
import { normalizeRegistry, validateRegistry } from './reference';

/**
 * The one place a registry as someone wrote it becomes the registry name references,
 * logins, settings and the `Registry` client share (`docker.io` for Docker Hub's
 * aliases, host lowercased). The CLI's `login`/`logout`/`repo ls` operands, the login
 * service, the app's registries and browse services, the credential stores' keys and
 * the `Registry` constructor all go through here, so they agree on every spelling.
 */

/** SCHEME: `https://`, `http://` (or any scheme) in front of a host, as Docker's config keys and pasted URLs carry. */
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** API_PATH: the only paths a registry operand may carry: Docker's `/v1/` keys and the API's `/v2/`. */
const API_PATH = /^(?:\/v[12])?\/*$/;

/** splitRegistry trims `written` and takes off a scheme; `path` is what follows the first "/", with it. */
function splitRegistry(written: string): { host: string; path: string } {
  let host = written.trim();
  const scheme = SCHEME.exec(host);
  if (scheme) host = host.slice(scheme[0].length);
  const slash = host.indexOf('/');
  return slash === -1 ? { host, path: '' } : { host: host.slice(0, slash), path: host.slice(slash) };
}

/**
 * parseRegistryHost reads a registry a person or a program gave: `host[:port]`, also
 * with a scheme or Docker's `/v1/` or the API's `/v2/` path (`https://index.docker.io/v1/`
 * → `docker.io`). Anything else after the host is refused (`localhost:5000/repo` names
 * a repository, not a registry), and the host and port are checked by the distribution
 * grammar; it throws INVALID_REFERENCE saying what to write.
 */
export function parseRegistryHost(input: string): string {
  const { host, path } = splitRegistry(input);
  if (!API_PATH.test(path)) {
    throw new OrasError('INVALID_REFERENCE', `${quoted(input)} is not a registry: give host[:port] only, e.g. localhost:5000`);
  }
  validateRegistry(host, input);
  return normalizeRegistry(host);
}

/**
 * registryNameOf folds the ways a registry is written as a key (Docker's `auths`,
 * `credHelpers`, a helper's server URLs, the keychain's accounts) into its name, the
 * way Docker's own `ConvertToHostname` does: scheme and any path dropped, then
 * normalised. It never throws, so one odd key in a config file cannot hide the others;
 * such a key simply matches no valid registry.
 */
export function registryNameOf(key: string): string {
  return normalizeRegistry(splitRegistry(key).host);
}
