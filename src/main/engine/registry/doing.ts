import { cut, shortDigest } from '../echo';
import { OrasError } from '../errors';
import { nodeReason } from '../node-errors';
import type { HttpRequest } from '../transport/http';

const DIGEST = /\b[a-z0-9]+:[a-f0-9]{32,}\b/;

/**
 * doing says in words what a request to a repository was doing, for an error that
 * happened on the way: "uploading blob sha256:4f1a2b3c4d5e… to localhost:5000/a",
 * "downloading manifest v1 from localhost:5000/a". It reads the request's path (the
 * distribution API's `/v2/<name>/blobs/…`, `/manifests/…`); `what`, the caller's label,
 * names the blob of an upload whose URL does not (a `PATCH` to the upload session), and
 * is the answer for any other path.
 */
export function doing(request: HttpRequest, registry: string, repository: string, what: string): string {
  const prefix = `/v2/${repository}/`;
  const path = request.url.pathname.startsWith(prefix) ? request.url.pathname.slice(prefix.length) : undefined;
  const where = cut(`${registry}/${repository}`);
  if (path === undefined) return what;
  const [kind, ...rest] = path.split('/');
  if (kind === 'blobs' && rest[0] === 'uploads') {
    const digest = request.url.searchParams.get('digest') ?? DIGEST.exec(what)?.[0];
    return `uploading ${digest ? `blob ${shortDigest(digest)}` : 'a blob'} to ${where}`;
  }
  if (kind !== 'blobs' && kind !== 'manifests') return what;
  const noun = kind === 'blobs' ? 'blob' : 'manifest';
  const ref = decodeURIComponent(rest.join('/'));
  const object = `${noun} ${DIGEST.test(ref) ? shortDigest(ref) : cut(ref)}`;
  switch (request.method) {
    case 'GET':
      return `downloading ${object} from ${where}`;
    case 'HEAD':
      return `checking ${object} in ${where}`;
    case 'DELETE':
      return `deleting ${object} from ${where}`;
    default:
      return `uploading ${object} to ${where}`;
  }
}

/**
 * connectionError rewrites a NETWORK error of the transport (which names only a method
 * and URL) to say what was being done, to what and where, and what happened:
 * "uploading blob sha256:4f1a… to localhost:5000/a: the connection was reset". The
 * original stays as the cause, for `--debug`.
 */
export function connectionError(err: OrasError, request: HttpRequest, registry: string, repository: string, what: string): OrasError {
  // The transport's own NETWORK errors carry Node's error as their cause; one it made
  // itself (the retry deadline) carries none and says what happened in its message.
  const reason = err.cause instanceof Error && !(err.cause instanceof OrasError) ? nodeReason(err.cause) : err.message;
  return new OrasError('NETWORK', `${doing(request, registry, repository, what)}: ${reason}`, { cause: err });
}
