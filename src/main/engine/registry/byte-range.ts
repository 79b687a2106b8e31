/**
 * The two range headers a resumed transfer reads. Both come from the registry, so both
 * are parsed strictly: anything but the exact form gives `undefined`, and the caller
 * says what it expected instead of guessing.
 */

/** ContentRange is a `206 Partial Content`'s `Content-Range: bytes <first>-<last>/<total>` (RFC 9110 §14.4). */
export interface ContentRange {
  first: number;
  last: number;
  /** the whole representation's size; undefined when the server wrote `*` */
  total?: number;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/** parseContentRange reads `bytes 100-199/1000` (total `*` allowed); undefined for anything else. */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  const match = value === undefined ? null : CONTENT_RANGE.exec(value.trim());
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = Number(match[2]);
  const total = match[3] === '*' ? undefined : Number(match[3]);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last < first) return undefined;
  if (total !== undefined && (!Number.isSafeInteger(total) || last >= total)) return undefined;
  return { first, last, total };
}

const UPLOAD_RANGE = /^(?:bytes=)?0-(\d+)$/;

/**
 * parseUploadRange reads how many bytes an upload session holds from its `Range`
 * header, `0-<last byte>` (distribution spec, "Chunked upload"; some registries
 * prefix `bytes=`). Distribution writes `0-0` for an empty session as well as for a
 * one-byte one: it is read as empty (no chunk is one byte long, and a wrong guess is
 * refused by the registry with 416, not stored). Undefined for anything else.
 */
export function parseUploadRange(value: string | undefined): number | undefined {
  const match = value === undefined ? null : UPLOAD_RANGE.exec(value.trim());
  if (!match) return undefined;
  const last = Number(match[1]);
  if (!Number.isSafeInteger(last)) return undefined;
  return last === 0 ? 0 : last + 1;
}
