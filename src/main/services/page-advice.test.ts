import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { responseError } from '../engine/registry/response-errors';
import { networkError } from '../engine/transport/dispatch';
import type { HttpRequest, HttpResponse } from '../engine/transport/http';
import { advice } from '../engine/advice';
import { OrasError } from '../engine/errors';
import { keychainError } from '../credentials/keychain-error';
import { decodeSecret } from '../credentials/keychain-store';
import { toSerializedError } from './serialized-error';

const url = new URL('http://127.0.0.1:5000/v2/stuff/rocket/manifests/v1');
const response = (status: number, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, body: Readable.from([Buffer.from('')]), url });
const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`connect ${code}`), { code });

/** What the page must never be told: a command or a flag it has no way to use. */
const CLI_ONLY = /oras login|-u and -p|--[a-z]|-c FILE/;

describe('what crosses to the page is in the app’s words', () => {
  it('tells an anonymous user refused a push to log in through the sidebar', async () => {
    const error = await responseError({ method: 'PUT', url }, response(401, { 'www-authenticate': 'Basic realm="r"' }), 'manifest x', {
      loggedIn: false,
      loginHint: advice('loginFirst', '127.0.0.1:5000'),
    });
    const { message } = toSerializedError(error);
    expect(message).toBe('manifest x: authentication required: log in first: in the sidebar, choose Edit… in the menu of 127.0.0.1:5000 (or Add it) and give a user name and password');
  });

  it('words the denial, the refused login, TLS, plain HTTP and the client certificate without a flag', async () => {
    const denied = await responseError({ method: 'GET', url }, response(403), 'm', { loggedIn: false, repository: '127.0.0.1:5000/stuff/rocket' });
    const refused = new OrasError('UNAUTHORIZED', `m: authentication required: the registry refused the login for h:1: ${advice('loginAgain', 'h:1')}`);
    const tls = networkError(errno('SELF_SIGNED_CERT_IN_CHAIN'), { method: 'GET', url: new URL('https://h:1/v2/') });
    const plain = await responseError({ method: 'GET', url }, response(400), 'm');
    const dropped = networkError(errno('ECONNRESET'), { method: 'GET', url: new URL('https://h:1/v2/') });
    for (const error of [denied, refused, tls, plain, dropped]) {
      expect(error.message).toMatch(CLI_ONLY);
      expect(toSerializedError(error).message).not.toMatch(CLI_ONLY);
    }
    expect(toSerializedError(refused).message).toContain('check the user name and password: in the sidebar, choose Edit… in the menu of h:1');
    expect(toSerializedError(tls).message).toContain('give its CA certificate file, or tick Insecure');
    expect(toSerializedError(plain).message).toContain('untick Plain HTTP');
    expect(toSerializedError(dropped).message).toContain('ORAS Desktop cannot send one yet');
  });

  it('offers Docker’s config, which the app reads, where the CLI offers a credentials file', () => {
    for (const problem of ['no-keytar', 'no-home', 'no-dbus', 'no-secret-service', 'no-keyring', 'locked'] as const) {
      const error = keychainError(problem);
      expect(error.message).toContain('-c FILE');
      const { message } = toSerializedError(error);
      // (gnome-keyring-daemon --unlock, which some of them name, is the desktop's own command.)
      expect(message).not.toMatch(/-c FILE|oras login/);
      expect(message).toMatch(/docker login/);
    }
  });

  it('has a broken keychain entry removed through the sidebar', () => {
    const broken = (() => {
      try {
        decodeSecret('{"username":"alice"}', 'r.example.com');
      } catch (error) {
        return error;
      }
      throw new Error('decodeSecret took an entry with no secret');
    })();
    expect(toSerializedError(broken).message).toBe(
      "the OS keychain's entry for r.example.com is not a login ORAS Desktop saved; remove it with Remove… in the menu of r.example.com in the sidebar, then Add it again with its login",
    );
  });

  it('keeps every other message as the engine wrote it', () => {
    const error = new OrasError('NOT_FOUND', 'manifest 127.0.0.1:5000/a:v1 not found');
    expect(toSerializedError(error)).toEqual({ code: 'NOT_FOUND', message: 'manifest 127.0.0.1:5000/a:v1 not found' });
  });
});
