/**
 * dbus-wire: the little of the D-Bus wire format that the keychain probe needs
 * (https://dbus.freedesktop.org/doc/dbus-specification.html#message-protocol):
 * marshalling of basic types, strings, variants, arrays and structs, in little-endian
 * order when writing and in either order when reading.
 */

export const MessageType = { MethodCall: 1, MethodReturn: 2, Error: 3, Signal: 4 } as const;

/** Header field codes. */
export const Field = { Path: 1, Interface: 2, Member: 3, ErrorName: 4, ReplySerial: 5, Destination: 6, Sender: 7, Signature: 8 } as const;

/** A D-Bus value as we read it: numbers, booleans, strings, arrays, structs (arrays too). */
export type DbusValue = number | bigint | boolean | string | DbusValue[] | { signature: string; value: DbusValue };

/** DbusMessage is one decoded message. */
export interface DbusMessage {
  type: number;
  flags: number;
  serial: number;
  fields: Map<number, DbusValue>;
  body: DbusValue[];
}

/** completeTypes splits a signature into its single complete types: `sa{sv}(ii)` → `s`, `a{sv}`, `(ii)`. */
export function completeTypes(signature: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < signature.length) {
    const end = completeTypeEnd(signature, i);
    out.push(signature.slice(i, end));
    i = end;
  }
  return out;
}

function completeTypeEnd(sig: string, start: number): number {
  const c = sig[start];
  if (c === undefined) throw new Error(`D-Bus signature ${JSON.stringify(sig)} ends early`);
  if (c === 'a') return completeTypeEnd(sig, start + 1);
  if (c === '(' || c === '{') {
    const close = c === '(' ? ')' : '}';
    let i = start + 1;
    while (sig[i] !== close) {
      if (i >= sig.length) throw new Error(`D-Bus signature ${JSON.stringify(sig)} is not closed`);
      i = completeTypeEnd(sig, i);
    }
    return i + 1;
  }
  if ('ybnqiuxtdsogvh'.includes(c)) return start + 1;
  throw new Error(`D-Bus type ${JSON.stringify(c)} is not supported`);
}

function alignmentOf(type: string): number {
  switch (type[0]) {
    case 'y':
    case 'g':
    case 'v':
      return 1;
    case 'n':
    case 'q':
      return 2;
    case 'x':
    case 't':
    case 'd':
    case '(':
    case '{':
      return 8;
    default:
      return 4;
  }
}

/** Writer marshals values, little-endian, from offset 0 (a message or a body start on 8). */
export class Writer {
  private buf = Buffer.alloc(256);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  align(n: number): void {
    const pad = (n - (this.length % n)) % n;
    this.ensure(pad);
    this.buf.fill(0, this.length, this.length + pad);
    this.length += pad;
  }

  byte(v: number): void {
    this.ensure(1);
    this.buf.writeUInt8(v, this.length);
    this.length += 1;
  }

  uint32(v: number): void {
    this.align(4);
    this.ensure(4);
    this.buf.writeUInt32LE(v, this.length);
    this.length += 4;
  }

  private bytesWithNul(bytes: Buffer): void {
    this.ensure(bytes.length + 1);
    bytes.copy(this.buf, this.length);
    this.buf.writeUInt8(0, this.length + bytes.length);
    this.length += bytes.length + 1;
  }

  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.uint32(bytes.length);
    this.bytesWithNul(bytes);
  }

  signature(s: string): void {
    const bytes = Buffer.from(s, 'ascii');
    if (bytes.length > 255) throw new Error('D-Bus signature longer than 255 bytes');
    this.byte(bytes.length);
    this.bytesWithNul(bytes);
  }

  /** value writes one value of a single complete type. */
  value(type: string, v: DbusValue): void {
    switch (type[0]) {
      case 'y':
        return this.byte(v as number);
      case 'b':
        return this.uint32(v ? 1 : 0);
      case 'u':
        return this.uint32(v as number);
      case 'i':
        this.align(4);
        this.ensure(4);
        this.buf.writeInt32LE(v as number, this.length);
        this.length += 4;
        return;
      case 's':
      case 'o':
        return this.string(v as string);
      case 'g':
        return this.signature(v as string);
      case 'v': {
        const variant = v as { signature: string; value: DbusValue };
        this.signature(variant.signature);
        return this.value(variant.signature, variant.value);
      }
      case 'a': {
        const element = type.slice(1);
        this.uint32(0);
        const lengthAt = this.length - 4;
        this.align(alignmentOf(element));
        const start = this.length;
        for (const item of v as DbusValue[]) this.value(element, item);
        this.buf.writeUInt32LE(this.length - start, lengthAt);
        return;
      }
      case '(':
      case '{': {
        this.align(8);
        const members = completeTypes(type.slice(1, -1));
        const values = v as DbusValue[];
        members.forEach((member, i) => this.value(member, values[i]!));
        return;
      }
      default:
        throw new Error(`writing D-Bus type ${type} is not supported`);
    }
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

/** Reader unmarshals values from a whole message buffer (offsets count from its start). */
export class Reader {
  constructor(
    private readonly buf: Buffer,
    private readonly little: boolean,
    public offset = 0,
  ) {}

  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw new Error('D-Bus message is truncated');
  }

  align(n: number): void {
    this.offset += (n - (this.offset % n)) % n;
  }

  byte(): number {
    this.need(1);
    return this.buf.readUInt8(this.offset++);
  }

  uint32(): number {
    this.align(4);
    this.need(4);
    const v = this.little ? this.buf.readUInt32LE(this.offset) : this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  private text(length: number, encoding: BufferEncoding): string {
    this.need(length + 1);
    const s = this.buf.toString(encoding, this.offset, this.offset + length);
    this.offset += length + 1;
    return s;
  }

  value(type: string): DbusValue {
    switch (type[0]) {
      case 'y':
        return this.byte();
      case 'b':
        return this.uint32() !== 0;
      case 'n':
      case 'q': {
        this.align(2);
        this.need(2);
        const v = type[0] === 'n'
          ? (this.little ? this.buf.readInt16LE(this.offset) : this.buf.readInt16BE(this.offset))
          : (this.little ? this.buf.readUInt16LE(this.offset) : this.buf.readUInt16BE(this.offset));
        this.offset += 2;
        return v;
      }
      case 'u':
      case 'h':
        return this.uint32();
      case 'i': {
        this.align(4);
        this.need(4);
        const v = this.little ? this.buf.readInt32LE(this.offset) : this.buf.readInt32BE(this.offset);
        this.offset += 4;
        return v;
      }
      case 'x':
      case 't': {
        this.align(8);
        this.need(8);
        const v = type[0] === 'x'
          ? (this.little ? this.buf.readBigInt64LE(this.offset) : this.buf.readBigInt64BE(this.offset))
          : (this.little ? this.buf.readBigUInt64LE(this.offset) : this.buf.readBigUInt64BE(this.offset));
        this.offset += 8;
        return v;
      }
      case 'd': {
        this.align(8);
        this.need(8);
        const v = this.little ? this.buf.readDoubleLE(this.offset) : this.buf.readDoubleBE(this.offset);
        this.offset += 8;
        return v;
      }
      case 's':
      case 'o':
        return this.text(this.uint32(), 'utf8');
      case 'g':
        return this.text(this.byte(), 'ascii');
      case 'v': {
        const signature = this.text(this.byte(), 'ascii');
        return { signature, value: this.value(signature) };
      }
      case 'a': {
        const element = type.slice(1);
        const length = this.uint32();
        this.align(alignmentOf(element));
        const end = this.offset + length;
        this.need(length);
        const items: DbusValue[] = [];
        while (this.offset < end) items.push(this.value(element));
        return items;
      }
      case '(':
      case '{': {
        this.align(8);
        return completeTypes(type.slice(1, -1)).map((member) => this.value(member));
      }
      default:
        throw new Error(`reading D-Bus type ${type} is not supported`);
    }
  }
}

/** encodeMessage marshals a message: fixed header, header fields, padding, body. */
export function encodeMessage(message: {
  type: number;
  serial: number;
  flags?: number;
  fields: Array<[number, string, DbusValue]>;
  signature?: string;
  body?: DbusValue[];
}): Buffer {
  const body = new Writer();
  const signature = message.signature ?? '';
  completeTypes(signature).forEach((type, i) => body.value(type, message.body![i]!));
  const fields = [...message.fields];
  if (signature !== '') fields.push([Field.Signature, 'g', signature]);
  const head = new Writer();
  head.byte('l'.charCodeAt(0));
  head.byte(message.type);
  head.byte(message.flags ?? 0);
  head.byte(1);
  head.uint32(body.length);
  head.uint32(message.serial);
  head.value('a(yv)', fields.map(([code, type, value]) => [code, { signature: type, value }]));
  head.align(8);
  return Buffer.concat([head.bytes(), body.bytes()]);
}

/**
 * messageLength tells how many bytes the message at the start of `buf` takes, or
 * undefined while fewer than its fixed header are there.
 */
export function messageLength(buf: Buffer): number | undefined {
  if (buf.length < 16) return undefined;
  const little = buf[0] === 'l'.charCodeAt(0);
  if (!little && buf[0] !== 'B'.charCodeAt(0)) throw new Error('D-Bus message has an unknown byte order');
  const bodyLength = little ? buf.readUInt32LE(4) : buf.readUInt32BE(4);
  const fieldsLength = little ? buf.readUInt32LE(12) : buf.readUInt32BE(12);
  const headerEnd = 16 + fieldsLength + ((8 - ((16 + fieldsLength) % 8)) % 8);
  return headerEnd + bodyLength;
}

/** decodeMessage reads one whole message (as long as messageLength says). */
export function decodeMessage(buf: Buffer): DbusMessage {
  const little = buf[0] === 'l'.charCodeAt(0);
  const reader = new Reader(buf, little, 1);
  const type = reader.byte();
  const flags = reader.byte();
  reader.byte(); // protocol version
  const bodyLength = reader.uint32();
  const serial = reader.uint32();
  const fields = new Map<number, DbusValue>();
  for (const entry of reader.value('a(yv)') as DbusValue[][]) {
    const [code, variant] = entry as [number, { signature: string; value: DbusValue }];
    fields.set(code, variant.value);
  }
  reader.align(8);
  const bodyStart = reader.offset;
  const signature = (fields.get(Field.Signature) as string | undefined) ?? '';
  const body = bodyLength === 0 ? [] : completeTypes(signature).map((t) => reader.value(t));
  if (reader.offset > bodyStart + bodyLength) throw new Error('D-Bus message body is longer than it says');
  return { type, flags, serial, fields, body };
}
