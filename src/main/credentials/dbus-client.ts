import { connect, type Socket } from 'node:net';
import { nodeReason } from '../engine/node-errors';
import { Field, MessageType, decodeMessage, encodeMessage, messageLength, type DbusMessage, type DbusValue } from './dbus-wire';

/**
 * DbusConnection is a minimal D-Bus client over a Unix socket: EXTERNAL authentication,
 * `Hello`, method calls with replies, nothing else. It exists so the keychain can ask
 * the Secret Service whether it is there and unlocked before keytar (whose libsecret
 * may wait for an unlock prompt with no end) is called. Every step has a deadline.
 */

/** DbusError is an error reply (`name` such as org.freedesktop.DBus.Error.ServiceUnknown) or a connection failure. */
export class DbusError extends Error {
  override readonly name = 'DbusError';
  constructor(
    /** The D-Bus error name, or 'connect', 'auth', 'timeout', 'closed', 'protocol'. */
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * parseBusAddress picks the first address we can use from a D-Bus address list
 * (`unix:path=…,guid=…;unix:abstract=…`): a socket path, abstract names as `\0name`.
 * Values are %-escaped. Undefined when no entry is a Unix socket.
 */
export function parseBusAddress(address: string): string | undefined {
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':');
    if (colon === -1 || entry.slice(0, colon) !== 'unix') continue;
    const params = new Map<string, string>();
    for (const pair of entry.slice(colon + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq === -1) continue;
      try {
        params.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1)));
      } catch {
        continue;
      }
    }
    const path = params.get('path');
    if (path) return path;
    const abstract = params.get('abstract');
    if (abstract) return `\0${abstract}`;
  }
  return undefined;
}

interface Pending {
  resolve(message: DbusMessage): void;
  reject(err: Error): void;
}

export interface CallOptions {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: DbusValue[];
}

export class DbusConnection {
  private serial = 0;
  private buffered: Buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, Pending>();
  private closedError: DbusError | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(new DbusError('closed', `the D-Bus connection failed: ${nodeReason(err)}`)));
    socket.on('close', () => this.fail(new DbusError('closed', 'the D-Bus connection closed')));
  }

  /**
   * open connects to a socket path (`\0name` for an abstract one), authenticates and
   * says Hello, all within `timeoutMs`.
   */
  static async open(socketPath: string, timeoutMs: number): Promise<DbusConnection> {
    const socket = connect({ path: socketPath });
    const timer = setTimeout(() => socket.destroy(new DbusError('timeout', `the D-Bus session bus did not answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      await authenticate(socket);
      const connection = new DbusConnection(socket);
      await connection.call({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello' });
      return connection;
    } catch (err) {
      socket.destroy();
      if (err instanceof DbusError) throw err;
      const e = err as NodeJS.ErrnoException;
      throw new DbusError('connect', `cannot connect to the D-Bus session bus (${e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? 'nothing listens at its address' : nodeReason(e)})`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** call sends a method call and resolves with the reply's body; an error reply rejects with DbusError. */
  call(options: CallOptions): Promise<DbusValue[]> {
    if (this.closedError) return Promise.reject(this.closedError);
    const serial = ++this.serial;
    const message = encodeMessage({
      type: MessageType.MethodCall,
      serial,
      fields: [
        [Field.Path, 'o', options.path],
        [Field.Interface, 's', options.interface],
        [Field.Member, 's', options.member],
        [Field.Destination, 's', options.destination],
      ],
      signature: options.signature,
      body: options.body,
    });
    return new Promise<DbusMessage>((resolve, reject) => {
      this.pending.set(serial, { resolve, reject });
      this.socket.write(message);
    }).then((reply) => {
      if (reply.type === MessageType.Error) {
        const name = String(reply.fields.get(Field.ErrorName) ?? 'org.freedesktop.DBus.Error.Failed');
        const text = typeof reply.body[0] === 'string' ? reply.body[0] : name;
        throw new DbusError(name, text);
      }
      return reply.body;
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    try {
      for (;;) {
        const length = messageLength(this.buffered);
        if (length === undefined || this.buffered.length < length) return;
        if (length > 64 * 1024 * 1024) throw new Error('D-Bus message larger than 64 MiB');
        const message = decodeMessage(this.buffered.subarray(0, length));
        this.buffered = this.buffered.subarray(length);
        if (message.type !== MessageType.MethodReturn && message.type !== MessageType.Error) continue;
        const replyTo = message.fields.get(Field.ReplySerial);
        const waiter = typeof replyTo === 'number' ? this.pending.get(replyTo) : undefined;
        if (waiter) {
          this.pending.delete(replyTo as number);
          waiter.resolve(message);
        }
      }
    } catch (err) {
      this.fail(new DbusError('protocol', `unreadable D-Bus message: ${(err as Error).message}`));
      this.socket.destroy();
    }
  }

  private fail(err: DbusError): void {
    this.closedError ??= err;
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }
}

/** authenticate runs the SASL exchange: NUL, AUTH EXTERNAL <hex uid>, OK, BEGIN. */
async function authenticate(socket: Socket): Promise<void> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  socket.write(`\0AUTH EXTERNAL ${Buffer.from(String(uid), 'ascii').toString('hex')}\r\n`);
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n');
      if (end === -1) {
        if (text.length > 4096) reject(new DbusError('auth', 'the D-Bus session bus sent an overlong line'));
        return;
      }
      socket.off('data', onData);
      resolve(text.slice(0, end));
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new DbusError('closed', 'the D-Bus session bus closed the connection while authenticating')));
  });
  if (!line.startsWith('OK ')) throw new DbusError('auth', `the D-Bus session bus refused us (${line.slice(0, 100)})`);
  socket.write('BEGIN\r\n');
}

/**
 * withConnection opens a connection, runs `body`, and closes it, failing with a
 * 'timeout' DbusError when the whole exchange takes longer than `timeoutMs`.
 */
export async function withConnection<T>(socketPath: string, timeoutMs: number, body: (c: DbusConnection) => Promise<T>): Promise<T> {
  let connection: DbusConnection | undefined;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DbusError('timeout', `no answer on the D-Bus session bus within ${timeoutMs} ms`)), timeoutMs);
  });
  const work = (async () => {
    connection = await DbusConnection.open(socketPath, timeoutMs);
    // The deadline may have passed while connecting: close what nobody will use.
    if (finished) connection.close();
    return body(connection);
  })();
  work.catch(() => {}); // its failure after the deadline is nobody's concern
  try {
    return await Promise.race([work, deadline]);
  } finally {
    finished = true;
    clearTimeout(timer);
    connection?.close();
  }
}
