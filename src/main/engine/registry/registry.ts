import { OrasError } from '../errors';
import { parseReference, referenceOf, type Reference } from '../reference';
import { parseRegistryHost } from '../registry-host';
import { createRegistryClient, type RegistryClient, type RegistryClientOptions } from '../transport/client';
import { discard } from '../transport/http';
import { loginHint, send } from './context';
import { MAX_PAGES, nextPage, readJsonPage, readPage, type Page } from './paging';
import { Repository, type RepositoryOptions } from './repository';

/**
 * RegistryOptions: how to reach a registry (`credentials`, default anonymous;
 * `plainHttp`, default true on loopback only; `caFile`, `insecure`; a client
 * certificate `certFile` with `keyFile`; extra `headers` and `resolve` rules; `retry`;
 * `userAgent`), how to upload to it (`uploadChunkSize`) and which manifest types to ask
 * for (`manifestMediaTypes`).
 */
export type RegistryOptions = RegistryClientOptions & RepositoryOptions;

/**
 * Registry is one remote registry: it pings, lists the catalog and hands out
 * repositories that share its connections and login.
 */
export class Registry {
  readonly client: RegistryClient;

  constructor(
    name: string,
    private readonly options: RegistryOptions = {},
  ) {
    this.client = createRegistryClient(parseRegistryHost(name), options);
  }

  get name(): string {
    return this.client.registry;
  }

  repository(name: string): Repository {
    return new Repository(this.client, name, this.options);
  }

  /**
   * ping checks that the registry speaks the distribution API (`GET /v2/`) and that
   * the login, if any, is accepted. A registry that needs a token is asked for one with
   * no scope, which proves the password to the token service.
   */
  async ping(signal?: AbortSignal): Promise<void> {
    const ctx = { client: this.client, repository: '' };
    const url = new URL('/v2/', this.client.baseUrl);
    const response = await this.client.send({ method: 'GET', url, signal });
    await discard(response);
    if (response.status === 200) return;
    if (response.status === 401) {
      throw new OrasError('UNAUTHORIZED', `${this.name}: ${await loginHint(ctx)}`);
    }
    if (response.status === 404) {
      throw new OrasError('UNSUPPORTED', `${this.name} does not speak the OCI distribution API (GET /v2/ answered 404)`);
    }
    await send(ctx, { method: 'GET', url, signal }, [200], `registry ${this.name}`);
  }

  /** catalog lists the registry's repositories (`/v2/_catalog`), page by page. */
  async *catalog(options: { signal?: AbortSignal; pageSize?: number; last?: string } = {}): AsyncGenerator<string> {
    const ctx = { client: this.client, repository: '' };
    const what = `catalog of ${this.name}`;
    let url: URL | undefined = new URL('/v2/_catalog', this.client.baseUrl);
    if (options.pageSize) url.searchParams.set('n', String(options.pageSize));
    if (options.last) url.searchParams.set('last', options.last);
    for (let page = 0; url; page++) {
      if (page >= MAX_PAGES) throw new OrasError('SIZE_LIMIT', `${what}: more than ${MAX_PAGES} pages`);
      const response = await send(ctx, { method: 'GET', url, scopes: ['registry:catalog:*'], signal: options.signal }, [200], what);
      const next = nextPage(response, url);
      const body = await readJsonPage<{ repositories?: unknown }>(response, what);
      for (const repo of Array.isArray(body.repositories) ? body.repositories : []) if (typeof repo === 'string') yield repo;
      url = next;
    }
  }

  /**
   * catalogPage reads one page of the catalog (`n` = `pageSize`, after `last`) and the
   * `last` of the next page, so a view can page without reading the whole catalog.
   */
  async catalogPage(options: { signal?: AbortSignal; pageSize?: number; last?: string } = {}): Promise<Page> {
    const ctx = { client: this.client, repository: '' };
    const what = `catalog of ${this.name}`;
    const url = new URL('/v2/_catalog', this.client.baseUrl);
    if (options.pageSize) url.searchParams.set('n', String(options.pageSize));
    if (options.last) url.searchParams.set('last', options.last);
    const response = await send(ctx, { method: 'GET', url, scopes: ['registry:catalog:*'], signal: options.signal }, [200], what);
    return readPage(response, url, 'repositories', what);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/**
 * openRepository parses a reference and opens its repository, returning both and the
 * tag or digest to resolve. Close the registry when done.
 */
export function openRepository(reference: string | Reference, options: RegistryOptions = {}): { registry: Registry; repository: Repository; reference: Reference; tagOrDigest?: string } {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  const registry = new Registry(ref.registry, options);
  return { registry, repository: registry.repository(ref.repository), reference: ref, tagOrDigest: referenceOf(ref) };
}
