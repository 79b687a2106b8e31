import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors';
import { captureIo } from '../testing/test-io';
import { checkArtifactsOperand, orasBytes, orasDuration, printTagsFound } from './backup-restore-kit';

describe('orasBytes: ORAS humanize.ToBytes', () => {
  it('writes binary steps, four figures at most, the unit padded to two', () => {
    expect(orasBytes(0)).toBe('0  B');
    expect(orasBytes(512)).toBe('512  B');
    expect(orasBytes(1024)).toBe('1 KB');
    expect(orasBytes(1536)).toBe('1.5 KB');
    expect(orasBytes(10_342)).toBe('10.1 KB');
    expect(orasBytes(123_456_789)).toBe('118 MB');
    expect(orasBytes(3 * 1024 ** 3)).toBe('3 GB');
  });
});

describe('orasDuration: ORAS humanize.FormatDuration', () => {
  it('rounds to seconds over a second, to milliseconds over one, else to microseconds', () => {
    expect(orasDuration(65_400)).toBe('1m5s');
    expect(orasDuration(3_600_000 + 2_000)).toBe('1h0m2s');
    expect(orasDuration(1_499)).toBe('1s');
    expect(orasDuration(345.6)).toBe('346ms');
    expect(orasDuration(0.0123)).toBe('12µs');
    expect(orasDuration(0)).toBe('0s');
  });
});

describe('checkArtifactsOperand', () => {
  it('refuses a digest, an empty operand and an empty tag, as ORAS does', () => {
    expect(() => checkArtifactsOperand('localhost:5000/a@sha256:' + '0'.repeat(64))).toThrow(/digest references are not supported/);
    expect(() => checkArtifactsOperand('')).toThrow(UsageError);
    for (const empty of ['localhost:5000/a:v1,,v2', 'localhost:5000/a:v1,', 'localhost:5000/a,v1', 'localhost:5000/a:,v1']) {
      expect(() => checkArtifactsOperand(empty), empty).toThrow(/empty tag/);
    }
    expect(() => checkArtifactsOperand('localhost:5000/a:v1,v2')).not.toThrow();
    expect(() => checkArtifactsOperand('localhost:5000/a')).not.toThrow();
  });
});

describe('printTagsFound', () => {
  it('lists up to five tags on the line, more one per line below it', () => {
    const few = captureIo({ cwd: '/' });
    printTagsFound(few.stdout, ['v1', 'v2'], 'the backup');
    expect(few.out()).toBe('Found 2 tag(s) in the backup: v1, v2\n');
    const many = captureIo({ cwd: '/' });
    printTagsFound(many.stdout, ['a', 'b', 'c', 'd', 'e', 'f'], 'localhost:5000/r');
    expect(many.out()).toBe('Found 6 tag(s) in localhost:5000/r:\na\nb\nc\nd\ne\nf\n');
  });
});
