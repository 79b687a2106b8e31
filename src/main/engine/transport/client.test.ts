import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthSession } from './auth';
import { createRegistryClient, USER_AGENT, type RegistryClient } from './client';
import { staticCredentials } from './credential';

const clients: RegistryClient[] = [];

function client(...args: Parameters<typeof createRegistryClient>): RegistryClient {
  const created = createRegistryClient(...args);
  clients.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe('createRegistryClient', () => {
  it.each([
    ['localhost:5000', 'http://localhost:5000'],
    ['localhost', 'http://localhost'],
    ['127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['127.1.2.3', 'http://127.1.2.3'],
    ['[::1]:5000', 'http://[::1]:5000'],
    ['registry.localhost:5000', 'http://registry.localhost:5000'],
  ])('speaks plain http to the loopback registry %s', (registry, origin) => {
    expect(client(registry).baseUrl.origin).toBe(origin);
  });

  it.each([
    ['ghcr.io', 'https://ghcr.io'],
    ['registry.example.com:8443', 'https://registry.example.com:8443'],
    ['10.0.0.5:5000', 'https://10.0.0.5:5000'],
    ['192.168.1.2', 'https://192.168.1.2'],
    ['localhost.example.com', 'https://localhost.example.com'],
    ['127.0.0.1.nip.io', 'https://127.0.0.1.nip.io'],
  ])('speaks https to %s', (registry, origin) => {
    expect(client(registry).baseUrl.origin).toBe(origin);
  });

  it('lets plainHttp override the default both ways', () => {
    expect(client('registry.example.com', { plainHttp: true }).baseUrl.origin).toBe('http://registry.example.com');
    expect(client('localhost:5000', { plainHttp: false }).baseUrl.origin).toBe('https://localhost:5000');
  });

  it('sends Docker Hub requests to registry-1.docker.io', () => {
    const hub = client('docker.io');
    expect(hub.baseUrl.href).toBe('https://registry-1.docker.io/');
    expect(hub.registry).toBe('docker.io');
    expect(hub.auth).toBeInstanceOf(AuthSession);
  });

  it('asks the credential provider about the registry name, not the API host', async () => {
    const asked: string[] = [];
    const hub = client('docker.io', {
      credentials: async (registry) => {
        asked.push(registry);
        return { username: 'u', password: 'p' };
      },
    });
    expect(await hub.auth.hasCredential()).toBe(true);
    expect(asked).toEqual(['docker.io']);
  });

  it('closes its own dispatcher but never one it was given', async () => {
    const owned = createRegistryClient('localhost:5000');
    await expect(owned.close()).resolves.toBeUndefined();
    const given = { close: () => Promise.reject(new Error('must not be closed')) };
    const borrower = createRegistryClient('localhost:5001', { dispatcher: given as unknown as Dispatcher });
    await expect(borrower.close()).resolves.toBeUndefined();
  });
});

async function listen(handler: RequestListener): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function text(body: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString();
}

describe('the composed stack', () => {
  it('logs in with Basic, follows a same-origin redirect and sends the user agent, on 127.0.0.1 only', async () => {
    const seen: Array<{ url: string; authorization?: string; ua?: string }> = [];
    const good = `Basic ${Buffer.from('alice:secret').toString('base64')}`;
    const registry = await listen((req, res) => {
      seen.push({ url: req.url!, authorization: req.headers.authorization, ua: req.headers['user-agent'] });
      if (req.headers.authorization !== good) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
      } else if (req.url === '/v2/a/blobs/old') {
        res.writeHead(307, { location: '/v2/a/blobs/new' }).end();
      } else {
        res.end('blob');
      }
    });
    try {
      const name = new URL(registry.origin).host;
      const c = client(name, { credentials: staticCredentials(name, { username: 'alice', password: 'secret' }), retry: { maxRetries: 0 } });
      expect(c.baseUrl.origin).toBe(registry.origin);
      const res = await c.send({ method: 'GET', url: new URL('/v2/a/blobs/old', c.baseUrl) });
      expect(res.status).toBe(200);
      expect(await text(res.body)).toBe('blob');
      expect(res.url.pathname).toBe('/v2/a/blobs/new');
      expect(seen.map((s) => [s.url, s.authorization])).toEqual([
        ['/v2/a/blobs/old', undefined],
        ['/v2/a/blobs/old', good],
        ['/v2/a/blobs/new', good],
      ]);
      expect(seen.every((s) => s.ua === USER_AGENT)).toBe(true);
    } finally {
      await stop(registry.server);
    }
  });

  it('gets a bearer token from a realm on another port and keeps it from a cross-origin redirect', async () => {
    const storageSeen: Array<string | undefined> = [];
    const storage = await listen((req, res) => {
      storageSeen.push(req.headers.authorization);
      res.end('from storage');
    });
    const tokenSeen: string[] = [];
    const tokens = await listen((req, res) => {
      tokenSeen.push(req.url!);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ token: 'T1', expires_in: 300 }));
    });
    const registrySeen: Array<string | undefined> = [];
    const registry = await listen((req, res) => {
      registrySeen.push(req.headers.authorization);
      if (req.headers.authorization !== 'Bearer T1') {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${tokens.origin}/token",service="test",scope="repository:a:pull"` }).end();
      } else {
        res.writeHead(307, { location: `${storage.origin}/blob?sig=x` }).end();
      }
    });
    try {
      const name = new URL(registry.origin).host;
      const c = client(name, { credentials: staticCredentials(name, { username: 'alice', password: 'secret' }), retry: { maxRetries: 0 } });
      const res = await c.send({ method: 'GET', url: new URL('/v2/a/blobs/sha256:x', c.baseUrl), scopes: ['repository:a:pull'] });
      expect(await text(res.body)).toBe('from storage');
      expect(res.url.origin).toBe(storage.origin);
      expect(registrySeen).toEqual([undefined, 'Bearer T1']);
      expect(tokenSeen).toEqual(['/token?service=test&scope=repository%3Aa%3Apull']);
      expect(storageSeen).toEqual([undefined]);
    } finally {
      await Promise.all([stop(storage.server), stop(tokens.server), stop(registry.server)]);
    }
  });
});
