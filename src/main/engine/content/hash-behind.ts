import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { Digest } from '../digest';
import { OrasError } from '../errors';
import { skip } from './streams';

/**
 * The worker's own code, plain CommonJS so that it runs as it is from any bundle. It
 * reads the file up to where the writer says it is written, hashes that, and waits to
 * be told more; told the end, it answers the digest and the size it hashed.
 */
const FOLLOWER = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const { createHash } = require('node:crypto');
const hash = createHash('sha256');
const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
let fd;
let hashed = 0;
parentPort.on('message', ({ written, end }) => {
  try {
    fd ??= openSync(workerData.file, 'r');
    while (hashed < written) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, written - hashed), hashed);
      if (n === 0) throw new Error('it ends at byte ' + hashed + ', before the ' + written + ' written');
      hash.update(buffer.subarray(0, n));
      hashed += n;
    }
    if (end) {
      closeSync(fd);
      parentPort.postMessage({ digest: 'sha256:' + hash.digest('hex'), size: hashed });
    }
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
});
`;

/**
 * HashBehind hashes a file on a thread of its own while the file is being written:
 * the writer says how far it has written (`written`), the worker reads and hashes up
 * to there, from the page cache. For a large upload written to disk, the socket, the
 * write and the hash then take two threads instead of one: a 1 GiB upload into browser
 * mode's staging folder took 2.32 s hashed on the main thread and 2.01 s this way
 * (means of five runs in turns). A worker costs about 10 MiB and a moment to start, so
 * small uploads are hashed as they pass instead.
 */
export class HashBehind {
  private readonly worker: Worker;
  private readonly outcome: Promise<{ digest: Digest; size: number }>;

  constructor(file: string) {
    this.worker = new Worker(FOLLOWER, { eval: true, workerData: { file } });
    // Until finish() waits for it, the worker alone keeps no process alive.
    this.worker.unref();
    this.outcome = new Promise((resolve, reject) => {
      this.worker.once('message', (answer: { digest?: Digest; size?: number; error?: string }) => {
        if (answer.error !== undefined) reject(new OrasError('INTERNAL', `cannot hash ${file} as it is written: ${answer.error}`));
        else resolve({ digest: answer.digest!, size: answer.size! });
      });
      this.worker.once('error', (error) => reject(new OrasError('INTERNAL', `cannot hash ${file} as it is written: ${error.message}`, { cause: error })));
      this.worker.once('exit', () => reject(new OrasError('ABORTED', `hashing ${file} was stopped`)));
    });
    // Awaited only by finish(); a failure before then must not count as unhandled.
    this.outcome.catch(() => {});
  }

  /** written tells the worker the first `total` bytes of the file are on disk. */
  written(total: number): void {
    this.worker.postMessage({ written: total });
  }

  /** finish tells the worker the file is complete at `total` bytes and answers its digest. */
  async finish(total: number): Promise<{ digest: Digest; size: number }> {
    this.worker.ref();
    this.worker.postMessage({ written: total, end: true });
    try {
      return await this.outcome;
    } finally {
      this.stop();
    }
  }

  /** stop ends the worker, whatever it was doing. */
  stop(): void {
    void this.worker.terminate();
  }
}

/**
 * FileAppender writes a stream to an open file from its start, in one positioned
 * `writev` per batch of pieces (up to `highWaterMark` wait while a write is under way),
 * and calls `onWritten(total)` once each write is on disk. It leaves the file open.
 */
export class FileAppender extends Writable {
  private total = 0;

  /** bytesWritten is how many bytes are on disk so far. */
  get bytesWritten(): number {
    return this.total;
  }

  constructor(
    private readonly handle: FileHandle,
    highWaterMark: number,
    private readonly onWritten: (total: number) => void,
  ) {
    super({ highWaterMark });
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.append(chunks.map((c) => c.chunk)).then(() => callback(), callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.append([chunk]).then(() => callback(), callback);
  }

  private async append(buffers: Buffer[]): Promise<void> {
    let pending = buffers;
    while (pending.length > 0) {
      const { bytesWritten } = await this.handle.writev(pending, this.total);
      if (bytesWritten === 0) throw new OrasError('INTERNAL', 'the file system took none of the bytes written');
      this.total += bytesWritten;
      pending = skip(pending, bytesWritten);
    }
    this.onWritten(this.total);
  }
}
