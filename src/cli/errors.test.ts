import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { OrasError } from '../main/engine/errors';
import { ExitCode, UsageError, asUsage, debugDetails, errorMessage, exitCodeFor } from './errors';

describe('exit codes', () => {
  it('maps failures and usage errors to 1 (as ORAS), cancellation to 130', () => {
    expect(exitCodeFor(new OrasError('NOT_FOUND', 'x'))).toBe(ExitCode.Failure);
    expect(exitCodeFor(new OrasError('UNAUTHORIZED', 'x'))).toBe(1);
    expect(exitCodeFor(new OrasError('INVALID_REFERENCE', 'from a registry answer'))).toBe(1);
    expect(exitCodeFor(new Error('bug'))).toBe(1);
    expect(exitCodeFor(new UsageError('x'))).toBe(1);
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownOption', 'x'))).toBe(1);
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', 'x'))).toBe(0);
    expect(exitCodeFor(new OrasError('ABORTED', 'x'))).toBe(ExitCode.Interrupted);
  });

  it('asUsage turns engine validation errors into usage errors, keeping the message', () => {
    const err = (() => {
      try {
        asUsage(() => {
          throw new OrasError('INVALID_MEDIA_TYPE', 'invalid media type "x"');
        });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).code).toBe('INVALID_MEDIA_TYPE');
    expect((err as UsageError).message).toBe('invalid media type "x"');
    expect(() => asUsage(() => { throw new TypeError('bug'); })).toThrow(TypeError);
  });

  it('--debug details show code, registry answer and causes', () => {
    const cause = new Error('socket hang up');
    const err = new OrasError('REGISTRY_ERROR', 'boom', {
      cause,
      response: { method: 'PUT', url: 'http://127.0.0.1:5000/v2/a/manifests/v1', status: 500, errors: [{ code: 'UNKNOWN' }] },
    });
    const lines = debugDetails(err).join('\n');
    expect(lines).toContain('OrasError REGISTRY_ERROR: boom');
    expect(lines).toContain('registry answered 500 to PUT http://127.0.0.1:5000/v2/a/manifests/v1 [UNKNOWN]');
    expect(lines).toContain('caused by: Error: socket hang up');
  });
});

describe('errorMessage', () => {
  it('says a Node error in words, with the path it was about, never Node\'s own text', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'x.txt'"), { code: 'ENOENT', syscall: 'open', path: 'x.txt' });
    expect(errorMessage(enoent)).toBe('cannot open x.txt: no such file');
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(errorMessage(reset)).toBe('the connection was reset');
  });

  it('keeps the engine\'s and the CLI\'s own messages', () => {
    expect(errorMessage(new UsageError('bad flag'))).toBe('bad flag');
    expect(errorMessage(new Error('plain'))).toBe('plain');
  });
});
