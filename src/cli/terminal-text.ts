import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';
import { showControls } from '../shared/visible-text';

/**
 * Terminal text: how the CLI prints what it did not write itself. A registry chooses
 * titles, annotations, tags, media types, error messages and token realms; the user's
 * own operands may come from a script. Printed raw, an ESC or a C1 CSI in any of them
 * would move the cursor, clear the screen or set the window title, and a bidi override
 * would show a name other than the real one. So every outside value is printed through
 * {@link showControls}, which writes those characters as visible escapes (`\u001b`).
 *
 * Where the escape is applied, and why there:
 * - Not on the stream. A filter over stdout/stderr cannot tell our text from theirs:
 *   it would break the progress bars' own cursor codes and the line breaks between
 *   lines, and `blob fetch -o - > file` must stay byte for byte.
 * - At the point a value is put into a line, by the {@link tt} tag: in
 *   `tt\`Pulled ${name}\``, our literal text is kept and each `${…}` is escaped, so a
 *   value can never end a line or start an escape sequence, and a new message written
 *   with `tt` is safe without thinking about which of its parts came from outside.
 * - `src/cli/terminal-output.test.ts` reads every file of the CLI and fails on any
 *   write to a stream that does not go through `tt`, {@link showLines}, {@link jsonText}
 *   or a plain literal (a few audited places excepted, each with its reason), so a new
 *   command cannot forget it.
 * - The error printer escapes the whole message (`main.ts`), the last guard: an engine
 *   message may quote a registry's words anywhere in it.
 * - Content asked for on stdout (`manifest fetch`, `fetch-config`, `blob fetch -o -`)
 *   is the exact bytes to a pipe, and {@link terminalView} to a terminal.
 * Escaping is idempotent, so a value escaped twice reads the same.
 */

/**
 * tt ("terminal text") is a template tag: the literal parts are ours and kept, every
 * interpolated value is escaped as one line (its newlines too).
 */
export function tt(strings: TemplateStringsArray, ...values: unknown[]): string {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) text += showControls(String(values[i])) + (strings[i + 1] ?? '');
  return text;
}

/**
 * showLines escapes text whose line breaks are ours but whose words may not be
 * (commander's help, and its usage errors quoting the command line): every unsafe
 * character but `\n` is escaped.
 */
export function showLines(text: string): string {
  return showControls(text, '\n');
}

/**
 * jsonText is `value` as `--format json` prints it: indented JSON, one document per
 * line end, with DEL, C1, bidi and the other unsafe characters written `\uXXXX`
 * (JSON.stringify leaves them raw; the JSON means the same).
 */
export function jsonText(value: unknown): string {
  return `${showControls(JSON.stringify(value, null, 2), '\n')}\n`;
}

/**
 * templateText is what a `--format go-template` printed: its line breaks and tabs are
 * the template's (the user's), but the values in it are a registry's, so every other
 * unsafe character is escaped.
 */
export function templateText(text: string): string {
  return showControls(text, '\n\t');
}

/**
 * terminalView is content (a manifest, a config, a blob) on its way to a terminal
 * rather than to a file or pipe: UTF-8 decoded across chunk boundaries, with line
 * breaks and tabs kept and every other unsafe character escaped. A JSON document
 * stays the same JSON (inside its strings the escapes are JSON's own); anything else
 * becomes readable text instead of commands to the terminal.
 */
export function terminalView(): Transform {
  const decoder = new StringDecoder('utf8');
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      callback(null, showControls(decoder.write(chunk), '\n\t'));
    },
    flush(callback: TransformCallback) {
      callback(null, showControls(decoder.end(), '\n\t'));
    },
  });
}
