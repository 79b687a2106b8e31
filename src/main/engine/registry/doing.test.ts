import { describe, expect, it } from 'vitest';
import { OrasError } from '../errors';
import type { HttpRequest } from '../transport/http';
import { connectionError, doing } from './doing';

const D = `sha256:${'4f'.repeat(32)}`;
const req = (method: HttpRequest['method'], path: string): HttpRequest => ({ method, url: new URL(path, 'http://127.0.0.1:5000') });

describe('doing', () => {
  it('names blob transfers by short digest and repository', () => {
    expect(doing(req('GET', `/v2/a/b/blobs/${D}`), '127.0.0.1:5000', 'a/b', 'x')).toBe('downloading blob sha256:4f4f4f4f4f4f… from 127.0.0.1:5000/a/b');
    expect(doing(req('HEAD', `/v2/a/blobs/${D}`), '127.0.0.1:5000', 'a', 'x')).toBe('checking blob sha256:4f4f4f4f4f4f… in 127.0.0.1:5000/a');
    expect(doing(req('PUT', `/v2/a/blobs/uploads/u1?digest=${D}`), '127.0.0.1:5000', 'a', 'x')).toBe('uploading blob sha256:4f4f4f4f4f4f… to 127.0.0.1:5000/a');
  });

  it('finds the digest of a chunk upload in the label', () => {
    expect(doing(req('PATCH', '/v2/a/blobs/uploads/u1'), '127.0.0.1:5000', 'a', `blob upload 127.0.0.1:5000/a@${D}`)).toBe('uploading blob sha256:4f4f4f4f4f4f… to 127.0.0.1:5000/a');
    expect(doing(req('PATCH', '/v2/a/blobs/uploads/u1'), '127.0.0.1:5000', 'a', 'blob upload')).toBe('uploading a blob to 127.0.0.1:5000/a');
  });

  it('names manifests by tag and deletes', () => {
    expect(doing(req('PUT', '/v2/a/manifests/v1'), '127.0.0.1:5000', 'a', 'x')).toBe('uploading manifest v1 to 127.0.0.1:5000/a');
    expect(doing(req('DELETE', `/v2/a/manifests/${D}`), '127.0.0.1:5000', 'a', 'x')).toBe('deleting manifest sha256:4f4f4f4f4f4f… from 127.0.0.1:5000/a');
  });

  it('falls back to the label for other paths', () => {
    expect(doing(req('GET', '/v2/a/tags/list'), '127.0.0.1:5000', 'a', 'tags of 127.0.0.1:5000/a')).toBe('tags of 127.0.0.1:5000/a');
  });
});

describe('connectionError', () => {
  it('says what was done and what happened, in words, keeping the cause', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const wire = new OrasError('NETWORK', `PUT http://127.0.0.1:5000/v2/repo/blobs/uploads/u: read ECONNRESET`, { cause: reset });
    const err = connectionError(wire, req('PUT', `/v2/repo/blobs/uploads/u?digest=${D}`), '127.0.0.1:5000', 'repo', 'x');
    expect(err.message).toBe('uploading blob sha256:4f4f4f4f4f4f… to 127.0.0.1:5000/repo: the connection was reset');
    expect(err.code).toBe('NETWORK');
    expect(err.cause).toBe(wire);
  });

  it('keeps the words of an error the transport made itself', () => {
    const wire = new OrasError('NETWORK', 'no answer within 2 s (2 tries)');
    expect(connectionError(wire, req('GET', '/v2/repo/manifests/v1'), 'h:1', 'repo', 'x').message).toBe('downloading manifest v1 from h:1/repo: no answer within 2 s (2 tries)');
  });
});
