import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Descriptor } from '../main/engine/descriptor';
import { createProgress, UPLOAD } from './progress';

class Log extends Writable {
  writes: string[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.writes.push(chunk.toString());
    callback();
  }
}

function layer(i: number): Descriptor {
  return { mediaType: 'application/octet-stream', digest: `sha256:${String(i).repeat(64).slice(0, 64)}`, size: 4, annotations: { 'org.opencontainers.image.title': `f${i}.bin` } };
}

describe('line progress', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes the lines of many transfers together, in order, at most every 100 ms', () => {
    vi.useFakeTimers();
    const out = new Log();
    const progress = createProgress('lines', out, UPLOAD);
    for (let i = 1; i <= 3; i++) progress.onProgress({ descriptor: layer(i), bytes: 0, state: 'started' });
    progress.onProgress({ descriptor: layer(1), bytes: 4, state: 'done' });
    expect(out.writes).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(out.writes).toEqual(['Uploading 111111111111 f1.bin\nUploading 222222222222 f2.bin\nUploading 333333333333 f3.bin\nUploaded  111111111111 f1.bin\n']);
    progress.onProgress({ descriptor: layer(2), bytes: 4, state: 'skipped' });
    vi.advanceTimersByTime(100);
    expect(out.writes.at(-1)).toBe('Exists    222222222222 f2.bin\n');
  });

  it('writes what is left when finished, before anything printed after it', () => {
    vi.useFakeTimers();
    const out = new Log();
    const progress = createProgress('lines', out, UPLOAD);
    progress.onProgress({ descriptor: layer(1), bytes: 0, state: 'started' });
    progress.onProgress({ descriptor: layer(1), bytes: 4, state: 'done' });
    progress.finish();
    out.write('Pushed\n');
    vi.advanceTimersByTime(1000);
    expect(out.writes).toEqual(['Uploading 111111111111 f1.bin\nUploaded  111111111111 f1.bin\n', 'Pushed\n']);
  });
});
