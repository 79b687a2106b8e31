import { arity, str, type TemplateFunction } from './args';
import { formatValue, GoInt, isMap, NO_VALUE, numberOf, truth, typeName, type GoValue } from './go-values';

/**
 * Go's text/template built-in functions (https://pkg.go.dev/text/template#hdr-Functions),
 * but `and`/`or` (the executor's: they stop at the deciding argument) and `call` (a
 * model from JSON holds no functions). Sprig replaces `slice` (see sprig-lists.ts).
 */

function int(name: string, value: GoValue): number {
  const n = numberOf(value);
  if (n === undefined || !Number.isInteger(n)) throw new Error(`${name}: cannot index with ${typeName(value)} ${formatValue(value)}`);
  return n;
}

/** length is Go's `len`: of a string (in bytes, as Go counts), a slice or a map. */
function length(value: GoValue): GoInt {
  if (typeof value === 'string') return new GoInt(Buffer.byteLength(value, 'utf8'));
  if (Array.isArray(value)) return new GoInt(value.length);
  if (isMap(value)) return new GoInt(Object.keys(value).length);
  throw new Error(`len of ${value === NO_VALUE || value === null ? 'nil pointer' : `type ${typeName(value)}`}`);
}

/** index is Go's `index x 1 2`: each key a map key or a slice index; a missing map key is no value. */
function index(item: GoValue, ...keys: GoValue[]): GoValue {
  let current = item;
  for (const key of keys) {
    if (Array.isArray(current)) {
      const i = int('index', key);
      if (i < 0 || i >= current.length) throw new Error(`error calling index: index out of range: ${i}`);
      current = current[i]!;
    } else if (typeof current === 'string') {
      const bytes = Buffer.from(current, 'utf8');
      const i = int('index', key);
      if (i < 0 || i >= bytes.length) throw new Error(`error calling index: index out of range: ${i}`);
      current = new GoInt(bytes[i]!);
    } else if (isMap(current)) {
      if (typeof key !== 'string') throw new Error(`error calling index: value has type ${typeName(key)}; should be string`);
      current = Object.hasOwn(current, key) ? current[key]! : NO_VALUE;
    } else if (current === NO_VALUE || current === null) {
      throw new Error('error calling index: index of untyped nil');
    } else {
      throw new Error(`error calling index: can't index item of type ${typeName(current)}`);
    }
  }
  return current;
}

/** goSlice is Go's `slice x 1 2` of a list or a string. */
export function goSlice(item: GoValue, ...bounds: GoValue[]): GoValue {
  if (bounds.length > 2) throw new Error('error calling slice: too many slice indexes');
  const size = typeof item === 'string' ? item.length : Array.isArray(item) ? item.length : -1;
  if (size < 0) throw new Error(`error calling slice: can't slice item of type ${typeName(item)}`);
  const from = bounds[0] === undefined ? 0 : int('slice', bounds[0]);
  const to = bounds[1] === undefined ? size : int('slice', bounds[1]);
  if (from < 0 || to > size || from > to) throw new Error(`error calling slice: index out of range: ${from}:${to}`);
  return typeof item === 'string' ? item.slice(from, to) : (item as GoValue[]).slice(from, to);
}

/** equal compares basic values (numbers of either kind numerically); Go refuses to compare slices and maps. */
function basic(value: GoValue): string | number | boolean | null {
  if (value === NO_VALUE || value === null) return null;
  const n = numberOf(value);
  if (n !== undefined) return n;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  throw new Error(`incompatible types for comparison: ${typeName(value)}`);
}

function order(name: string, a: GoValue, b: GoValue): number {
  const x = basic(a);
  const y = basic(b);
  if (typeof x !== typeof y || x === null || typeof x === 'boolean') throw new Error(`${name}: incompatible types for comparison`);
  return x < y! ? -1 : x > y! ? 1 : 0;
}

/** sprint is Go's fmt.Sprint: a space between operands when neither is a string. */
function sprint(args: GoValue[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(arg);
  });
  return out;
}

/**
 * sprintf is the part of Go's fmt.Sprintf a template needs: `%v %s %d %f %e %g %q %T %t
 * %x %X %%` with flags `-+ 0#`, width and precision. A float64 with `%d` prints its
 * integer value when it has one (Go would print `%!d(float64=…)`: JSON's numbers are
 * all float64, so `{{printf "%d" .size}}` would never work there).
 */
function sprintf(format: GoValue, ...args: GoValue[]): string {
  const spec = str(format);
  let argIndex = 0;
  return spec.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (whole, flags: string, width?: string, precision?: string, verb?: string) => {
    if (verb === '%') return '%';
    if (argIndex >= args.length) return `%!${verb}(MISSING)`;
    const arg = args[argIndex++]!;
    const n = numberOf(arg);
    let body: string;
    switch (verb) {
      case 'v':
      case 's':
        body = formatValue(arg);
        if (precision !== undefined && verb === 's') body = body.slice(0, Number(precision));
        break;
      case 'q':
        body = typeof arg === 'string' ? goQuote(arg) : `%!q(${typeName(arg)}=${formatValue(arg)})`;
        break;
      case 'T':
        body = arg === NO_VALUE || arg === null ? '<nil>' : typeName(arg);
        break;
      case 't':
        body = typeof arg === 'boolean' ? String(arg) : `%!t(${typeName(arg)}=${formatValue(arg)})`;
        break;
      case 'd':
        body = n !== undefined && Number.isInteger(n) ? String(n) : `%!d(${typeName(arg)}=${formatValue(arg)})`;
        break;
      case 'f':
      case 'F':
        body = n !== undefined ? n.toFixed(precision === undefined ? 6 : Number(precision)) : `%!f(${typeName(arg)}=${formatValue(arg)})`;
        break;
      case 'e':
        body = n !== undefined ? n.toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([+-])(\d)$/, 'e$10$2') : `%!e(${typeName(arg)}=${formatValue(arg)})`;
        break;
      case 'g':
        body = n !== undefined ? formatValue(typeof arg === 'number' ? arg : n) : `%!g(${typeName(arg)}=${formatValue(arg)})`;
        break;
      case 'x':
      case 'X': {
        if (n !== undefined && Number.isInteger(n)) body = Math.abs(n).toString(16);
        else if (typeof arg === 'string') body = Buffer.from(arg, 'utf8').toString('hex');
        else body = `%!${verb}(${typeName(arg)}=${formatValue(arg)})`;
        if (verb === 'X') body = body.toUpperCase();
        if (n !== undefined && n < 0) body = `-${body}`;
        break;
      }
      default:
        return `%!${verb}(${typeName(arg)}=${formatValue(arg)})`;
    }
    if (flags.includes('+') && n !== undefined && n >= 0 && 'dfeg'.includes(verb!)) body = `+${body}`;
    if (width !== undefined && body.length < Number(width)) {
      const pad = Number(width) - body.length;
      if (flags.includes('-')) body += ' '.repeat(pad);
      else if (flags.includes('0') && n !== undefined) body = body.replace(/^([+-]?)/, `$1${'0'.repeat(pad)}`);
      else body = ' '.repeat(pad) + body;
    }
    void whole;
    return body;
  }) + (argIndex < args.length ? `%!(EXTRA ${args.slice(argIndex).map((a) => `${typeName(a)}=${formatValue(a)}`).join(', ')})` : '');
}

/** evalArgs is how html, js and urlquery read their arguments: one string as it is, else fmt.Sprint of them all. */
function evalArgs(args: GoValue[]): string {
  return args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args);
}

/** htmlEscape is template.HTMLEscapeString. */
export function htmlEscape(text: string): string {
  return text.replace(/[<>&'"\0]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' })[ch]!);
}

/** jsEscape is template.JSEscapeString (Go 1.21+: the backquote too). */
export function jsEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if ('<>&=`'.includes(ch) || code < 0x20 || (code >= 0x7f && !PRINTABLE.test(ch))) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** goQuote is strconv.Quote: Go's escapes, `\\x..` for other control bytes, printable Unicode kept. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const named = ({ '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' } as Record<string, string>)[ch];
    if (named) out += named;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x80 || PRINTABLE.test(ch)) out += ch;
    else if (code === 0xfffd) out += '\\ufffd';
    else out += code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** PRINTABLE approximates unicode.IsPrint for one character: letters, marks, numbers, punctuation, symbols, and the ASCII space. */
export const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** queryEscape is url.QueryEscape: a space as `+`, everything but `A-Za-z0-9-_.~` as %XX. */
export function queryEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** BUILTINS: Go's own functions, by name. */
export const BUILTINS: Readonly<Record<string, TemplateFunction>> = {
  not: (...args) => (arity('not', args, 1), !truth(args[0]!)),
  len: (...args) => (arity('len', args, 1), length(args[0]!)),
  index: (...args) => (arity('index', args, 1, Infinity), index(args[0]!, ...args.slice(1))),
  slice: (...args) => (arity('slice', args, 1, 3), goSlice(args[0]!, ...args.slice(1))),
  print: (...args) => sprint(args),
  println: (...args) => `${args.map(formatValue).join(' ')}\n`,
  printf: (...args) => (arity('printf', args, 1, Infinity), sprintf(args[0]!, ...args.slice(1))),
  eq: (...args) => {
    arity('eq', args, 2, Infinity);
    const first = basic(args[0]!);
    return args.slice(1).some((other) => basic(other) === first);
  },
  ne: (...args) => (arity('ne', args, 2), basic(args[0]!) !== basic(args[1]!)),
  lt: (...args) => (arity('lt', args, 2), order('lt', args[0]!, args[1]!) < 0),
  le: (...args) => (arity('le', args, 2), order('le', args[0]!, args[1]!) <= 0),
  gt: (...args) => (arity('gt', args, 2), order('gt', args[0]!, args[1]!) > 0),
  ge: (...args) => (arity('ge', args, 2), order('ge', args[0]!, args[1]!) >= 0),
  // A model from JSON holds no functions, so call has nothing to call (Go says the same of a non-function).
  call: (...args) => {
    arity('call', args, 1, Infinity);
    throw new Error(`non-function of type ${typeName(args[0]!)}`);
  },
  html: (...args) => htmlEscape(evalArgs(args)),
  js: (...args) => jsEscape(evalArgs(args)),
  urlquery: (...args) => queryEscape(evalArgs(args)),
};
