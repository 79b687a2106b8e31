import { OrasError } from '../../engine/errors';

/** MAX_NAME_BYTES: most file systems allow 255 bytes in one file name. */
const MAX_NAME_BYTES = 255;

/**
 * safeFileName makes a name a registry gave (a layer's title: untrusted, maybe
 * hostile) fit to offer as a download's file name: path separators, control
 * characters and NUL become `_`, leading dots and spaces go (no hidden file, no `..`),
 * and it is cut to 255 bytes. An empty result falls back to `fallback`.
 */
export function safeFileName(name: string, fallback: string): string {
  let safe = name
    .replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  while (Buffer.byteLength(safe, 'utf8') > MAX_NAME_BYTES) safe = [...safe].slice(0, -1).join('');
  return safe === '' ? fallback : safe;
}

/**
 * checkRequestedName makes the file name the page asked for (`downloads.blob`'s
 * `name`, usually a layer title: the registry's words, passed on by an untrusted page)
 * a plain file name, as safeFileName does: a title such as `docs/readme.md` is still
 * downloadable (`docs_readme.md`), and no name can point the save dialog or the
 * browser at another folder.
 */
export function checkRequestedName(name: string): string {
  return safeFileName(name, 'download');
}

/**
 * checkEntryName checks a path inside a tar the browser downloads (a titled layer):
 * relative, no `..` segment, no NUL or control character, not empty.
 */
export function checkEntryName(name: string): string {
  const parts = name.split(/[/\\]/);
  if (name === '' || /[\u0000-\u001f\u007f]/.test(name) || name.startsWith('/') || /^[a-zA-Z]:/.test(name) || parts.some((p) => p === '..' || p === '')) {
    throw new OrasError('INVALID_ARGUMENT', `the layer title ${JSON.stringify(name.slice(0, 100))} is not a safe relative file name; refusing to write it`);
  }
  return parts.join('/');
}
