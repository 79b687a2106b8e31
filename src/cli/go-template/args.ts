import { formatValue, GoInt, GoSemver, GoTime, isMap, NO_VALUE, numberOf, truth, typeName, type GoValue } from './go-values';

/**
 * How template functions take their arguments, as Go's text/template checks them
 * against a function's parameter types (exec.go `validateType`), and how sprig
 * converts loosely typed ones (spf13/cast). Each throws a plain Error; the executor
 * adds "error calling NAME:" and the place.
 */

export type TemplateFunction = (...args: GoValue[]) => GoValue;

/** arity checks the number of arguments, in Go's words. */
export function arity(name: string, args: GoValue[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new Error(`wrong number of args for ${name}: want ${want} got ${args.length}`);
  }
}

const isNil = (value: GoValue): boolean => value === NO_VALUE || value === null;

function wrongType(expected: string, value: GoValue): Error {
  return new Error(isNil(value) ? `invalid value; expected ${expected}` : `wrong type for value; expected ${expected}; got ${typeName(value)}`);
}

/** str is a `string` parameter. */
export function str(value: GoValue): string {
  if (typeof value !== 'string') throw wrongType('string', value);
  return value;
}

/** int is an `int` parameter: an int or a whole float literal, as Go takes them (a float64 from JSON or an int64 from `add` is refused, as in Go). */
export function int(value: GoValue): number {
  if (!(value instanceof GoInt) || (value.kind !== 'int' && value.kind !== 'float64')) throw wrongType('int', value);
  return value.value;
}

/**
 * MAX_MADE: the most elements or characters a function may make (`until`, `seq`,
 * `repeat`, `randAlpha`, …), the same guard as the executor's step limit: Go would try
 * to allocate `until 1000000000` and the machine would go with it.
 */
export const MAX_MADE = 20_000_000;

/** bounded checks a count a function is about to make, saying which. */
export function bounded(name: string, count: number): number {
  if (count > MAX_MADE) throw new Error(`${name} would make ${count} elements, more than ${MAX_MADE}`);
  return count;
}

/** semver is a `*semver.Version` parameter. */
export function semverArg(value: GoValue): GoSemver {
  if (!(value instanceof GoSemver)) throw wrongType('*semver.Version', value);
  return value;
}

/** bool is a `bool` parameter. */
export function bool(value: GoValue): boolean {
  if (typeof value !== 'boolean') throw wrongType('bool', value);
  return value;
}

/** time is a `time.Time` parameter. */
export function time(value: GoValue): GoTime {
  if (!(value instanceof GoTime)) throw wrongType('time.Time', value);
  return value;
}

/** dict is a `map[string]interface{}` parameter; nil is an empty map Go cannot write to (undefined here). */
export function dict(value: GoValue): { [key: string]: GoValue } | undefined {
  if (isNil(value)) return undefined;
  if (!isMap(value)) throw wrongType('map[string]interface {}', value);
  return value;
}

/** kindOf is reflect's Kind of a value: `string`, `float64`, `int`, `slice`, `map`, `struct`, `invalid` for nil. */
export function kindOf(value: GoValue): string {
  if (isNil(value)) return 'invalid';
  if (value instanceof GoTime) return 'struct';
  if (value instanceof GoSemver) return 'ptr';
  if (Array.isArray(value)) return 'slice';
  if (isMap(value)) return 'map';
  return typeName(value);
}

/** listOf is a list sprig reads by reflection; anything else is sprig's "Cannot <what> on type <kind>". */
export function listOf(value: GoValue, what: string): GoValue[] {
  if (isNil(value)) throw new Error('runtime error: invalid memory address or nil pointer dereference');
  if (!Array.isArray(value)) throw new Error(`Cannot ${what} on type ${kindOf(value)}`);
  return value;
}

/** castInt64 is spf13/cast's ToInt64: numbers truncated, strings parsed (else 0), true 1, nil 0. */
export function castInt64(value: GoValue): number {
  const n = numberOf(value);
  if (n !== undefined) return Math.trunc(n);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return parseGoInt(value.replace(/^([+-]?\d+)\.0*$/, '$1')) ?? 0;
  return 0;
}

/** castFloat64 is cast's ToFloat64: numbers, strings parsed (else 0), true 1, nil 0. */
export function castFloat64(value: GoValue): number {
  const n = numberOf(value);
  if (n !== undefined) return n;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const f = Number(value.trim() === value ? value : NaN);
    return value !== '' && Number.isFinite(f) ? f : 0;
  }
  return 0;
}

/** parseGoInt is strconv.ParseInt(s, 0, 64): decimal, 0x, 0o or 0, 0b, with `_` between digits; undefined when it is not one. */
export function parseGoInt(text: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m || /__|_$/.test(m[2]!)) return undefined;
  const body = m[2]!.replace(/_/g, '');
  let n: number;
  if (/^0[xX]/.test(body)) n = parseInt(body.slice(2), 16);
  else if (/^0[oO]/.test(body)) n = parseInt(body.slice(2), 8);
  else if (/^0[bB]/.test(body)) n = parseInt(body.slice(2), 2);
  else if (body.startsWith('0') && body.length > 1) n = parseInt(body.slice(1), 8);
  else n = Number(body);
  if (!Number.isSafeInteger(n)) return undefined;
  return m[1] === '-' ? -n : n;
}

/** strval is sprig's strval: a string as it is, anything else as `%v` prints it. */
export function strval(value: GoValue): string {
  return formatValue(value);
}

/** empty is sprig's empty: the zero value of its type (a struct never is). */
export function empty(value: GoValue): boolean {
  return !truth(value);
}

/** deepEqual is reflect.DeepEqual over template values: an int 1 is not a float64 1, as in Go. */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  if (typeName(a) !== typeName(b)) return false;
  const n = numberOf(a);
  if (n !== undefined) return n === numberOf(b);
  if (a instanceof GoSemver) return a.toString() === (b as GoSemver).toString() && a.original === (b as GoSemver).original;
  if (a instanceof GoTime) return a.sec === (b as GoTime).sec && a.nsec === (b as GoTime).nsec && JSON.stringify(a.zone) === JSON.stringify((b as GoTime).zone);
  if (Array.isArray(a)) {
    const other = b as GoValue[];
    return a.length === other.length && a.every((v, i) => deepEqual(v, other[i]!));
  }
  if (isMap(a)) {
    const other = b as { [key: string]: GoValue };
    const keys = Object.keys(a);
    return keys.length === Object.keys(other).length && keys.every((k) => Object.hasOwn(other, k) && deepEqual(a[k]!, other[k]!));
  }
  return a === b;
}

/** int64 makes an int64 result (sprig's arithmetic), wrapped to 64 bits only as far as a double can tell. */
export function int64(n: number): GoInt {
  return new GoInt(n, 'int64');
}
