import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialHelper, HelperError } from './credential-helper';
import { makeFakeHelper } from './testing/fake-helper';

let fake: Awaited<ReturnType<typeof makeFakeHelper>>;
beforeAll(async () => {
  fake = await makeFakeHelper();
});
afterAll(() => rm(fake.dir, { recursive: true, force: true }));

const helper = (mode = '', timeoutMs?: number) => new CredentialHelper('fake', { env: { ...fake.env, FAKE_HELPER_MODE: mode }, timeoutMs });

describe('CredentialHelper', () => {
  it('stores, gets, lists and erases over the protocol; <token> marks an identity token', async () => {
    const h = helper();
    expect(await h.get('reg.example')).toBeUndefined();
    await h.store('reg.example', { username: 'u', password: 'p:w' });
    await h.store('tok.example', { username: 'ignored', identityToken: 'refresh' });
    expect(await h.get('reg.example')).toEqual({ username: 'u', password: 'p:w' });
    expect(await h.get('tok.example')).toEqual({ identityToken: 'refresh' });
    expect(await h.list()).toEqual({ 'reg.example': 'u', 'tok.example': '<token>' });
    await h.erase('reg.example');
    await h.erase('reg.example'); // not there: no error
    expect(await h.list()).toEqual({ 'tok.example': '<token>' });
    // The server URL is the whole of stdin, with no line break.
    expect(await readFile(`${fake.storeFile}.log`, 'utf8')).toContain('get reg.example\n');
  });

  it('reads an empty secret (pass) as no login', async () => {
    expect(await helper('empty').get('reg.example')).toBeUndefined();
  });

  it('says which helper failed and what it said, never a secret line', async () => {
    const err = await helper('fail').get('reg.example').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HelperError);
    expect((err as HelperError).message).toBe('docker-credential-fake get failed (exit status 1): error: the vault is sealed');
    await expect(helper('garbage').get('x')).rejects.toThrow(/did not answer with JSON/);
    await expect(helper('garbage').list()).rejects.toThrow(/did not answer with JSON/);
  });

  it('kills a helper that does not answer', async () => {
    const started = Date.now();
    await expect(helper('hang', 300).get('x')).rejects.toMatchObject({ reason: 'timeout', message: 'docker-credential-fake get did not answer within 0.3 s' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('names a helper that is not installed, and refuses names that are paths', async () => {
    await expect(new CredentialHelper('not-there-at-all', { env: fake.env }).get('x')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'docker-credential-not-there-at-all is not installed (not found on PATH)',
    });
    for (const bad of ['../x', 'a/b', '', '-rf', 'a b']) expect(() => new CredentialHelper(bad)).toThrow(/not a credential helper name/);
  });

  it('will not store a login without a secret', async () => {
    await expect(helper().store('x', { username: 'u' })).rejects.toThrow(/needs a password or an identity token/);
  });
});
