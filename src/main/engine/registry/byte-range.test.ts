import { describe, expect, it } from 'vitest';
import { parseContentRange, parseUploadRange } from './byte-range';

describe('parseContentRange', () => {
  it('reads first, last and total', () => {
    expect(parseContentRange('bytes 100-199/1000')).toEqual({ first: 100, last: 199, total: 1000 });
    expect(parseContentRange(' bytes 0-0/1 ')).toEqual({ first: 0, last: 0, total: 1 });
  });

  it('takes an unknown total (*)', () => {
    expect(parseContentRange('bytes 5-9/*')).toEqual({ first: 5, last: 9, total: undefined });
  });

  it.each([
    undefined,
    '',
    'bytes */1000',
    'bytes 10-5/1000',
    'bytes 0-1000/1000',
    'items 0-1/2',
    'bytes=0-1/2',
    'bytes -1-5/10',
    'bytes 0-99999999999999999999/100000000000000000000',
  ])('refuses %j', (value) => {
    expect(parseContentRange(value)).toBeUndefined();
  });
});

describe('parseUploadRange', () => {
  it('reads 0-<last> as last + 1 bytes held', () => {
    expect(parseUploadRange('0-1048575')).toBe(1048576);
    expect(parseUploadRange('bytes=0-99')).toBe(100);
  });

  it('reads distribution\'s 0-0 as an empty session', () => {
    expect(parseUploadRange('0-0')).toBe(0);
  });

  it.each([undefined, '', '1-100', '0-', '0--1', 'bytes 0-5', '0-5/6', '0-99999999999999999999'])('refuses %j', (value) => {
    expect(parseUploadRange(value)).toBeUndefined();
  });
});
