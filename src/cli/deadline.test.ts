import { describe, expect, it } from 'vitest';
import { DEADLINE_ENV, deadlineOption } from './deadline';
import { UsageError } from './errors';

describe('deadlineOption', () => {
  it('reads seconds, leaving the engine default when unset', () => {
    expect(deadlineOption({})).toEqual({});
    expect(deadlineOption({ [DEADLINE_ENV]: '2' })).toEqual({ deadlineMs: 2000 });
    expect(deadlineOption({ [DEADLINE_ENV]: ' 0.5 ' })).toEqual({ deadlineMs: 500 });
  });

  it('refuses what is not a positive number of seconds, as a usage error', () => {
    for (const bad of ['0', '-1', '1m', 'soon', '1e3']) {
      expect(() => deadlineOption({ [DEADLINE_ENV]: bad }), bad).toThrow(UsageError);
    }
    expect(() => deadlineOption({ [DEADLINE_ENV]: 'soon' })).toThrow(/ORAS_REGISTRY_DEADLINE must be a number of seconds/);
  });
});
