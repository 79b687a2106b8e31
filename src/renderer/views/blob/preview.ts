/**
 * preview decides how the blob view shows a blob's first bytes (at most 64 KiB, read by
 * `Range`): pretty JSON, text (UTF-8 that decodes cleanly), an image (PNG, JPEG, GIF,
 * WebP, SVG: by their magic bytes, or SVG by media type or opening tag), or else a hex
 * dump. Pure, over bytes; the view makes the blob: URL for an image itself.
 */

export type PreviewKind =
  | { kind: 'json'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'image'; mimeType: string }
  | { kind: 'hex' };

/** base64Bytes decodes the preview's base64 head. */
export function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const startsWith = (bytes: Uint8Array, magic: number[], at = 0): boolean => magic.every((b, i) => bytes[at + i] === b);

/** imageMimeOf names an image by its magic bytes (or SVG by text), if it is one. */
export function imageMimeOf(bytes: Uint8Array, mediaType: string | undefined, text: string | undefined): string | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (text !== undefined && (mediaType === 'image/svg+xml' || /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(text))) return 'image/svg+xml';
  return undefined;
}

/**
 * decodeText reads UTF-8 strictly; when the head is cut (`complete` false) up to three
 * bytes of a character split at the end are left out. Undefined when it is not text:
 * not UTF-8, or control characters other than tab, newline, carriage return, form feed.
 */
export function decodeText(bytes: Uint8Array, complete: boolean): string | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let text: string | undefined;
  for (let cut = 0; cut <= (complete ? 0 : 3) && text === undefined; cut++) {
    try {
      text = decoder.decode(bytes.subarray(0, bytes.length - cut));
    } catch {
      text = undefined;
    }
  }
  if (text === undefined || /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return undefined;
  return text;
}

const looksJson = (mediaType: string | undefined): boolean => mediaType !== undefined && (/\+json$/.test(mediaType) || mediaType === 'application/json');

/** previewKind picks the view for a blob's head. */
export function previewKind(bytes: Uint8Array, mediaType: string | undefined, complete: boolean): PreviewKind {
  if (bytes.length === 0) return { kind: 'text', text: '' };
  const text = decodeText(bytes, complete);
  const image = imageMimeOf(bytes, mediaType, text);
  if (image) return { kind: 'image', mimeType: image };
  if (text === undefined) return { kind: 'hex' };
  if (complete && (looksJson(mediaType) || /^\s*[[{]/.test(text))) {
    try {
      return { kind: 'json', text: JSON.stringify(JSON.parse(text), null, 2) };
    } catch {
      // Not JSON after all: text.
    }
  }
  return { kind: 'text', text };
}

export interface HexRow {
  /** The first byte's offset, 8 hex digits. */
  offset: string;
  /** Up to 16 bytes as hex pairs, a gap after the eighth. */
  hex: string;
  /** The same bytes, printable ASCII as is and anything else as ".". */
  ascii: string;
}

/** hexRows dumps bytes as `hexdump -C` does: offset, 16 bytes of hex, ASCII. */
export function hexRows(bytes: Uint8Array, width = 16): HexRow[] {
  const rows: HexRow[] = [];
  for (let at = 0; at < bytes.length; at += width) {
    const chunk = bytes.subarray(at, at + width);
    const pairs = Array.from(chunk, (b) => b.toString(16).padStart(2, '0'));
    const hex = pairs.length > 8 ? `${pairs.slice(0, 8).join(' ')}  ${pairs.slice(8).join(' ')}` : pairs.join(' ');
    const ascii = Array.from(chunk, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    rows.push({ offset: at.toString(16).padStart(8, '0'), hex, ascii });
  }
  return rows;
}
