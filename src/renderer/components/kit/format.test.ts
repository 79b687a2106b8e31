import { describe, expect, it } from 'vitest';
import { formatDuration, formatSize, shortDigest, visible } from './format';

describe('format', () => {
  it('says sizes in binary units', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(1023)).toBe('1023 B');
    expect(formatSize(4096)).toBe('4.00 KiB');
    expect(formatSize(50 * 1024 * 1024)).toBe('50.0 MiB');
    expect(formatSize(1024 ** 3 * 1.5)).toBe('1.50 GiB');
    expect(formatSize(undefined)).toBe('—');
  });

  it('cuts digests and says durations', () => {
    expect(shortDigest(`sha256:${'ab'.repeat(32)}`)).toBe('sha256:abababababab');
    expect(formatDuration(5)).toBe('5 s');
    expect(formatDuration(185)).toBe('3 min 5 s');
  });

  it('escapes control and bidi characters', () => {
    expect(visible('a\u001b]0;x\u0007b\u202ec')).toBe('a\\u{1b}]0;x\\u{7}b\\u{202e}c');
    expect(visible('plain.txt')).toBe('plain.txt');
  });
});
