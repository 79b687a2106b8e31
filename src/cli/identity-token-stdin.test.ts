import { describe, expect, it } from 'vitest';
import { flagCredential } from './credentials';
import { captureIo } from './testing/test-io';

/** --identity-token-stdin, as ORAS 1.3 takes it (root/login.go). */
describe('--identity-token-stdin', () => {
  it('reads the token from standard input, less the final line break', async () => {
    const io = captureIo({ cwd: '/', stdin: 'refresh-token\n' });
    expect(await flagCredential(io, { identityTokenStdin: true })).toEqual({ username: undefined, identityToken: 'refresh-token' });
  });

  it('refuses an empty token and the other secret flags with it', async () => {
    await expect(flagCredential(captureIo({ cwd: '/', stdin: '\n' }), { identityTokenStdin: true })).rejects.toThrow(/read an empty token/);
    for (const other of [{ passwordStdin: true }, { password: 'p', username: 'u' }, { identityToken: 't' }]) {
      await expect(flagCredential(captureIo({ cwd: '/', stdin: 't' }), { identityTokenStdin: true, ...other })).rejects.toThrow(/--identity-token-stdin cannot be used with/);
    }
  });
});
