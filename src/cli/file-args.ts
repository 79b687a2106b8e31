import path from 'node:path';
import { quoted } from '../main/engine/echo';
import { assertMediaType, isValidMediaType } from '../main/engine/media-type';
import { UsageError, asUsage } from './errors';

/** FileArg is one `path[:mediaType]` operand of `oras push` / `oras attach`. */
export interface FileArg {
  /** The path as given (relative to the working folder, or absolute). */
  path: string;
  /** The media type given after the colon, if any. */
  mediaType?: string;
}

/**
 * looksLikeMediaType: text after a colon is taken as a media type only when it has the
 * shape `type/subtype` with no path separators before the slash, so `C:\x`, `a:b` and
 * `notes:v2` stay file names.
 */
function looksLikeMediaType(text: string): boolean {
  return /^[A-Za-z0-9][^/\\:]*\/[^\\:]*$/.test(text);
}

/**
 * parseFileArg splits `path[:mediaType]` at the LAST colon, and only when what follows
 * looks like a media type; otherwise the whole text is the path (Windows drive letters
 * and names holding colons keep working). `exists`, when given, settles the rare
 * ambiguity of a file literally named `dir:sub/file`: if the whole text exists and the
 * part before the colon does not, the whole text is the path. A trailing colon with
 * nothing after it means "default media type", as in ORAS.
 */
export function parseFileArg(arg: string, exists?: (p: string) => boolean): FileArg {
  if (arg === '') throw new UsageError('a file argument is empty');
  const colon = arg.lastIndexOf(':');
  // A colon at index 1 after a letter is a Windows drive ("C:") with nothing to split.
  if (colon <= 0 || (colon === 1 && /^[A-Za-z]$/.test(arg[0]!))) return { path: arg };
  const head = arg.slice(0, colon);
  const tail = arg.slice(colon + 1);
  if (tail === '') return { path: head };
  if (!looksLikeMediaType(tail)) {
    // `rocket.txt:text` where rocket.txt exists is a media type gone wrong, not a file
    // named "rocket.txt:text": say what is wrong with the media type.
    if (exists && !exists(arg) && exists(head)) asUsage(() => assertMediaType(tail, `media type of ${head}`));
    return { path: arg };
  }
  if (exists && exists(arg) && !exists(head)) return { path: arg };
  if (!isValidMediaType(tail)) asUsage(() => assertMediaType(tail, `media type of ${head}`));
  return { path: head, mediaType: tail };
}

/**
 * titleFor is the name a file is pushed under (its `org.opencontainers.image.title`):
 * the path as given, cleaned, with forward slashes. Absolute paths and paths leaving
 * the working folder are refused unless `disablePathValidation`, as ORAS does: a pull
 * would otherwise write outside its output folder.
 */
export function titleFor(filePath: string, disablePathValidation = false): string {
  const slashed = path.sep === '\\' ? filePath.replaceAll('\\', '/') : filePath;
  const cleaned = path.posix.normalize(slashed).replace(/\/+$/, '') || '.';
  const absolute = path.isAbsolute(filePath) || path.posix.isAbsolute(cleaned) || path.win32.isAbsolute(filePath);
  if (!disablePathValidation) {
    if (absolute) {
      throw new UsageError(`absolute file path detected: ${filePath}; push files by relative path, or use --disable-path-validation to keep the absolute path as the file's name`);
    }
    if (cleaned === '..' || cleaned.startsWith('../')) {
      throw new UsageError(`file path ${filePath} leaves the working folder (".."); cd to a folder that holds it, or use --disable-path-validation`);
    }
  }
  if (cleaned === '.') throw new UsageError(`file path ${quoted(filePath)} names the working folder itself; name the files or a sub-folder`);
  return cleaned;
}

/** assertUniqueTitles refuses two files pushed under the same name. */
export function assertUniqueTitles(titles: string[]): void {
  const seen = new Set<string>();
  for (const title of titles) {
    if (seen.has(title)) throw new UsageError(`file ${title} is given twice; each file can be pushed once`);
    seen.add(title);
  }
}
