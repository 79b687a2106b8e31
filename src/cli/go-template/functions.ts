import { formatValue, GoInt, isMap, NO_VALUE, numberOf, toJsonText, truth, typeName, type GoValue } from './go-values';

/**
 * The functions a `--template` may call: Go's built-ins (text/template "Functions")
 * and the part of sprig (which ORAS adds, `output/template.go`) that formats output:
 * JSON, strings, lists, `default`. `and` and `or` are in the executor: they stop at
 * the first deciding argument, as Go's do since 1.18. A function's error is thrown as
 * a plain Error; the executor adds where it was called.
 */

export type TemplateFunction = (...args: GoValue[]) => GoValue;

function arity(name: string, args: GoValue[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new Error(`wrong number of args for ${name}: want ${want} got ${args.length}`);
  }
}

function str(name: string, value: GoValue): string {
  if (typeof value !== 'string') throw new Error(`${name}: expected a string, got ${typeName(value)}`);
  return value;
}

function list(name: string, value: GoValue): GoValue[] {
  if (!Array.isArray(value)) throw new Error(`${name}: expected a list, got ${typeName(value)}`);
  return value;
}

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

/** slice is Go's `slice x 1 2` of a list or a string. */
function slice(item: GoValue, ...bounds: GoValue[]): GoValue {
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
 * sprintf is the part of Go's fmt.Sprintf a template needs: `%v %s %d %f %e %g %q %t
 * %x %X %%` with flags `-+ 0#`, width and precision. A float64 with `%d` prints its
 * integer value when it has one (Go would print `%!d(float64=…)`: JSON's numbers are
 * all float64, so `{{printf "%d" .size}}` would never work there).
 */
function sprintf(format: GoValue, ...args: GoValue[]): string {
  const spec = str('printf', format);
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
        body = typeof arg === 'string' ? JSON.stringify(arg) : `%!q(${typeName(arg)}=${formatValue(arg)})`;
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

/** FUNCTIONS: every function a template may call, by name. */
export const FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  // Go's text/template built-ins.
  not: (...args) => (arity('not', args, 1), !truth(args[0]!)),
  len: (...args) => (arity('len', args, 1), length(args[0]!)),
  index: (...args) => (arity('index', args, 1, Infinity), index(args[0]!, ...args.slice(1))),
  slice: (...args) => (arity('slice', args, 1, 3), slice(args[0]!, ...args.slice(1))),
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
  // sprig: JSON (Docker's `json` is the same as toJson).
  toJson: (...args) => (arity('toJson', args, 1), toJsonText(args[0]!)),
  json: (...args) => (arity('json', args, 1), toJsonText(args[0]!)),
  toRawJson: (...args) => (arity('toRawJson', args, 1), toJsonText(args[0]!, { raw: true })),
  toPrettyJson: (...args) => (arity('toPrettyJson', args, 1), toJsonText(args[0]!, { indent: '  ' })),
  // sprig: strings.
  upper: (...args) => (arity('upper', args, 1), str('upper', args[0]!).toUpperCase()),
  lower: (...args) => (arity('lower', args, 1), str('lower', args[0]!).toLowerCase()),
  trim: (...args) => (arity('trim', args, 1), str('trim', args[0]!).trim()),
  trimPrefix: (...args) => {
    arity('trimPrefix', args, 2);
    const [prefix, s] = [str('trimPrefix', args[0]!), str('trimPrefix', args[1]!)];
    return s.startsWith(prefix) ? s.slice(prefix.length) : s;
  },
  trimSuffix: (...args) => {
    arity('trimSuffix', args, 2);
    const [suffix, s] = [str('trimSuffix', args[0]!), str('trimSuffix', args[1]!)];
    return suffix !== '' && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s;
  },
  hasPrefix: (...args) => (arity('hasPrefix', args, 2), str('hasPrefix', args[1]!).startsWith(str('hasPrefix', args[0]!))),
  hasSuffix: (...args) => (arity('hasSuffix', args, 2), str('hasSuffix', args[1]!).endsWith(str('hasSuffix', args[0]!))),
  contains: (...args) => (arity('contains', args, 2), str('contains', args[1]!).includes(str('contains', args[0]!))),
  replace: (...args) => (arity('replace', args, 3), str('replace', args[2]!).split(str('replace', args[0]!)).join(str('replace', args[1]!))),
  quote: (...args) => args.filter((a) => a !== NO_VALUE && a !== null).map((a) => JSON.stringify(formatValue(a))).join(' '),
  // sprig: lists and defaults.
  join: (...args) => (arity('join', args, 2), list('join', args[1]!).map(formatValue).join(str('join', args[0]!))),
  splitList: (...args) => (arity('splitList', args, 2), str('splitList', args[1]!).split(str('splitList', args[0]!))),
  first: (...args) => (arity('first', args, 1), list('first', args[0]!)[0] ?? null),
  last: (...args) => (arity('last', args, 1), list('last', args[0]!).at(-1) ?? null),
  keys: (...args) => {
    arity('keys', args, 1, Infinity);
    return args.flatMap((m) => {
      if (!isMap(m)) throw new Error(`keys: expected a map, got ${typeName(m)}`);
      return Object.keys(m);
    });
  },
  sortAlpha: (...args) => (arity('sortAlpha', args, 1), list('sortAlpha', args[0]!).map(formatValue).sort()),
  default: (...args) => (arity('default', args, 1, 2), args.length === 2 && truth(args[1]!) ? args[1]! : args[0]!),
  empty: (...args) => (arity('empty', args, 1), !truth(args[0]!)),
};
