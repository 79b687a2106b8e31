import { OrasError } from '../main/engine/errors';
import type { CliIo } from './io';
import { tt } from './terminal-text';

/** canPrompt: questions are asked only when both stdin and stderr are terminals. */
export function canPrompt(io: CliIo): boolean {
  return io.stdin.isTTY === true && io.stderr.isTTY === true;
}

/**
 * readAnswer reads one line from the terminal, echoing it unless `secret`. The
 * terminal is put in raw mode so a secret is never shown; Ctrl-C cancels (ABORTED)
 * and Ctrl-D ends the line.
 */
function readAnswer(io: CliIo, question: string, secret: boolean): Promise<string> {
  const { stdin, stderr } = io;
  stderr.write(tt`${question}`);
  return new Promise((resolve, reject) => {
    let answer = '';
    const wasRaw = (stdin as unknown as { isRaw?: boolean }).isRaw === true;
    stdin.setRawMode?.(true);
    stdin.setEncoding('utf8');
    const done = (err?: Error): void => {
      stdin.off('data', onData);
      io.signal.removeEventListener('abort', onAbort);
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
      stderr.write('\n');
      if (err) reject(err);
      else resolve(answer);
    };
    const onAbort = (): void => done(new OrasError('ABORTED', 'the operation was cancelled'));
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new OrasError('ABORTED', 'the operation was cancelled'));
        if (ch === '\u007f' || ch === '\b') {
          if (answer.length > 0) {
            answer = answer.slice(0, -1);
            if (!secret) stderr.write('\b \b');
          }
          continue;
        }
        if (ch < ' ') continue;
        answer += ch;
        // The user's own keystroke, but a pasted bidi or C1 character is shown, not obeyed.
        if (!secret) stderr.write(tt`${ch}`);
      }
    };
    io.signal.addEventListener('abort', onAbort, { once: true });
    stdin.on('data', onData);
    stdin.resume();
  });
}

export function promptLine(io: CliIo, question: string): Promise<string> {
  return readAnswer(io, question, false);
}

/** promptSecret asks for a password without echoing it. */
export function promptSecret(io: CliIo, question: string): Promise<string> {
  return readAnswer(io, question, true);
}

/**
 * readAllStdin reads standard input to its end (for `--password-stdin`, `-` files),
 * capped at `maxBytes`.
 */
export async function readAllStdin(io: CliIo, maxBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buf.byteLength;
    if (size > maxBytes) throw new OrasError('SIZE_LIMIT', `${what} read from standard input is larger than ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
