import { describe, expect, it } from 'vitest';
import { parseBusAddress } from './dbus-client';
import { Field, MessageType, Reader, Writer, completeTypes, decodeMessage, encodeMessage, messageLength } from './dbus-wire';

describe('D-Bus wire format', () => {
  it('splits signatures into complete types', () => {
    expect(completeTypes('sa{sv}(ii)aay')).toEqual(['s', 'a{sv}', '(ii)', 'aay']);
    expect(completeTypes('')).toEqual([]);
    expect(() => completeTypes('a')).toThrow(/ends early/);
    expect(() => completeTypes('(ii')).toThrow(/not closed/);
  });

  it('marshals with the spec’s alignment', () => {
    const w = new Writer();
    w.value('y', 1);
    w.value('u', 0x01020304); // padded to 4
    w.value('s', 'ab');
    w.value('g', 'sv');
    expect([...w.bytes()]).toEqual([1, 0, 0, 0, 4, 3, 2, 1, 2, 0, 0, 0, 0x61, 0x62, 0, 2, 0x73, 0x76, 0]);
    // An array of structs pads to 8 after its length, and the length leaves that padding out.
    const a = new Writer();
    a.value('a(yv)', [[1, { signature: 'o', value: '/x' }]]);
    const bytes = a.bytes();
    expect(bytes.readUInt32LE(0)).toBe(bytes.length - 8);
  });

  it('reads back what it writes, in both byte orders', () => {
    const w = new Writer();
    const values = ['s', 'o', 'b', 'i', 'a{sv}', '(ub)'] as const;
    const data = ['héllo', '/org/x', true, -5, [['k', { signature: 'as', value: ['a', 'b'] }]], [7, false]];
    values.forEach((t, i) => w.value(t, data[i]!));
    const r = new Reader(w.bytes(), true);
    expect(values.map((t) => r.value(t))).toEqual([
      'héllo',
      '/org/x',
      true,
      -5,
      [['k', { signature: 'as', value: ['a', 'b'] }]],
      [7, false],
    ]);
    const big = Buffer.from([0, 0, 0, 3, 0x61, 0x62, 0x63, 0]);
    expect(new Reader(big, false).value('s')).toBe('abc');
    expect(() => new Reader(Buffer.from([9, 0, 0, 0, 1]), true).value('s')).toThrow(/truncated/);
  });

  it('encodes a method call whose length and fields decode again', () => {
    const message = encodeMessage({
      type: MessageType.MethodCall,
      serial: 7,
      fields: [
        [Field.Path, 'o', '/org/freedesktop/secrets'],
        [Field.Member, 's', 'ReadAlias'],
        [Field.Destination, 's', 'org.freedesktop.secrets'],
      ],
      signature: 's',
      body: ['default'],
    });
    // The header is padded to 8; the body is the string: length, 7 bytes, NUL.
    expect((message.length - 12) % 8).toBe(0);
    expect(message.readUInt32LE(4)).toBe(12);
    expect(messageLength(message)).toBe(message.length);
    expect(messageLength(message.subarray(0, 15))).toBeUndefined();
    const decoded = decodeMessage(message);
    expect(decoded).toMatchObject({ type: MessageType.MethodCall, serial: 7, body: ['default'] });
    expect(decoded.fields.get(Field.Member)).toBe('ReadAlias');
    expect(decoded.fields.get(Field.Signature)).toBe('s');
    expect(() => messageLength(Buffer.from('X'.repeat(16)))).toThrow(/byte order/);
  });

  it('parses bus addresses: paths, abstract names, escapes; skips what it cannot use', () => {
    expect(parseBusAddress('unix:path=/tmp/dbus-abc,guid=123')).toBe('/tmp/dbus-abc');
    expect(parseBusAddress('unix:abstract=/tmp/dbus-xyz,guid=1')).toBe('\0/tmp/dbus-xyz');
    expect(parseBusAddress('unix:path=/run/user/1000/my%20bus')).toBe('/run/user/1000/my bus');
    expect(parseBusAddress('tcp:host=localhost,port=1;unix:path=/b')).toBe('/b');
    expect(parseBusAddress('tcp:host=localhost,port=1')).toBeUndefined();
    expect(parseBusAddress('')).toBeUndefined();
  });
});
