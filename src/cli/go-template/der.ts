/**
 * The little of ASN.1 DER that sprig's certificate functions need, both ways: writing
 * a TBSCertificate (X.690's tag, length and contents), and reading a parent
 * certificate's subject and key identifier back out of its bytes.
 */

/** tlv is one DER element: its tag, its length (short or long form), its contents. */
export function tlv(tag: number, contents: Uint8Array): Buffer {
  const n = contents.length;
  let length: number[];
  if (n < 0x80) length = [n];
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    length = [0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from([tag, ...length]), contents]);
}

export const sequence = (...items: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items));
export const explicit = (n: number, ...items: Uint8Array[]): Buffer => tlv(0xa0 + n, Buffer.concat(items));
export const octetString = (bytes: Uint8Array): Buffer => tlv(0x04, bytes);
export const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0]));
export const NULL = Buffer.from([0x05, 0x00]);

/** bitString is a BIT STRING of whole bytes, or with `unused` bits at the end of the last. */
export function bitString(bytes: Uint8Array, unused = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** integer is a non-negative INTEGER in its fewest bytes (a leading 0 where the top bit is set). */
export function integer(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

/** oid is an OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const base128: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** text is a string as Go's asn1 marshals one: PrintableString when it can be, else UTF8String. */
export function text(value: string): Buffer {
  return tlv(/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value) ? 0x13 : 0x0c, Buffer.from(value, 'utf8'));
}

/** time is UTCTime for the years 1950 to 2049, GeneralizedTime otherwise, to the second, as Go writes them. */
export function time(date: Date): Buffer {
  const year = date.getUTCFullYear();
  const two = (n: number): string => String(n).padStart(2, '0');
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${two(year % 100)}${rest}`));
  return tlv(0x18, Buffer.from(`${String(year).padStart(4, '0')}${rest}`));
}

/** Element: one element read from DER: its tag, the whole of it, and its contents. */
export interface Element {
  tag: number;
  whole: Buffer;
  contents: Buffer;
}

/** read reads the element at `offset`; malformed input is an Error. */
export function read(buf: Buffer, offset = 0): Element {
  const tag = buf[offset];
  let length = buf[offset + 1];
  if (tag === undefined || length === undefined) throw new Error('asn1: truncated element');
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error('asn1: bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buf[offset + 2 + i] ?? NaN);
    header += count;
  }
  const end = offset + header + length;
  if (!Number.isFinite(length) || end > buf.length) throw new Error('asn1: truncated element');
  return { tag, whole: buf.subarray(offset, end), contents: buf.subarray(offset + header, end) };
}

/** children reads the elements inside a constructed one. */
export function children(element: Element): Element[] {
  const out: Element[] = [];
  for (let at = 0; at < element.contents.length; ) {
    const child = read(element.contents, at);
    out.push(child);
    at += child.whole.length;
  }
  return out;
}

/** oidText is a read OBJECT IDENTIFIER's dotted form. */
export function oidText(element: Element): string {
  const bytes = element.contents;
  const arcs = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}
