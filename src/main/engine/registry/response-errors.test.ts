import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../transport/http';
import { isDenial, responseError } from './response-errors';

const url = new URL('http://127.0.0.1:5000/v2/stuff/rocket/manifests/v1');

function response(status: number, headers: Record<string, string> = {}, body = ''): HttpResponse {
  return { status, headers, body: Readable.from([Buffer.from(body)]), url };
}

const insufficient = { 'www-authenticate': 'Bearer realm="http://127.0.0.1:1/token",service="r",scope="repository:stuff/rocket:pull,push",error="insufficient_scope"' };
const put: HttpRequest = { method: 'PUT', url };

describe('responseError', () => {
  it('says who may not push where on a 401 insufficient_scope, not "check the password"', async () => {
    const err = await responseError(put, response(401, insufficient, '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}'), 'manifest x', {
      user: 'reader',
      loggedIn: true,
      repository: '127.0.0.1:5000/stuff/rocket',
      loginHint: 'check the user name and password',
    });
    expect(err.code).toBe('DENIED');
    expect(err.message).toMatch(/^denied: reader may not push to 127\.0\.0\.1:5000\/stuff\/rocket; /);
    expect(err.message).not.toMatch(/password|authentication required/);
  });

  it('says pull from and delete from by method, and an anonymous user is told to log in', async () => {
    const get = await responseError({ method: 'GET', url }, response(401, insufficient), 'm', { loggedIn: false, repository: 'h/r' });
    expect(get.message).toMatch(/^denied: an anonymous user may not pull from h\/r; run `oras login 127\.0\.0\.1:5000` first/);
    const del = await responseError({ method: 'DELETE', url }, response(403, {}, '{"errors":[{"code":"DENIED","message":"no deleting"}]}'), 'm', { user: 'bob', loggedIn: true, repository: 'h/r' });
    expect(del.message).toMatch(/^denied: bob may not delete from h\/r \(DENIED: no deleting\); /);
  });

  it('says a refused catalog is the listing that is denied', async () => {
    const catalog = new URL('http://127.0.0.1:5000/v2/_catalog?n=100');
    const err = await responseError({ method: 'GET', url: catalog }, response(401, { 'www-authenticate': 'Bearer realm="x",scope="registry:catalog:*",error="insufficient_scope"' }), 'catalog', { user: 'alice', loggedIn: true });
    expect(err.message).toMatch(/^denied: alice may not list the repositories of 127\.0\.0\.1:5000; /);
  });

  it('keeps the login hint for a plain 401 (the login itself failed)', async () => {
    const err = await responseError(put, response(401, { 'www-authenticate': 'Basic realm="r"' }), 'manifest x', { loggedIn: true, loginHint: 'check the user name and password' });
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toBe('manifest x: authentication required: check the user name and password');
  });

  it('cuts a long registry message', async () => {
    const err = await responseError(put, response(500, {}, JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'x'.repeat(400) }] })), 'manifest x');
    expect(err.message.length).toBeLessThan(140);
    expect(err.message).toContain('…');
  });
});

describe('isDenial', () => {
  it('is a 403 or a 401 with error="insufficient_scope"', () => {
    expect(isDenial(response(403))).toBe(true);
    expect(isDenial(response(401, insufficient))).toBe(true);
    expect(isDenial(response(401, { 'www-authenticate': 'Bearer realm="x"' }))).toBe(false);
    expect(isDenial(response(404))).toBe(false);
  });
});
