import type { Readable } from 'node:stream';
import { Digester, type DigestAlgorithm } from '../digest';
import { OrasError } from '../errors';

/** Reopen gives the same content again from its first byte (a file opened anew, a blob fetched anew). */
export type Reopen = () => Promise<Readable>;

/**
 * SourceReader hands out a blob's bytes in consecutive ranges (one per PATCH) straight
 * from its stream: nothing is held beyond the piece being sent, so chunk size costs no
 * memory. After a drop it rewinds to the offset the registry holds by reading the
 * content again from the start (`reopen`), hashing the part the registry has and
 * sending the rest: a drop costs a re-read of what was sent, never a second upload.
 *
 * It hashes what it hands out when asked (`hash`), and always after a rewind: a source
 * stream that checks itself (see markVerifying) needs no second hash on the first pass,
 * but what is read again is checked here.
 */
export class SourceReader {
  private stream: Readable;
  private pieces: AsyncIterator<Buffer>;
  private leftover: Buffer | undefined;
  private digester: Digester | undefined;
  /** failure is the error the source itself raised, so it is not taken for a network drop. */
  failure: unknown;
  /** position is how many bytes were handed out since the start. */
  position = 0;
  /** generation counts rewinds: each read of the content has its own. */
  private generation = 0;

  constructor(
    content: Readable,
    private readonly reopen: Reopen,
    private readonly options: { algorithm: DigestAlgorithm; hash: boolean; what: string },
  ) {
    this.stream = content;
    this.pieces = iterate(content);
    if (options.hash) this.digester = new Digester(options.algorithm);
  }

  /** hashed tells whether the whole content passed through this reader's own hash. */
  get hashed(): boolean {
    return this.digester !== undefined;
  }

  /** digest is the hash of everything handed out (only when `hashed`). */
  digest(): string | undefined {
    return this.digester?.digest();
  }

  /**
   * take yields the next `length` bytes, in the source's own pieces. It fails with
   * SIZE_MISMATCH when the source ends first.
   */
  async *take(length: number): AsyncGenerator<Buffer> {
    // A range abandoned by a dropped PATCH may still be asked for a piece while the
    // reader rewinds: it must not take one from the content read again.
    const generation = this.generation;
    let left = length;
    while (left > 0) {
      const piece = await this.next(generation);
      if (generation !== this.generation) return;
      if (piece === undefined) {
        throw (this.failure = new OrasError('SIZE_MISMATCH', `${this.options.what}: the content ended after ${this.position} bytes, before the ${this.position + left} expected (changed while it was read?)`));
      }
      const part = piece.byteLength > left ? piece.subarray(0, left) : piece;
      if (part !== piece) this.leftover = piece.subarray(left);
      this.digester?.update(part);
      this.position += part.byteLength;
      left -= part.byteLength;
      yield part;
    }
  }

  /**
   * end makes sure nothing follows what was handed out: a longer source fails with
   * SIZE_MISMATCH, and a source that checks itself reports its verdict here.
   */
  async end(): Promise<void> {
    if ((await this.next(this.generation)) !== undefined) {
      throw (this.failure = new OrasError('SIZE_MISMATCH', `${this.options.what}: the content goes on past ${this.position} bytes (changed while it was read?)`));
    }
  }

  /** rewind starts over at byte `to`: the content read again, its first `to` bytes only hashed. */
  async rewind(to: number): Promise<void> {
    this.generation += 1;
    this.close();
    this.stream = await this.reopen();
    this.pieces = iterate(this.stream);
    this.leftover = undefined;
    this.position = 0;
    this.digester = new Digester(this.options.algorithm);
    for await (const _ of this.take(to)) {
      // Hashed by take; not sent again.
    }
  }

  close(): void {
    this.stream.destroy();
  }

  /** next is the next piece of the current read (`generation`); none for a read given up. */
  private async next(generation: number): Promise<Buffer | undefined> {
    if (generation !== this.generation) return undefined;
    if (this.leftover !== undefined) {
      const piece = this.leftover;
      this.leftover = undefined;
      return piece;
    }
    try {
      const result = await this.pieces.next();
      return result.done ? undefined : result.value;
    } catch (err) {
      // The error of a read given up (destroyed by rewind) is nobody's.
      if (generation === this.generation) this.failure = err;
      throw err;
    }
  }
}

function iterate(stream: Readable): AsyncIterator<Buffer> {
  // Not `stream[Symbol.asyncIterator]()` handed to for-await: a loop that stops early
  // would destroy the stream, and each range ends partway through it.
  return stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
}
