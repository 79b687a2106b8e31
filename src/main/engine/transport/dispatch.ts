import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Dispatcher } from 'undici';
import { advice } from '../advice';
import { cut } from '../echo';
import { OrasError } from '../errors';
import { nodeReason } from '../node-errors';
import { createConnector, type ClientCertificate, type ResolveRule } from './connector';
import { redactUrl, type HttpRequest, type Send } from './http';
import { UndiciAgent } from './undici-agent';
import { sendOnWire } from './wire-request';

/**
 * TlsOptions for one registry: a CA bundle, or no verification at all when asked; a
 * client certificate for registries that require one (mutual TLS); where to connect.
 */
export interface TlsOptions {
  /** PEM file of CA certificates to trust besides the system's. */
  caFile?: string;
  /** Skip certificate verification (ORAS's `--insecure`). */
  insecure?: boolean;
  /** PEM file of the client certificate (chain) to present to the registry; needs `keyFile`. */
  certFile?: string;
  /** PEM file of the client certificate's private key; needs `certFile`. */
  keyFile?: string;
  /** Connect to these addresses instead of what DNS says (`--resolve`); see connector.ts. */
  resolve?: readonly ResolveRule[];
}

export interface DispatchOptions extends TlsOptions {
  /** The registry's origin: only it is shown the client certificate. */
  registryOrigin?: string;
  userAgent?: string;
  /** Default 30 s: a registry that sends no header at all for this long is gone. */
  headersTimeoutMs?: number;
  /** Default 5 min: the longest silence allowed inside a body. */
  bodyTimeoutMs?: number;
  dispatcher?: Dispatcher;
}

/**
 * POOL_CONNECTIONS is how many connections one registry client keeps per origin. They
 * are kept alive and reused; a push at the CLI's default of 5 transfers at once uses
 * about twice that many, as undici checks a freed connection for a moment before its
 * next request and meanwhile takes another.
 */
export const POOL_CONNECTIONS = 16;

/**
 * createAgent builds the undici dispatcher holding a registry's connections and TLS
 * settings: one pool of kept-alive connections per origin (the registry's, and its
 * token service's or storage's when they have their own).
 */
export function createAgent(options: DispatchOptions = {}): Dispatcher {
  const ca = options.caFile ? readPem(options.caFile, 'CA file') : undefined;
  const clientCertificate = loadClientCertificate(options);
  return new UndiciAgent({
    connect: createConnector({ ca, insecure: options.insecure, clientCertificate, registryOrigin: options.registryOrigin, resolve: options.resolve }),
    headersTimeout: options.headersTimeoutMs ?? 30_000,
    bodyTimeout: options.bodyTimeoutMs ?? 300_000,
    connections: POOL_CONNECTIONS,
  });
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new OrasError('INVALID_ARGUMENT', `cannot read ${what} ${cut(file)}: ${nodeReason(err)}`, { cause: err });
  }
}

/**
 * loadClientCertificate reads `certFile` and `keyFile` and checks now that they are
 * PEM and belong together, so a wrong file is said before any connection rather than
 * as a handshake failure the registry would blame on the server.
 */
function loadClientCertificate(options: TlsOptions): ClientCertificate | undefined {
  if (!options.certFile && !options.keyFile) return undefined;
  if (!options.certFile || !options.keyFile) {
    throw new OrasError('INVALID_ARGUMENT', 'a client certificate needs both its certificate file and its key file (--cert-file and --key-file)');
  }
  const cert = readPem(options.certFile, 'client certificate file');
  const key = readPem(options.keyFile, 'client key file');
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    const reason = (err as Error).message;
    const why = /key values mismatch/i.test(reason)
      ? `the key ${cut(options.keyFile)} is not the key of the certificate ${cut(options.certFile)}`
      : /no start line|bad base64|PEM/i.test(reason)
        ? `${cut(options.certFile)} or ${cut(options.keyFile)} is not PEM (a certificate, and an unencrypted private key)`
        : `${cut(options.certFile)} and ${cut(options.keyFile)} cannot be used: ${cut(reason)}`;
    throw new OrasError('INVALID_ARGUMENT', `client certificate: ${why}`, { cause: err });
  }
  return { cert, key };
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

// Codes that name a plain network failure: their messages carry the host name, which
// may well contain "tls" or "ssl" (getaddrinfo ENOTFOUND tls.example.com).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function isTlsFailure(code: string, message: string | undefined): boolean {
  if (TLS_CODES.has(code) || /CERT|SSL|TLS/.test(code)) return true;
  return !NETWORK_CODES.has(code) && /certificate|ssl|tls/i.test(message ?? '');
}

// Codes of a connection the other side dropped: how a registry requiring a client
// certificate answers one that shows none (Go's TLS resets, Node's closes).
const DROPPED_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET']);

/** DispatchContext: what the bottom layer knows of its client, for clearer errors. */
export interface DispatchContext {
  /** A client certificate is configured (so a dropped TLS connection is not for want of one). */
  clientCertificate?: boolean;
}

/** networkError turns a socket or TLS failure into a clear OrasError. */
export function networkError(err: unknown, request: HttpRequest, context: DispatchContext = {}): OrasError {
  if (err instanceof OrasError) return err;
  if (request.signal?.aborted) {
    return new OrasError('ABORTED', 'the operation was cancelled', { cause: err });
  }
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e.code ?? e.cause?.code ?? '';
  const where = `${request.method} ${redactUrl(request.url)}`;
  if (isTlsFailure(code, e.message)) {
    return new OrasError(
      'TLS',
      `TLS failed for ${request.url.host} (${nodeReason(err)}): ${advice('trustCa')}`,
      { cause: err },
    );
  }
  const why = nodeReason(err);
  const hint =
    request.url.protocol === 'https:' && !context.clientCertificate && DROPPED_CODES.has(code)
      ? `; if the registry requires a client certificate (mutual TLS), ${advice('clientCertificate')}`
      : '';
  return new OrasError('NETWORK', `${where}: ${why}${hint}`, { cause: err });
}

/**
 * dispatchLayer is the bottom of the stack: one request on the wire through undici,
 * on the dispatcher's kept-alive connections (see wire-request.ts).
 */
export function dispatchLayer(dispatcher: Dispatcher, userAgent: string, context: DispatchContext = {}): Send {
  return async (request) => {
    const headers: Record<string, string> = { 'user-agent': userAgent, ...request.headers };
    try {
      const response = await sendOnWire(dispatcher, {
        origin: request.url.origin,
        path: `${request.url.pathname}${request.url.search}`,
        method: request.method,
        headers,
        body: request.body ?? undefined,
        signal: request.signal,
      });
      return { status: response.status, headers: response.headers, body: response.body, url: request.url };
    } catch (err) {
      throw networkError(err, request, context);
    }
  };
}
