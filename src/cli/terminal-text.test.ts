import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { Descriptor } from '../main/engine/descriptor';
import { createProgress, DOWNLOAD } from './progress';
import { jsonText, showLines, terminalView, tt } from './terminal-text';

const HOSTILE = '\u001b]0;pwned\u0007\u001b[2Jx.txt';
const SHOWN = '\\u001b]0;pwned\\u0007\\u001b[2Jx.txt';

/** UNSAFE: what must never reach a terminal raw (line breaks are checked by each test). */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

class Screen extends Writable {
  text = '';
  isTTY = true;
  columns = 120;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

describe('tt', () => {
  it('keeps our text and escapes every value as one line', () => {
    expect(tt`Pulled ${HOSTILE}\nDigest: ${'sha256:ab\ncd'}\n`).toBe(`Pulled ${SHOWN}\nDigest: sha256:ab\\ncd\n`);
  });

  it('shows values that are not strings as String() does', () => {
    expect(tt`${3} ${undefined} ${null}`).toBe('3 undefined null');
    expect(tt`${['a\u001b', 'b']}`).toBe('a\\u001b,b');
  });
});

describe('showLines', () => {
  it('keeps line breaks but escapes the rest (commander quoting the command line)', () => {
    expect(showLines(`error: unknown option '--x${HOSTILE}'\n(run 'oras <command> --help')\n`)).toBe(
      `error: unknown option '--x${SHOWN}'\n(run 'oras <command> --help')\n`,
    );
  });
});

describe('jsonText', () => {
  it('is the same JSON, with DEL, C1 and bidi written as \\u escapes', () => {
    const value = { title: `${HOSTILE}\u0000\u009b\u007f\u202e`, tags: ['v1'] };
    const text = jsonText(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).not.toMatch(UNSAFE);
    expect(text).toContain('\\u009b\\u007f\\u202e');
  });
});

describe('terminalView', () => {
  it('escapes content for a terminal, keeping lines and tabs, across chunk boundaries', async () => {
    const bytes = Buffer.from(`{\n\t"a": "é${HOSTILE}\u009b"\n}\n`);
    // Split inside the two-byte "é" and inside the two-byte U+009B.
    const at = [bytes.indexOf(0xc3) + 1, bytes.indexOf(0x9b) - 0, bytes.length];
    const chunks = at.map((end, i) => bytes.subarray(i === 0 ? 0 : at[i - 1], end));
    const out = new Screen();
    await pipeline(Readable.from(chunks), terminalView(), out);
    expect(out.text).toBe(`{\n\t"a": "é${SHOWN}\\u009b"\n}\n`);
  });
});

describe('progress with hostile names', () => {
  const layer: Descriptor = {
    mediaType: 'application/vnd.oci.image.layer.v1.tar',
    digest: `sha256:${'a'.repeat(64)}`,
    size: 10,
    annotations: { 'org.opencontainers.image.title': `${HOSTILE}\u0000\u009b\u007f\u202e` },
  };

  it('prints lines with the title escaped', () => {
    const out = new Screen();
    const progress = createProgress('lines', out, DOWNLOAD);
    progress.onProgress({ descriptor: layer, bytes: 0, state: 'started' });
    progress.onProgress({ descriptor: layer, bytes: 10, state: 'done' });
    progress.finish();
    expect(out.text).toBe(`Downloading aaaaaaaaaaaa ${SHOWN}\\u0000\\u009b\\u007f\\u202e\nDownloaded  aaaaaaaaaaaa ${SHOWN}\\u0000\\u009b\\u007f\\u202e\n`);
  });

  it('draws bars whose only escape sequences are its own cursor moves', () => {
    const out = new Screen();
    const progress = createProgress('bars', out, DOWNLOAD);
    progress.onProgress({ descriptor: layer, bytes: 0, state: 'started' });
    progress.onProgress({ descriptor: layer, bytes: 10, state: 'done' });
    progress.finish();
    expect(out.text).toContain(SHOWN);
    // Remove our own cursor codes (up N lines, carriage return, clear below): nothing unsafe is left.
    const rest = out.text.replace(/\u001b\[\d+A\r\u001b\[0J/g, '');
    expect(rest).not.toMatch(UNSAFE);
    expect(rest).not.toContain('\r');
  });
});
