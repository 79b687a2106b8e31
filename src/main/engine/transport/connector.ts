import { isIP } from 'node:net';
import type { buildConnector as BuildConnector } from 'undici';
// @ts-expect-error undici types its index only; this is the function its index exports as
// buildConnector, loaded from its own file for the reason undici-agent.ts gives.
import buildConnectorImpl from 'undici/lib/core/connect.js';
import { quoted } from '../echo';
import { OrasError } from '../errors';

const buildConnector = buildConnectorImpl as typeof BuildConnector;
type Connector = BuildConnector.connector;

/**
 * ResolveRule is one `--resolve host:port:address[:address_port]` (curl's and ORAS's
 * form): connections to `host:port` go to `address:addressPort` instead of what DNS
 * says, while the URL, the Host header and the TLS server name stay `host`.
 */
export interface ResolveRule {
  host: string;
  port: number;
  address: string;
  addressPort: number;
}

const RULE = /^([^:[\]]+):(\d{1,5}):(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;

function portOf(text: string, line: string, what: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new OrasError('INVALID_ARGUMENT', `invalid resolve rule ${quoted(line)}: ${what} must be a port from 1 to 65535`);
  return port;
}

/**
 * parseResolveRules reads `host:port:address[:address_port]` lines; the address must
 * be an IP address (IPv6 in brackets). A later rule for the same host and port
 * replaces an earlier one, as in ORAS.
 */
export function parseResolveRules(lines: readonly string[]): ResolveRule[] {
  const rules = new Map<string, ResolveRule>();
  for (const line of lines) {
    const match = RULE.exec(line);
    if (!match) throw new OrasError('INVALID_ARGUMENT', `invalid resolve rule ${quoted(line)}: write host:port:address[:address_port], e.g. registry.example:443:10.0.0.5`);
    const address = match[3]!.replace(/^\[(.*)\]$/, '$1');
    if (isIP(address) === 0) throw new OrasError('INVALID_ARGUMENT', `invalid resolve rule ${quoted(line)}: ${quoted(address)} is not an IP address`);
    const port = portOf(match[2]!, line, 'the port');
    const rule = { host: match[1]!.toLowerCase(), port, address, addressPort: match[4] === undefined ? port : portOf(match[4], line, 'the address port') };
    rules.set(`${rule.host}:${rule.port}`, rule);
  }
  return [...rules.values()];
}

/** ClientCertificate is a TLS client certificate chain and its private key, as PEM. */
export interface ClientCertificate {
  cert: Buffer;
  key: Buffer;
}

export interface ConnectorOptions {
  /** CA certificates to trust besides the system's. */
  ca?: Buffer;
  /** Skip certificate verification. */
  insecure?: boolean;
  /** Presented only to `registryOrigin`: a token service or storage elsewhere never gets it. */
  clientCertificate?: ClientCertificate;
  /** The registry's origin, `https://host[:port]`. */
  registryOrigin?: string;
  resolve?: readonly ResolveRule[];
}

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

/**
 * createConnector makes undici's connect function for a registry client: TLS settings
 * for every origin, the client certificate for the registry's origin only (as ORAS
 * scopes it), and `resolve` rules applied before DNS. A rule changes only where the
 * socket goes: undici still takes the TLS server name and the Host header from the
 * URL, so the certificate is checked for the name the user typed.
 */
export function createConnector(options: ConnectorOptions): Connector {
  const tls = { ...(options.ca ? { ca: [options.ca] } : {}), rejectUnauthorized: !options.insecure };
  const anywhere = buildConnector(tls);
  const toRegistry = options.clientCertificate ? buildConnector({ ...tls, cert: options.clientCertificate.cert, key: options.clientCertificate.key }) : anywhere;
  const rules = new Map((options.resolve ?? []).map((rule) => [`${rule.host}:${rule.port}`, rule]));
  const registryOrigin = options.registryOrigin ? new URL(options.registryOrigin).origin : undefined;
  return (connect, callback) => {
    const origin = `${connect.protocol}//${connect.host ?? connect.hostname}`;
    const connector = origin === registryOrigin ? toRegistry : anywhere;
    const port = connect.port === '' ? defaultPort(connect.protocol) : Number(connect.port);
    const rule = rules.get(`${connect.hostname.toLowerCase()}:${port}`);
    if (!rule) return connector(connect, callback);
    // host stays: undici derives the TLS server name from it.
    return connector({ ...connect, host: connect.host ?? connect.hostname, hostname: rule.address, port: String(rule.addressPort) }, callback);
  };
}
