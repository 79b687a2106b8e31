import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, dispatchLayer } from './dispatch';
import { parseResolveRules } from './connector';
import { thrown } from '../testing/expect-error';

describe('the connector', () => {
  it("is built by undici's own buildConnector, loaded from its file", async () => {
    const { buildConnector } = await import('undici');
    // @ts-expect-error undici types its index only.
    const fromFile = (await import('undici/lib/core/connect.js')).default;
    expect(fromFile).toBe(buildConnector);
  });
});

describe('parseResolveRules', () => {
  it('reads host:port:address[:address_port], the address port defaulting to the port', () => {
    expect(parseResolveRules(['Registry.Invalid:443:127.0.0.1', 'r.invalid:5000:[::1]:6000'])).toEqual([
      { host: 'registry.invalid', port: 443, address: '127.0.0.1', addressPort: 443 },
      { host: 'r.invalid', port: 5000, address: '::1', addressPort: 6000 },
    ]);
  });

  it('lets a later rule for the same host and port replace an earlier one', () => {
    expect(parseResolveRules(['a.invalid:80:127.0.0.1', 'a.invalid:80:127.0.0.2'])).toEqual([{ host: 'a.invalid', port: 80, address: '127.0.0.2', addressPort: 80 }]);
  });

  it.each([
    ['registry.invalid:443', /write host:port:address\[:address_port\]/],
    ['registry.invalid:https:127.0.0.1', /write host:port:address/],
    ['registry.invalid:443:localhost', /"localhost" is not an IP address/],
    ['registry.invalid:0:127.0.0.1', /the port must be a port from 1 to 65535/],
    ['registry.invalid:443:127.0.0.1:70000', /the address port must be/],
  ])('refuses %s', (line, message) => {
    expect(() => parseResolveRules([line])).toThrow(message);
  });
});

describe('--resolve: where the socket goes, not what the request says', () => {
  let server: Server;
  let port: number;
  const hosts: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('connects a name DNS does not know to the address given, with the Host header kept', async () => {
    const agent = createAgent({ resolve: parseResolveRules([`registry.invalid:${port}:127.0.0.1`]) });
    const send = dispatchLayer(agent, 'test');
    try {
      const response = await send({ method: 'GET', url: new URL(`http://registry.invalid:${port}/v2/`) });
      await response.body.dump?.();
      expect(response.status).toBe(200);
      expect(hosts.at(-1)).toBe(`registry.invalid:${port}`);
    } finally {
      await agent.close();
    }
  });

  it('maps to another port with address_port', async () => {
    const agent = createAgent({ resolve: parseResolveRules([`registry.invalid:80:127.0.0.1:${port}`]) });
    const send = dispatchLayer(agent, 'test');
    try {
      const response = await send({ method: 'GET', url: new URL('http://registry.invalid/v2/') });
      await response.body.dump?.();
      expect(response.status).toBe(200);
      expect(hosts.at(-1)).toBe('registry.invalid');
    } finally {
      await agent.close();
    }
  });
});

const run = promisify(execFile);
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

describe('client certificates: shown to the registry only, checked before any connection', () => {
  let dir: string;
  let files: Record<'ca' | 'caKey' | 'server' | 'serverKey' | 'client' | 'clientKey' | 'otherKey', string>;
  const servers: TlsServer[] = [];
  const presented: Record<'registry' | 'elsewhere', boolean[]> = { registry: [], elsewhere: [] };
  let ports: Record<'registry' | 'elsewhere', number>;

  async function issue(name: string, ext: string): Promise<void> {
    await writeFile(join(dir, `${name}.ext`), ext);
    await run('openssl', ['req', ...EC, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`), '-subj', `/CN=${name}`]);
    await run('openssl', ['x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', files.ca, '-CAkey', files.caKey, '-CAcreateserial', '-out', join(dir, `${name}.crt`), '-days', '1', '-extfile', join(dir, `${name}.ext`)]);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oras-connector-'));
    files = {
      ca: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), server: join(dir, 'server.crt'), serverKey: join(dir, 'server.key'),
      client: join(dir, 'client.crt'), clientKey: join(dir, 'client.key'), otherKey: join(dir, 'other.key'),
    };
    await run('openssl', ['req', '-x509', ...EC, '-keyout', files.caKey, '-out', files.ca, '-days', '1', '-subj', '/CN=test CA', '-addext', 'basicConstraints=critical,CA:TRUE']);
    await issue('server', 'subjectAltName=IP:127.0.0.1,DNS:registry.invalid\nextendedKeyUsage=serverAuth\n');
    await issue('client', 'extendedKeyUsage=clientAuth\n');
    await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', files.otherKey]);
    const [key, cert, ca] = await Promise.all([readFile(files.serverKey), readFile(files.server), readFile(files.ca)]);
    const listen = async (name: 'registry' | 'elsewhere'): Promise<number> => {
      const server = createTlsServer({ key, cert, ca, requestCert: true, rejectUnauthorized: false }, (req, res) => {
        presented[name].push((req.socket as TLSSocket).authorized);
        res.end('ok');
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    };
    ports = { registry: await listen('registry'), elsewhere: await listen('elsewhere') };
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    await rm(dir, { recursive: true, force: true });
  });

  it("presents the certificate to the registry's origin and to no other", async () => {
    const registryOrigin = `https://127.0.0.1:${ports.registry}`;
    const agent = createAgent({ caFile: files.ca, certFile: files.client, keyFile: files.clientKey, registryOrigin });
    const send = dispatchLayer(agent, 'test');
    try {
      for (const where of ['registry', 'elsewhere'] as const) {
        const response = await send({ method: 'GET', url: new URL(`https://127.0.0.1:${ports[where]}/v2/`) });
        await response.body.dump?.();
      }
    } finally {
      await agent.close();
    }
    expect(presented).toEqual({ registry: [true], elsewhere: [false] });
  });

  it('checks the certificate for the name in the URL when --resolve sends the socket elsewhere', async () => {
    const registryOrigin = `https://registry.invalid:${ports.registry}`;
    const agent = createAgent({ caFile: files.ca, certFile: files.client, keyFile: files.clientKey, registryOrigin, resolve: parseResolveRules([`registry.invalid:${ports.registry}:127.0.0.1`]) });
    const send = dispatchLayer(agent, 'test');
    try {
      const response = await send({ method: 'GET', url: new URL(`${registryOrigin}/v2/`) });
      await response.body.dump?.();
      expect(response.status).toBe(200);
      expect(presented.registry.at(-1)).toBe(true);
    } finally {
      await agent.close();
    }
  });

  it('says which file is wrong: a missing file, a key of another certificate, one file without the other', async () => {
    expect(thrown(() => createAgent({ certFile: files.client, keyFile: join(dir, 'nope.key') })).message).toMatch(/cannot read client key file .*nope\.key: no such file/);
    expect(thrown(() => createAgent({ certFile: files.client, keyFile: files.otherKey })).message).toMatch(/the key .*other\.key is not the key of the certificate .*client\.crt/);
    expect(thrown(() => createAgent({ certFile: files.clientKey, keyFile: files.clientKey })).message).toMatch(/is not PEM|cannot be used/);
    expect(thrown(() => createAgent({ certFile: files.client })).message).toMatch(/needs both its certificate file and its key file/);
  });
});
