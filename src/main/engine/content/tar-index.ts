import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Header, HeaderData } from 'tar';
import { OrasError, throwIfAborted } from '../errors';
import { fsError } from './fs-error';
import { isAbsoluteAnywhere } from './safe-path';
import { loadTar } from './tar-module';

/*
 * Reading a tar archive in place: its members' names and where their bytes lie, found
 * by reading the 512-byte headers only and seeking past the data. Nothing is extracted
 * and nothing is written, so a member's name can never put a file anywhere; names are
 * still held to the rules an extracting reader would need (no absolute names, no `..`,
 * no link leading outside the archive), so an archive another tool would unpack
 * dangerously is refused here too, with a message naming the member.
 */

const BLOCK = 512;
/** A PAX or GNU long-name header bigger than this is not a name: refuse it. */
const MAX_META_BYTES = 1024 * 1024;
/** Symbolic links followed at most this many times for one name (a loop ends here). */
const MAX_LINK_HOPS = 16;

/** TarMember is a regular file of an archive: its bytes are `size` bytes from `offset`. */
export interface TarMember {
  /** the member's name, normalised: `blobs/sha256/…`, no `./` */
  name: string;
  offset: number;
  size: number;
}

function unsafe(file: string, message: string): OrasError {
  return new OrasError('UNSAFE_PATH', `${file}: ${message}; refusing to read this archive`);
}

function invalid(file: string, message: string): OrasError {
  return new OrasError('INVALID_ARGUMENT', `${file} is not a valid tar archive: ${message}`);
}

/**
 * memberName normalises a member's name (`./a//b/` → `a/b`) and refuses names that
 * are empty, hold NUL, are absolute (POSIX or Windows), or have a `..` part.
 */
export function memberName(raw: string, file: string): string {
  const shown = JSON.stringify(raw);
  if (raw.includes('\0')) throw unsafe(file, `member ${shown} has a NUL character in its name`);
  if (isAbsoluteAnywhere(raw)) throw unsafe(file, `member ${shown} has an absolute name`);
  const parts = raw.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw unsafe(file, `member ${shown} climbs out of the archive with ".."`);
  return parts.join('/');
}

interface Pending {
  /** extended header (PAX) fields for the next member */
  pax?: HeaderData;
  /** GNU long name or link name for the next member */
  longPath?: string;
  longLink?: string;
}

/**
 * indexTar lists the regular files of the tar archive `file`, reading headers only.
 * A later member of the same name replaces an earlier one, as extraction would. Hard
 * links and symbolic links to members inside the archive are listed as the member they
 * lead to; a link leading outside (absolute, `..`, or to nothing) is refused
 * (UNSAFE_PATH). Folders are noted only for the name check; devices and pipes are refused.
 * A file that is not a tar archive, a gzip-compressed one or a truncated one is
 * INVALID_ARGUMENT, saying so.
 */
export async function indexTar(file: string, options: { signal?: AbortSignal } = {}): Promise<Map<string, TarMember>> {
  const handle = await open(file, 'r').catch((err: unknown) => {
    throw fsError(err, 'open', file);
  });
  try {
    return await scan(handle, file, options.signal);
  } finally {
    await handle.close();
  }
}

async function scan(handle: FileHandle, file: string, signal?: AbortSignal): Promise<Map<string, TarMember>> {
  const { Header, Pax } = await loadTar();
  const { size: fileSize } = await handle.stat();
  const members = new Map<string, TarMember>();
  // A later member of a name replaces an earlier one, whatever the kinds.
  const hardLinks = new Map<string, string>();
  const symlinks = new Map<string, string>();
  const replace = (name: string): void => {
    members.delete(name);
    hardLinks.delete(name);
    symlinks.delete(name);
  };
  const block = Buffer.alloc(BLOCK);
  let pending: Pending = {};
  let position = 0;
  for (let first = true; ; first = false) {
    throwIfAborted(signal);
    const { bytesRead } = await handle.read(block, 0, BLOCK, position);
    // An archive ends with zero blocks; without them it was cut short, maybe between members.
    if (bytesRead === 0 && !first) throw invalid(file, `it ends at byte ${position} without the end-of-archive marker (truncated?)`);
    if (bytesRead < BLOCK) throw first ? notTar(file, block, bytesRead) : invalid(file, `it ends inside a header at byte ${position}`);
    // Decoded bare: PAX and GNU overrides are applied here, to the member they describe
    // only (never to the extension headers in between, which would let two readers
    // disagree on where members start).
    let header: Header;
    try {
      header = new Header(block, 0);
    } catch {
      throw first ? notTar(file, block, bytesRead) : invalid(file, `the header at byte ${position} is damaged`);
    }
    if (header.nullBlock) break;
    if (!header.cksumValid) throw first ? notTar(file, block, bytesRead) : invalid(file, `the header at byte ${position} is damaged (bad checksum)`);
    const type = header.type;
    const isMeta = type === 'ExtendedHeader' || type === 'GlobalExtendedHeader' || type === 'NextFileHasLongPath' || type === 'NextFileHasLongLinkpath' || type === 'OldGnuLongPath';
    const dataSize = (isMeta ? undefined : pending.pax?.size) ?? header.size ?? 0;
    const dataStart = position + BLOCK;
    if (!Number.isSafeInteger(dataSize) || dataSize < 0 || dataStart + dataSize > fileSize) {
      throw invalid(file, `member ${JSON.stringify(header.path ?? '')} claims ${dataSize} bytes, past the end of the file (truncated?)`);
    }
    position = dataStart + Math.ceil(dataSize / BLOCK) * BLOCK;

    if (isMeta) {
      if (type === 'GlobalExtendedHeader') continue; // defaults for every member: none matter here
      const text = await readMeta(handle, file, dataStart, dataSize);
      if (type === 'ExtendedHeader') pending.pax = { ...pending.pax, ...definedOnly(Pax.parse(text, undefined, false)) };
      else if (type === 'NextFileHasLongLinkpath') pending.longLink = text.replace(/\0+$/, '');
      else pending.longPath = text.replace(/\0+$/, '');
      continue;
    }
    const rawName = pending.pax?.path ?? pending.longPath ?? header.path ?? '';
    const rawLink = pending.pax?.linkpath ?? pending.longLink ?? header.linkpath ?? '';
    pending = {};
    const name = memberName(rawName, file);
    switch (type) {
      case 'File':
      case 'OldFile':
      case 'ContiguousFile':
        if (name === '') throw unsafe(file, `member ${JSON.stringify(rawName)} names the archive's root as a file`);
        replace(name);
        members.set(name, { name, offset: dataStart, size: dataSize });
        break;
      case 'Directory':
        break;
      case 'Link':
        replace(name);
        hardLinks.set(name, linkTarget(rawName, rawLink, file, '', 'hard link'));
        break;
      case 'SymbolicLink':
        replace(name);
        symlinks.set(name, linkTarget(rawName, rawLink, file, path.posix.dirname(name), 'symbolic link'));
        break;
      default:
        throw new OrasError('UNSUPPORTED', `${file}: member ${JSON.stringify(rawName)} is a ${type}; an OCI layout archive holds only files and folders`);
    }
  }
  // Hard links name a member by its full name; symbolic links are relative to their folder.
  for (const [name, target] of hardLinks) {
    const found = members.get(target);
    if (found === undefined) throw unsafe(file, `hard link ${JSON.stringify(name)} leads to ${JSON.stringify(target)}, which is not a file in the archive`);
    members.set(name, { ...found, name });
  }
  for (const name of symlinks.keys()) {
    const found = followSymlinks(name, symlinks, members);
    if (found === undefined) throw unsafe(file, `symbolic link ${JSON.stringify(name)} leads outside the archive or to nothing in it`);
    members.set(name, { ...found, name });
  }
  return members;
}

/** definedOnly keeps the fields a PAX header actually set. */
function definedOnly(pax: HeaderData): HeaderData {
  const { path: name, linkpath, size } = pax;
  return { ...(name === undefined ? {} : { path: name }), ...(linkpath === undefined ? {} : { linkpath }), ...(size === undefined ? {} : { size }) };
}

/** linkTarget checks a link's text: relative, no `..` above the archive's root. */
function linkTarget(rawName: string, rawLink: string, file: string, base: string, kind: string): string {
  const what = `${kind} ${JSON.stringify(rawName)} -> ${JSON.stringify(rawLink)}`;
  if (rawLink === '' || rawLink.includes('\0') || isAbsoluteAnywhere(rawLink)) throw unsafe(file, `${what} points at an absolute path`);
  const joined = path.posix.normalize(path.posix.join(base === '.' ? '' : base, rawLink.replace(/\\/g, '/')));
  if (joined === '..' || joined.startsWith('../')) throw unsafe(file, `${what} points outside the archive`);
  return joined.replace(/^\.\/?/, '').replace(/\/$/, '');
}

/** followSymlinks finds the file a symbolic link ends at, within MAX_LINK_HOPS. */
function followSymlinks(name: string, symlinks: Map<string, string>, members: Map<string, TarMember>): TarMember | undefined {
  let current = name;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    const next = symlinks.get(current);
    if (next === undefined) return members.get(current);
    current = next;
  }
  return undefined;
}

async function readMeta(handle: FileHandle, file: string, offset: number, size: number): Promise<string> {
  if (size > MAX_META_BYTES) throw invalid(file, `an extended header of ${size} bytes at byte ${offset - BLOCK} is too large`);
  const buffer = Buffer.alloc(size);
  const { bytesRead } = await handle.read(buffer, 0, size, offset);
  if (bytesRead < size) throw invalid(file, `it ends inside an extended header at byte ${offset}`);
  return buffer.toString('utf8');
}

/** notTar says what the file is instead, where that is easy to tell. */
function notTar(file: string, block: Buffer, bytesRead: number): OrasError {
  if (bytesRead >= 2 && block[0] === 0x1f && block[1] === 0x8b) {
    return new OrasError('INVALID_ARGUMENT', `${file} is gzip-compressed; an OCI layout archive is a plain tar: decompress it first (gunzip)`);
  }
  return new OrasError('INVALID_ARGUMENT', `${file} is neither a folder nor a tar archive: an OCI layout is a folder or a .tar of one`);
}
