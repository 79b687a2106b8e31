import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OrasError } from '../errors';
import { createAgent, dispatchLayer, networkError } from './dispatch';
import type { HttpRequest, HttpResponse } from './http';
import { rejection } from '../testing/expect-error';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void = (_req, res) => res.end('ok');
const agent = createAgent({ headersTimeoutMs: 2000, bodyTimeoutMs: 2000 });

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  seen.length = 0;
  handler = (_req, res) => res.end('ok');
});

afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function text(res: HttpResponse): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString();
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('dispatchLayer', () => {
  it('sends the user agent, the caller headers, path and query', async () => {
    handler = (_req, res) => {
      res.setHeader('docker-content-digest', 'sha256:abc');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.statusCode = 201;
      res.end('created');
    };
    const send = dispatchLayer(agent, 'oras-desktop/test');
    const url = new URL(`${base}/v2/a/tags/list?n=10&last=b`);
    const res = await send({ method: 'GET', url, headers: { accept: 'application/json' } });
    expect(res.status).toBe(201);
    expect(res.url).toBe(url);
    expect(res.headers['docker-content-digest']).toBe('sha256:abc');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(await text(res)).toBe('created');
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/v2/a/tags/list?n=10&last=b' });
    expect(seen[0]!.headers['user-agent']).toBe('oras-desktop/test');
    expect(seen[0]!.headers.accept).toBe('application/json');
  });

  it('lets the caller override the user agent', async () => {
    const res = await dispatchLayer(agent, 'default/1')({ method: 'GET', url: new URL(`${base}/`), headers: { 'user-agent': 'custom/2' } });
    await text(res);
    expect(seen[0]!.headers['user-agent']).toBe('custom/2');
  });

  it('sends Buffer and stream bodies', async () => {
    const send = dispatchLayer(agent, 'ua');
    await text(await send({ method: 'PUT', url: new URL(`${base}/buffer`), body: Buffer.from('buffer body') }));
    await text(await send({ method: 'PATCH', url: new URL(`${base}/stream`), body: Readable.from([Buffer.from('stream '), Buffer.from('body')]) }));
    expect(seen.map((s) => [s.method, s.body])).toEqual([
      ['PUT', 'buffer body'],
      ['PATCH', 'stream body'],
    ]);
  });

  it('answers HEAD with an empty body', async () => {
    handler = (_req, res) => {
      res.setHeader('content-length', '42');
      res.end();
    };
    const res = await dispatchLayer(agent, 'ua')({ method: 'HEAD', url: new URL(`${base}/v2/a/blobs/x`) });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('42');
    expect(await text(res)).toBe('');
  });

  it('maps a refused connection to NETWORK with a clear message and no query', async () => {
    const port = await closedPort();
    const request: HttpRequest = { method: 'GET', url: new URL(`http://127.0.0.1:${port}/v2/?token=secret`) };
    const err = await rejection(dispatchLayer(agent, 'ua')(request));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toBe(`GET http://127.0.0.1:${port}/v2/: connection refused: is the registry running on that host and port?`);
    expect(err.cause).toBeDefined();
  });

  it('maps an already aborted signal to ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await rejection(dispatchLayer(agent, 'ua')({ method: 'GET', url: new URL(`${base}/`), signal: controller.signal }));
    expect(err.code).toBe('ABORTED');
  });

  it('maps an abort while waiting for the answer to ABORTED', async () => {
    handler = () => {
      // Never answer.
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await rejection(dispatchLayer(agent, 'ua')({ method: 'GET', url: new URL(`${base}/slow`), signal: controller.signal }));
    expect(err.code).toBe('ABORTED');
  });

  it('maps a registry that never answers to a NETWORK timeout', async () => {
    handler = () => {
      // Never answer.
    };
    const slowAgent = createAgent({ headersTimeoutMs: 100 });
    try {
      const err = await rejection(dispatchLayer(slowAgent, 'ua')({ method: 'GET', url: new URL(`${base}/slow`) }));
      expect(err.code).toBe('NETWORK');
      expect(err.message).toMatch(/timed out/);
    } finally {
      await slowAgent.destroy();
    }
  });

  it('maps https spoken to a plain-http server to TLS with a hint', async () => {
    const tlsAgent = createAgent();
    try {
      const url = new URL(base.replace('http:', 'https:') + '/v2/');
      const err = await rejection(dispatchLayer(tlsAgent, 'ua')({ method: 'GET', url }));
      expect(err.code).toBe('TLS');
      expect(err.message).toMatch(/--plain-http/);
    } finally {
      await tlsAgent.destroy();
    }
  });
});

describe('networkError', () => {
  const request: HttpRequest = { method: 'HEAD', url: new URL('https://user:pw@registry.example.com/v2/a/blobs/x?sig=secret') };

  function errno(code: string, message = `connect ${code}`): NodeJS.ErrnoException {
    return Object.assign(new Error(message), { code });
  }

  it('passes an OrasError through', () => {
    const original = new OrasError('DENIED', 'no');
    expect(networkError(original, request)).toBe(original);
  });

  it('says ABORTED when the request signal is aborted, whatever the error', () => {
    const controller = new AbortController();
    controller.abort();
    expect(networkError(errno('ECONNRESET'), { ...request, signal: controller.signal }).code).toBe('ABORTED');
  });

  it.each([
    ['ECONNREFUSED', /connection refused/],
    ['ENOTFOUND', /host name not found/],
    ['EAI_AGAIN', /host name not found/],
    ['ECONNRESET', /connection was reset/],
    ['UND_ERR_SOCKET', /connection was reset/],
    ['UND_ERR_HEADERS_TIMEOUT', /timed out/],
    ['UND_ERR_BODY_TIMEOUT', /timed out/],
    ['UND_ERR_CONNECT_TIMEOUT', /timed out/],
    ['EWHATEVER', /EWHATEVER/],
  ])('maps %s to NETWORK', (code, message) => {
    const err = networkError(errno(code), request);
    expect(err.code).toBe('NETWORK');
    expect(err.message).toMatch(message);
    expect(err.message.startsWith('HEAD https://registry.example.com/v2/a/blobs/x: ')).toBe(true);
    expect(err.message).not.toMatch(/secret|pw/);
  });

  it('adds the client-certificate hint to a dropped HTTPS connection, unless one is configured', () => {
    const hint = /if the registry requires a client certificate \(mutual TLS\), give it with --cert-file and --key-file$/;
    expect(networkError(errno('ECONNRESET'), request).message).toMatch(hint);
    expect(networkError(errno('UND_ERR_SOCKET'), request).message).toMatch(hint);
    expect(networkError(errno('ECONNRESET'), request, { clientCertificate: true }).message).not.toMatch(/client certificate/);
    expect(networkError(errno('ECONNRESET'), { ...request, url: new URL('http://registry.example.com/v2/') }).message).not.toMatch(/client certificate/);
    expect(networkError(errno('ECONNREFUSED'), request).message).not.toMatch(/client certificate/);
  });

  it('reads the code from the cause when the error itself has none', () => {
    const err = networkError(new TypeError('fetch failed', { cause: errno('ECONNREFUSED') }), request);
    expect(err.message).toMatch(/connection refused/);
  });

  it.each(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID'])(
    'maps %s to TLS with a hint',
    (code) => {
      const err = networkError(errno(code, 'some failure'), request);
      expect(err.code).toBe('TLS');
      expect(err.message).toMatch(/registry\.example\.com/);
      expect(err.message).toMatch(/--ca-file/);
      expect(err.message).toMatch(/--insecure/);
    },
  );

  it('does not take a host name containing "tls" or "ssl" for a TLS failure', () => {
    const onTls: HttpRequest = { method: 'GET', url: new URL('https://tls-registry.example.com/v2/') };
    expect(networkError(errno('ENOTFOUND', 'getaddrinfo ENOTFOUND tls-registry.example.com'), onTls)).toMatchObject({
      code: 'NETWORK',
      message: 'GET https://tls-registry.example.com/v2/: host name not found',
    });
    expect(networkError(errno('ECONNRESET', 'read ECONNRESET ssl.example.com'), onTls).code).toBe('NETWORK');
  });

  it('maps other certificate and SSL codes, and code-less TLS messages, to TLS', () => {
    expect(networkError(errno('CERT_NOT_YET_VALID', 'certificate is not yet valid'), request).code).toBe('TLS');
    expect(networkError(errno('ERR_SSL_PACKET_LENGTH_TOO_LONG', 'packet length too long'), request).code).toBe('TLS');
    expect(networkError(new Error('unable to verify the first certificate'), request).code).toBe('TLS');
  });

  it('maps a non-Error to NETWORK', () => {
    expect(networkError('weird', request)).toMatchObject({ code: 'NETWORK', message: expect.stringContaining('weird') });
  });
});

describe('createAgent', () => {
  it('fails with INVALID_ARGUMENT naming an unreadable CA file', () => {
    expect(() => createAgent({ caFile: '/nonexistent/ca.pem' })).toThrow(OrasError);
    try {
      createAgent({ caFile: '/nonexistent/ca.pem' });
    } catch (err) {
      expect((err as OrasError).code).toBe('INVALID_ARGUMENT');
      expect((err as OrasError).message).toMatch(/\/nonexistent\/ca\.pem/);
    }
  });
});
