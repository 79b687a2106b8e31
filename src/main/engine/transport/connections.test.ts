import { getEventListeners } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { headBlob } from '../registry/blobs';
import { rejection } from '../testing/expect-error';
import { watchedRequests } from './abort-watch';
import { createRegistryClient, type RegistryClient } from './client';
import { createAgent, POOL_CONNECTIONS } from './dispatch';
import { discard, type HttpRequest } from './http';

/**
 * What a push of many small files needs from the transport: connections kept and
 * reused (one pool per registry), no exception thrown for an expected answer, and one
 * abort listener per transfer however many requests it makes.
 */

interface Listening {
  server: Server;
  name: string;
  /** TCP connections the server has accepted so far. */
  connections: () => number;
}

const servers: Server[] = [];
const clients: RegistryClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function listen(handler: RequestListener): Promise<Listening> {
  let accepted = 0;
  const server = createServer(handler);
  server.on('connection', () => accepted++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, name: `127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => accepted };
}

function client(name: string): RegistryClient {
  const created = createRegistryClient(name, { retry: { maxRetries: 0 } });
  clients.push(created);
  return created;
}

/** A registry-like server: blobs `present` exist, everything else is 404 with a JSON error body. */
const registryLike: RequestListener = (req, res) => {
  req.resume();
  req.on('end', () => {
    const url = req.url ?? '';
    if (url.startsWith('/v2/a/blobs/uploads/') && req.method === 'POST') {
      res.writeHead(202, { location: '/v2/a/blobs/uploads/u1?state=x', 'content-length': '0' }).end();
    } else if (url.startsWith('/v2/a/blobs/uploads/') && req.method === 'PUT') {
      res.writeHead(201, { 'content-length': '0' }).end();
    } else if (url === '/v2/a/blobs/moved') {
      res.writeHead(307, { location: '/v2/a/blobs/present', 'content-length': '0' }).end();
    } else if (url === '/v2/a/blobs/present') {
      res.writeHead(200, { 'content-length': '4' }).end(req.method === 'HEAD' ? undefined : 'blob');
    } else {
      const body = JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] });
      res.writeHead(404, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      res.end(req.method === 'HEAD' ? undefined : body);
    }
  });
};

/** The requests a push and a pull make, each kind in turn: HEAD (404 and 200), POST, PUT, GET, redirects. */
function requestNumber(i: number, c: RegistryClient): HttpRequest {
  const url = (path: string) => new URL(path, c.baseUrl);
  switch (i % 7) {
    case 0:
      return { method: 'HEAD', url: url('/v2/a/blobs/absent') };
    case 1:
      return { method: 'HEAD', url: url('/v2/a/blobs/present') };
    case 2:
      return { method: 'POST', url: url('/v2/a/blobs/uploads/') };
    case 3:
      return { method: 'PUT', url: url('/v2/a/blobs/uploads/u1?digest=x'), body: Buffer.alloc(4096, 1) };
    case 4:
      return { method: 'PUT', url: url('/v2/a/blobs/uploads/u1?digest=y'), body: Readable.from([Buffer.alloc(4096, 2)]) };
    case 5:
      return { method: 'GET', url: url('/v2/a/blobs/absent') };
    default:
      return { method: 'GET', url: url('/v2/a/blobs/moved') };
  }
}

async function sendAll(c: RegistryClient, count: number, atOnce: number, signal?: AbortSignal): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const response = await c.send({ ...requestNumber(i, c), signal });
      statuses[i] = response.status;
      await discard(response);
    }
  };
  await Promise.all(Array.from({ length: atOnce }, worker));
  return statuses;
}

/** thrownDuring counts the exceptions thrown (caught or not) while `work` runs, by the inspector. */
async function thrownDuring(work: () => Promise<void>): Promise<string[]> {
  const session = new Session();
  session.connect();
  const thrown: string[] = [];
  session.on('Debugger.paused', (message) => {
    const data = message.params.data as { description?: string } | undefined;
    thrown.push(data?.description?.split('\n')[0] ?? message.params.reason);
    session.post('Debugger.resume');
  });
  session.post('Debugger.enable');
  session.post('Debugger.setPauseOnExceptions', { state: 'all' });
  try {
    await work();
  } finally {
    session.post('Debugger.setPauseOnExceptions', { state: 'none' });
    session.post('Debugger.disable');
    session.disconnect();
  }
  return thrown;
}

describe('connections', () => {
  it("are held by undici's own Agent, loaded from its file (not undici's whole index)", async () => {
    const agent = createAgent();
    expect(agent).toBeInstanceOf(Agent);
    await agent.close();
  });

  // undici checks a freed connection until the next turn of the event loop before it
  // sends on it again, so a request sent at once takes a second connection: requests
  // one after another alternate between two, never more.
  it('sends 200 requests of every kind, one after another, over at most two kept-alive connections', async () => {
    const registry = await listen(registryLike);
    const c = client(registry.name);
    const statuses = await sendAll(c, 200, 1);
    expect(new Set(statuses)).toEqual(new Set([404, 200, 202, 201]));
    expect(registry.connections()).toBeLessThanOrEqual(2);
  });

  it(`opens at most its pool (${POOL_CONNECTIONS}) for 200 requests, 8 at a time`, async () => {
    const registry = await listen(registryLike);
    const c = client(registry.name);
    await sendAll(c, 200, 8);
    expect(registry.connections()).toBeLessThanOrEqual(POOL_CONNECTIONS);
  });

  it('keeps the connection after a body is dumped unread, and after a HEAD (undici closes it by default)', async () => {
    const registry = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-length': String(32 * 1024) }).end(req.method === 'HEAD' ? undefined : Buffer.alloc(32 * 1024));
    });
    const c = client(registry.name);
    for (let i = 0; i < 40; i++) {
      await discard(await c.send({ method: i % 2 ? 'HEAD' : 'GET', url: new URL('/v2/a/blobs/big', c.baseUrl) }));
    }
    expect(registry.connections()).toBeLessThanOrEqual(2);
  });

  it('closes the connection whose body the reader gave up on; the next answer on the pool is whole', async () => {
    const registry = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-length': String(1024 * 1024) }).end(Buffer.alloc(1024 * 1024, req.url === '/first' ? 1 : 2));
    });
    const c = client(registry.name);
    const response = await c.send({ method: 'GET', url: new URL('/first', c.baseUrl) });
    response.body.destroy();
    for (let i = 0; i < 3; i++) {
      const again = await c.send({ method: 'GET', url: new URL('/next', c.baseUrl) });
      const chunks: Buffer[] = [];
      for await (const chunk of again.body) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(Buffer.alloc(1024 * 1024, 2))).toBe(true);
    }
  });
});

describe('expected answers are not exceptions', () => {
  it('a 404 on a blob HEAD is "absent": no exception thrown anywhere on the way', async () => {
    const registry = await listen(registryLike);
    const ctx = { client: client(registry.name), repository: 'a' };
    expect(await headBlob(ctx, 'present')).toBe(true); // connection and code paths warmed up
    const answers: boolean[] = [];
    const thrown = await thrownDuring(async () => {
      for (let i = 0; i < 20; i++) answers.push(await headBlob(ctx, i % 2 ? 'present' : 'absent'));
    });
    expect(thrown).toEqual([]);
    expect(answers.filter((present) => !present)).toHaveLength(10);
    expect(registry.connections()).toBeLessThanOrEqual(2);
  });
});

describe('abort listeners', () => {
  it('one listener on the transfer signal however many requests run under it, none once it is aborted', async () => {
    const held: Array<() => void> = [];
    const registry = await listen((req, res) => {
      req.resume();
      if (req.url === '/v2/hang') held.push(() => res.end());
      else res.end('ok');
    });
    const c = client(registry.name);
    const transfer = new AbortController();
    await sendAll(c, 100, 4, transfer.signal);
    expect(getEventListeners(transfer.signal, 'abort')).toHaveLength(1);
    expect(watchedRequests(transfer.signal)).toBe(0);

    const hanging = Array.from({ length: 10 }, () => c.send({ method: 'GET', url: new URL('/v2/hang', c.baseUrl), signal: transfer.signal }));
    await expect.poll(() => held.length).toBe(10);
    expect(getEventListeners(transfer.signal, 'abort')).toHaveLength(1);
    expect(watchedRequests(transfer.signal)).toBe(10);

    transfer.abort();
    for (const request of hanging) expect((await rejection(request)).code).toBe('ABORTED');
    expect(getEventListeners(transfer.signal, 'abort')).toHaveLength(0);
    expect(watchedRequests(transfer.signal)).toBe(0);
  });

  it('an abort during a body ends the body with ABORTED', async () => {
    const registry = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-length': '10' });
      res.write('hello'); // and never the rest
    });
    const c = client(registry.name);
    const transfer = new AbortController();
    const response = await c.send({ method: 'GET', url: new URL('/v2/a/blobs/slow', c.baseUrl), signal: transfer.signal });
    const reading = (async () => {
      for await (const chunk of response.body) void chunk;
    })();
    transfer.abort();
    expect((await rejection(reading)).code).toBe('ABORTED');
    expect(getEventListeners(transfer.signal, 'abort')).toHaveLength(0);
  });
});
