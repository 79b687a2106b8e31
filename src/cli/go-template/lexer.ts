import { TemplateError } from './template-error';

/**
 * The lexer of the Go text/template subset (https://pkg.go.dev/text/template): text
 * outside `{{ }}`, and inside an action the tokens Go's own lexer makes
 * (text/template/parse/lex.go), with the trim markers `{{- ` and ` -}}` applied to the
 * text around them and comments `{{/* … *\/}}` dropped.
 */

export type TokenKind =
  | 'text'
  | 'left'
  | 'right'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'dot'
  | 'variable'
  | 'string'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** the token's text; for a string, its decoded value; for a field, the name without its dot */
  value: string;
  /** where it starts, 1-based */
  line: number;
  column: number;
  /** whether a space separates it from the token before (chains such as `$x.a` have none) */
  spaceBefore: boolean;
}

/** KEYWORDS: the words that start or end a control structure. */
export const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'break', 'continue', 'define', 'template', 'block']);

const SPACE = /[ \t\r\n]/;

/** lex splits a template into tokens; an unclosed action, string or comment is a TemplateError. */
export function lex(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  /** trimNext: the previous action ended with ` -}}`, so the next text loses its leading spaces. */
  let trimNext = false;

  const position = (at: number): { line: number; column: number } => {
    const before = source.slice(0, at);
    const line = before.split('\n').length;
    return { line, column: at - before.lastIndexOf('\n') };
  };
  const fail = (at: number, message: string): never => {
    const { line, column } = position(at);
    throw new TemplateError(message, line, column);
  };
  const push = (kind: TokenKind, value: string, at: number, spaceBefore: boolean): void => {
    tokens.push({ kind, value, ...position(at), spaceBefore });
  };

  while (i < source.length) {
    let open = source.indexOf('{{', i);
    if (open === -1) open = source.length;
    let text = source.slice(i, open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    trimNext = false;
    const trimBefore = source.startsWith('{{- ', open) || source.startsWith('{{-\t', open) || source.startsWith('{{-\n', open) || source.startsWith('{{-\r', open);
    if (trimBefore) text = text.replace(/[ \t\r\n]+$/, '');
    if (text !== '') push('text', text, i, false);
    if (open === source.length) break;

    // The trim marker is "-" and one space: `{{-3}}` is the number -3.
    let j = open + (trimBefore ? 4 : 2);
    // A comment: {{/* … */}}, with trim markers allowed around it.
    if (source.startsWith('/*', j)) {
      const end = source.indexOf('*/', j + 2);
      if (end === -1) fail(open, 'unclosed comment');
      let k = end + 2;
      if (/^[ \t\r\n]+-}}/.test(source.slice(k))) {
        trimNext = true;
        k = source.indexOf('-}}', k) + 3;
      } else if (source.startsWith('}}', k)) {
        k += 2;
      } else {
        fail(k, 'comment ends before closing delimiter');
      }
      i = k;
      continue;
    }

    push('left', '{{', open, false);
    let spaceBefore = false;
    for (;;) {
      if (j >= source.length) fail(open, 'unclosed action');
      const ch = source[j]!;
      if (SPACE.test(ch)) {
        // " -}}" closes the action and trims the text after it.
        if (/^[ \t\r\n]+-}}/.test(source.slice(j))) {
          const close = source.indexOf('-}}', j);
          push('right', '}}', close, true);
          trimNext = true;
          j = close + 3;
          break;
        }
        spaceBefore = true;
        j++;
        continue;
      }
      if (source.startsWith('}}', j)) {
        push('right', '}}', j, spaceBefore);
        j += 2;
        break;
      }
      const start = j;
      if (ch === '|') {
        push('pipe', '|', j++, spaceBefore);
      } else if (ch === '(') {
        push('lparen', '(', j++, spaceBefore);
      } else if (ch === ')') {
        push('rparen', ')', j++, spaceBefore);
      } else if (ch === ',') {
        push('comma', ',', j++, spaceBefore);
      } else if (source.startsWith(':=', j)) {
        push('declare', ':=', j, spaceBefore);
        j += 2;
      } else if (ch === '=') {
        push('assign', '=', j++, spaceBefore);
      } else if (ch === '"') {
        const { value, end } = readQuoted(source, j, fail);
        push('string', value, start, spaceBefore);
        j = end;
      } else if (ch === '`') {
        const end = source.indexOf('`', j + 1);
        if (end === -1) fail(j, 'unterminated raw quoted string');
        push('string', source.slice(j + 1, end), start, spaceBefore);
        j = end + 1;
      } else if (ch === "'") {
        const { value, end } = readQuoted(source, j, fail);
        if ([...value].length !== 1) fail(j, `malformed character constant: ${source.slice(j, end)}`);
        // A character constant is its code point, as in Go.
        push('number', String(value.codePointAt(0)), start, spaceBefore);
        j = end;
      } else if (ch === '$') {
        const m = /^\$[A-Za-z0-9_]*/.exec(source.slice(j))!;
        push('variable', m[0], j, spaceBefore);
        j += m[0].length;
      } else if (ch === '.') {
        const m = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(source.slice(j));
        if (m) {
          push('field', m[1]!, j, spaceBefore);
          j += m[0].length;
        } else if (/^\.[0-9]/.test(source.slice(j))) {
          const n = readNumber(source, j, fail);
          push('number', n.text, j, spaceBefore);
          j = n.end;
        } else {
          push('dot', '.', j++, spaceBefore);
        }
      } else if (/[0-9+-]/.test(ch)) {
        const n = readNumber(source, j, fail);
        push('number', n.text, j, spaceBefore);
        j = n.end;
      } else if (/[A-Za-z_]/.test(ch)) {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(j))!;
        const word = m[0];
        const kind: TokenKind = KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : 'identifier';
        push(kind, word, j, spaceBefore);
        j += word.length;
      } else {
        fail(j, `unexpected ${JSON.stringify(ch)} in action`);
      }
      spaceBefore = false;
    }
    i = j;
  }
  tokens.push({ kind: 'eof', value: '', ...position(source.length), spaceBefore: false });
  return tokens;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** readQuoted decodes a Go interpreted string or character literal starting at `start`. */
function readQuoted(source: string, start: number, fail: (at: number, message: string) => never): { value: string; end: number } {
  const quote = source[start]!;
  let value = '';
  let j = start + 1;
  for (;;) {
    const ch = source[j];
    if (ch === undefined || ch === '\n') return fail(start, quote === '"' ? 'unterminated quoted string' : 'unterminated character constant');
    if (ch === quote) return { value, end: j + 1 };
    if (ch !== '\\') {
      value += ch;
      j++;
      continue;
    }
    const next = source[j + 1] ?? '';
    const hex = /^(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})/.exec(source.slice(j + 1));
    if (hex) {
      value += String.fromCodePoint(parseInt(hex[0].slice(1), 16));
      j += 1 + hex[0].length;
    } else if (next in ESCAPES) {
      value += ESCAPES[next];
      j += 2;
    } else {
      return fail(j, `unknown escape sequence \\${next}`);
    }
  }
}

/** readNumber reads a Go number literal (decimal, 0x hex, 0o/0 octal, 0b binary, float, with _). */
function readNumber(source: string, start: number, fail: (at: number, message: string) => never): { text: string; end: number } {
  const m = /^[+-]?(0[xX][0-9A-Fa-f_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*)?\.?\d*([eE][+-]?\d+)?)/.exec(source.slice(start));
  const text = m?.[0] ?? '';
  if (text === '' || text === '+' || text === '-' || text === '.') return fail(start, `bad number syntax: ${JSON.stringify(source.slice(start, start + 10))}`);
  const after = source[start + text.length] ?? '';
  if (/[A-Za-z0-9_.]/.test(after)) return fail(start, `bad number syntax: ${JSON.stringify(source.slice(start, start + text.length + 1))}`);
  return { text, end: start + text.length };
}
