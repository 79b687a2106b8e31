import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loginCredential } from './credentials';
import { captureIo } from './testing/test-io';

/** ttyIo is a CliIo whose stdin and stderr claim to be a terminal, typed into by `keys`. */
function ttyIo(keys: string[]) {
  const io = captureIo({ cwd: '/' });
  const stdin = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[] });
  const setRawMode = (mode: boolean): void => {
    stdin.rawModes.push(mode);
  };
  Object.assign(stdin, { setRawMode });
  (io.stderr as { isTTY?: boolean }).isTTY = true;
  // Type each answer once the prompt has been shown.
  let next = 0;
  const write = io.stderr.write.bind(io.stderr);
  io.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const result = (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    if (typeof chunk === 'string' && chunk.endsWith(': ') && next < keys.length) {
      const answer = keys[next++]!;
      setImmediate(() => stdin.write(answer));
    }
    return result;
  }) as typeof io.stderr.write;
  return { ...io, stdin };
}

describe('login prompts on a terminal', () => {
  it('asks for what the flags leave out, never echoing the password', async () => {
    const io = ttyIo(['alice\r', 's3cr\u007fret!\r']);
    const credential = await loginCredential(io, {});
    expect(credential).toEqual({ username: 'alice', password: 's3cret!' });
    expect(io.err()).toContain('Username: alice');
    expect(io.err()).toContain('Password: ');
    expect(io.err()).not.toContain('s3c');
    // Raw mode is switched on to read and back off after.
    expect(io.stdin.rawModes).toEqual([true, false, true, false]);
  });

  it('asks only for the password when -u is given', async () => {
    const io = ttyIo(['pw\n']);
    expect(await loginCredential(io, { username: 'bob' })).toEqual({ username: 'bob', password: 'pw' });
    expect(io.err()).not.toContain('Username');
  });

  it('cancels on Ctrl-C', async () => {
    const io = ttyIo(['\u0003']);
    await expect(loginCredential(io, { username: 'bob' })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('refuses to prompt without a terminal', async () => {
    await expect(loginCredential(captureIo({ cwd: '/' }), { username: 'bob' })).rejects.toThrow(/no terminal to ask on/);
  });
});
