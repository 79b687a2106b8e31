import { cut } from './echo';
import { OrasError } from './errors';

/**
 * Plain words for the errors Node and undici throw (file system, sockets, DNS, TLS),
 * so no message the engine makes repeats Node's own text ("ENOENT: no such file or
 * directory, open 'x'", "read ECONNRESET", "other side closed"). The caller says what
 * it was doing and on what; this says what happened.
 */

const REASONS: Record<string, string> = {
  // File system.
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is too long for this file system',
  EMFILE: 'too many open files',
  ELOOP: 'too many symbolic links',
  EBUSY: 'it is in use',
  // Network.
  ECONNREFUSED: 'connection refused: is the registry running on that host and port?',
  ECONNRESET: 'the connection was reset',
  ECONNABORTED: 'the connection was aborted',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'the connection timed out',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name not found (the name server did not answer)',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  EADDRNOTAVAIL: 'the address is not available',
  UND_ERR_SOCKET: 'the connection was reset',
  UND_ERR_CLOSED: 'the connection was closed',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out (the registry did not accept it within 10 s)',
  UND_ERR_HEADERS_TIMEOUT: 'the registry stopped answering (timed out after 30 s)',
  UND_ERR_BODY_TIMEOUT: 'the registry stopped sending (timed out after 5 minutes of silence)',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'the request body was not the size announced',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'the answer was shorter than announced',
  // TLS (the codes OpenSSL's verification gives, as Node reports them).
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed CA that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by a CA that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is signed by a CA that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate is signed by a CA that is not trusted',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  CERT_REVOKED: 'its certificate was revoked',
  CERT_SIGNATURE_FAILURE: 'its certificate signature is wrong',
  CERT_UNTRUSTED: 'its certificate is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak TLS on that port (plain HTTP?)',
  EPROTO: 'the TLS handshake failed',
};

/** errorCode is the `code` of a Node or undici error, or of its cause. */
export function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null | undefined;
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
}

/**
 * nodeReason says in plain words what a Node or undici error means ("no such file",
 * "the connection was reset"). An error with a code it does not know gives its message
 * cut to 80 characters with the code, never a stack.
 */
export function nodeReason(err: unknown): string {
  // The engine's own errors already say what happened.
  if (err instanceof OrasError) return err.message;
  const code = errorCode(err);
  if (code !== undefined) {
    const reason = REASONS[code] ?? (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') ? 'the TLS handshake failed' : undefined);
    if (reason) return reason;
  }
  const message = err instanceof Error ? err.message : String(err);
  // undici's socket errors without a code, as their messages say them.
  if (/^(other side closed|terminated|socket hang up)$/i.test(message)) return 'the connection was reset';
  return code && !message.includes(code) ? `${cut(message)} (${code})` : cut(message);
}
