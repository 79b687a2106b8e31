import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrasError } from '../errors';
import { createAgent } from './dispatch';
import { SMALL_BLOB_BYTES } from '../small-blobs';
import { sendOnWire, type WireRequest } from './wire-request';

let server: Server;
let origin: string;
const received: Array<{ url: string; body: Buffer; chunked: boolean }> = [];
const agent = createAgent();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ url: req.url!, body: Buffer.concat(chunks), chunked: req.headers['transfer-encoding'] === 'chunked' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function put(path: string, body: Readable, length?: number): WireRequest {
  return { origin, path, method: 'PUT', headers: length === undefined ? {} : { 'content-length': String(length) }, body };
}

describe('sendOnWire', () => {
  it('sends a small streamed body, read whole first, and a large one as a stream', async () => {
    const small = Buffer.alloc(4096, 1);
    const large = Buffer.alloc(SMALL_BLOB_BYTES + 1, 2);
    for (const [path, bytes] of [['/small', small], ['/large', large]] as const) {
      const response = await sendOnWire(agent, put(path, Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]), bytes.length));
      expect(response.status).toBe(200);
      await response.body.dump();
    }
    expect(received.find((r) => r.url === '/small')?.body.equals(small)).toBe(true);
    expect(received.find((r) => r.url === '/large')?.body.equals(large)).toBe(true);
  });

  it('sends nothing when a small streamed body fails (a digest check), rejecting with its error', async () => {
    const mismatch = new OrasError('DIGEST_MISMATCH', 'source of blob x: digest mismatch');
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(10));
        this.destroy(mismatch);
      },
    });
    const before = received.length;
    await expect(sendOnWire(agent, put('/bad', failing, 20))).rejects.toBe(mismatch);
    expect(received.length).toBe(before);
  });

  it('lets go of a streamed body (its file closes) when the request fails before it is sent', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const body = new Readable({
      read() {
        this.push(Buffer.alloc(SMALL_BLOB_BYTES));
      },
    });
    const refused = sendOnWire(agent, { origin: `http://127.0.0.1:${port}`, path: '/x', method: 'PUT', headers: {}, body });
    await expect(refused).rejects.toThrow();
    expect(body.destroyed).toBe(true);
  });

  it('answers a HEAD, whose connection it keeps, with an empty complete body that dump() lets go at once', async () => {
    const response = await sendOnWire(agent, { origin, path: '/head', method: 'HEAD', headers: {} });
    expect(response.status).toBe(200);
    await response.body.dump();
    expect(response.body.destroyed).toBe(false); // nothing to close: the answer was whole
  });
});
