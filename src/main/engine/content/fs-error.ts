import { statSync, type Stats } from 'node:fs';
import { cut } from '../echo';
import { abortError, OrasError } from '../errors';
import { nodeReason } from '../node-errors';

/**
 * fsError turns whatever a file-system call or a stream pipeline threw into an
 * OrasError that names the path and, where there is one, the fix. OrasErrors pass
 * through unchanged; an abort (the signal fired, or a stream's AbortError) becomes
 * ABORTED.
 */
export function fsError(err: unknown, action: string, filePath: string, signal?: AbortSignal): OrasError {
  if (err instanceof OrasError) return err;
  if (signal?.aborted) return abortError(signal);
  if (err instanceof Error && err.name === 'AbortError') return abortError(signal);
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  // The path is shown cut and with control characters visible: a file name may hold
  // a newline, which would otherwise pass for the end of the message.
  const what = `cannot ${action} ${cut(filePath, 160)}`;
  switch (code) {
    case 'ENOENT':
      return new OrasError('NOT_FOUND', `${what}: ${action === 'write' ? 'its folder does not exist' : 'it does not exist'}`, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return new OrasError('DENIED', `${what}: permission denied; check the permissions of the folder`, { cause: err });
    case 'EEXIST':
    case 'ENOTEMPTY':
      return new OrasError('ALREADY_EXISTS', `${what}: something with that name already exists`, { cause: err });
    case 'ENOSPC':
    case 'EDQUOT':
      return new OrasError('INTERNAL', `${what}: the disk is full; free some space and try again`, { cause: err });
    case 'EISDIR':
      return new OrasError('INVALID_ARGUMENT', `${what}: it is a folder, not a file`, { cause: err });
    case 'ENOTDIR':
      return new OrasError('INVALID_ARGUMENT', `${what}: a part of the path is a file, not a folder`, { cause: err });
    case 'ENAMETOOLONG':
      return new OrasError('INVALID_ARGUMENT', `${what}: the name is too long for this file system`, { cause: err });
    case 'EROFS':
      return new OrasError('DENIED', `${what}: the file system is read-only`, { cause: err });
    default:
      return new OrasError('INTERNAL', `${what}: ${nodeReason(err)}`, { cause: err });
  }
}

/** isNotFound tells a missing-file error (ENOENT) from others. */
export function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/**
 * statNow stats a path synchronously, its failure told as fsError tells it. A push of
 * 1,000 small files stats each file twice; through the thread pool every stat costs two
 * thread wake-ups, which cost more CPU on a virtual machine than the stat itself
 * (measured: about 5,000 context switches of a push's 10,000).
 */
export function statNow(filePath: string, action: string, signal?: AbortSignal): Stats {
  try {
    return statSync(filePath);
  } catch (err) {
    throw fsError(err, action, filePath, signal);
  }
}
