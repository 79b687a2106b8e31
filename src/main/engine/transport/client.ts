import type { Dispatcher } from 'undici';
import { isLoopbackRegistry, registryApiHost } from '../reference';
import { AuthSession } from './auth';
import { anonymous, type CredentialProvider } from './credential';
import { createAgent, dispatchLayer, type TlsOptions } from './dispatch';
import { extraHeadersLayer, type ExtraHeaders } from './extra-headers';
import type { Send } from './http';
import { redirectLayer } from './redirect';
import { retryLayer, type RetryOptions } from './retry';

/** RegistryClientOptions: how to talk to one registry. Every field has a default. */
export interface RegistryClientOptions extends TlsOptions {
  /** Speak plain HTTP. Default: true for loopback registries (as Docker and ORAS do), else false. */
  plainHttp?: boolean;
  /** Default: anonymous. */
  credentials?: CredentialProvider;
  retry?: RetryOptions;
  /** Default `oras-desktop/<version>`. */
  userAgent?: string;
  /** Share one undici dispatcher (connection pool) between clients; the TLS options are then the dispatcher's. */
  dispatcher?: Dispatcher;
  /** Headers sent with every request to the registry's own origin (`-H`); see extra-headers.ts. */
  headers?: ExtraHeaders;
}

/** RegistryClient is the composed HTTP stack for one registry plus its base URL. */
export interface RegistryClient {
  registry: string;
  baseUrl: URL;
  send: Send;
  auth: AuthSession;
  close(): Promise<void>;
}

export const USER_AGENT = 'oras-desktop/0.1.0';

/**
 * createRegistryClient composes the stack, outermost first:
 *
 *   redirect → auth → retry → extra headers → dispatch (undici)
 *
 * Redirects sit above auth so that every hop passes the auth layer's one rule:
 * credentials go to the registry's own origin only. Retry sits below auth so a
 * challenge answered once is not answered again for each retry. The user's extra
 * headers (`-H`) are added at the bottom, to the registry's origin only, so token
 * requests and redirected hops pass the same check.
 */
export function createRegistryClient(registry: string, options: RegistryClientOptions = {}): RegistryClient {
  const plainHttp = options.plainHttp ?? isLoopbackRegistry(registry);
  const baseUrl = new URL(`${plainHttp ? 'http' : 'https'}://${registryApiHost(registry)}`);
  const ownDispatcher = options.dispatcher ? undefined : createAgent({ ...options, registryOrigin: baseUrl.origin });
  const dispatcher = options.dispatcher ?? ownDispatcher!;
  const wire = retryLayer(extraHeadersLayer(dispatchLayer(dispatcher, options.userAgent ?? USER_AGENT, { clientCertificate: Boolean(options.certFile) }), baseUrl.origin, options.headers), options.retry);
  const auth = new AuthSession({
    registry,
    origin: baseUrl.origin,
    credentials: options.credentials ?? anonymous,
    tokenSend: redirectLayer(wire),
  });
  const send = redirectLayer(auth.layer(wire));
  return {
    registry,
    baseUrl,
    send,
    auth,
    close: async () => {
      await ownDispatcher?.close();
    },
  };
}
