import { Transform, type TransformCallback } from 'node:stream';

/**
 * HoldLastChunk passes bytes through one chunk late: the newest chunk goes out only
 * when another arrives or the source ends cleanly. A source that fails its digest
 * check (at its very end) is destroyed before its last chunk went out, so a browser
 * that was told a Content-Length never receives the whole length of bad content: its
 * download fails instead of "completing" with corrupt bytes.
 */
export class HoldLastChunk extends Transform {
  private held: Buffer | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const previous = this.held;
    this.held = chunk;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.held);
  }
}

/** CountBytes passes bytes through and reports the running total after each chunk. */
export class CountBytes extends Transform {
  private total = 0;

  constructor(private readonly onBytes: (total: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.total += chunk.byteLength;
    this.onBytes(this.total);
    callback(null, chunk);
  }
}
