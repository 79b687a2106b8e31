/**
 * Values as a Go template sees ORAS's models. ORAS turns each model into
 * `map[string]any` through JSON (`output.ToMap`), so a template sees JSON's values:
 * strings, float64 numbers, booleans, nil, `[]any` and `map[string]any`. These helpers
 * print and test them as Go's `fmt` and `text/template` do, so `{{.size}}` prints what
 * `oras` prints (`1.048576e+06` for a 1 MiB blob: a float64 printed with `%v`).
 */

import { GoSemver } from './go-semver';
import { GoTime } from './go-time';

export { GoSemver, GoTime };

/** NO_VALUE is a missing map key: Go prints it `<no value>`. */
export const NO_VALUE: unique symbol = Symbol('no value');

/**
 * GoInt is an integer: an `int` (a literal like `0`, what `len` or sprig's `int`
 * returns), an `int64` (sprig's `add`, `int64`), a `uint64` (a version's `Major`), or a
 * whole float literal like `2.0` (kind `float64`: a float64 to Go, printed as one, but
 * taken where an int is wanted, as Go takes such a constant). Go keeps the kinds apart: a
 * function taking `int` refuses an `int64`, and `has`/`deepEqual` of different kinds differ.
 */
export class GoInt {
  constructor(
    readonly value: number,
    readonly kind: 'int' | 'int64' | 'uint64' | 'float64' = 'int',
  ) {}
}

export type GoValue = string | number | boolean | null | GoInt | GoTime | GoSemver | typeof NO_VALUE | GoValue[] | { [key: string]: GoValue };

export function isMap(value: unknown): value is { [key: string]: GoValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof GoInt) && !(value instanceof GoTime) && !(value instanceof GoSemver);
}

/** numberOf is a number's value, int or float, or undefined for anything else. */
export function numberOf(value: GoValue): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof GoInt) return value.value;
  return undefined;
}

/** typeName is the Go type a value has, for messages (`string`, `float64`, `map[string]interface {}`). */
export function typeName(value: GoValue): string {
  if (value === NO_VALUE || value === null) return 'interface {}';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof GoInt) return value.kind;
  if (value instanceof GoTime) return 'time.Time';
  if (value instanceof GoSemver) return '*semver.Version';
  if (Array.isArray(value)) return '[]interface {}';
  return 'map[string]interface {}';
}

/**
 * formatFloat writes a float64 as Go's `%v` does: strconv's shortest `'g'`, which uses
 * an exponent when it is below -4 or at least 6 ("if precision was the shortest
 * possible, use precision 6 for this decision", strconv/ftoa.go): `1e+06`,
 * `1.234567e+06`, `123456`, `0.0001`, `1e-05`. The digits are the shortest that read
 * back the same, in Go as in JavaScript.
 */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exp] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

/** formatValue writes a value as Go's `fmt.Sprint` (`%v`) does. */
export function formatValue(value: GoValue): string {
  if (value === NO_VALUE) return '<no value>';
  if (value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return formatFloat(value);
  if (value instanceof GoInt) return value.kind === 'float64' ? formatFloat(value.value) : String(value.value);
  if (value instanceof GoTime || value instanceof GoSemver) return value.toString();
  if (Array.isArray(value)) return `[${value.map(formatElement).join(' ')}]`;
  return `map[${Object.keys(value)
    .sort()
    .map((k) => `${k}:${formatElement(value[k]!)}`)
    .join(' ')}]`;
}

/** Inside a slice or map a nil interface prints `<nil>`, like at the top. */
function formatElement(value: GoValue): string {
  return value === NO_VALUE ? '<nil>' : formatValue(value);
}

/** truth is Go's `if`: false, 0, nil, and empty strings, slices and maps are false. */
export function truth(value: GoValue): boolean {
  if (value === NO_VALUE || value === null) return false;
  if (typeof value === 'string') return value !== '';
  if (typeof value === 'boolean') return value;
  const n = numberOf(value);
  if (n !== undefined) return n !== 0;
  // A struct, and a pointer that is not nil, are always true.
  if (value instanceof GoTime || value instanceof GoSemver) return true;
  if (Array.isArray(value)) return value.length > 0;
  return Object.keys(value).length > 0;
}

/** fromJson turns a model (anything JSON can hold) into the values a template sees. */
export function fromJson(model: unknown): GoValue {
  return JSON.parse(JSON.stringify(model) ?? 'null') as GoValue;
}

/**
 * toJsonText writes a value as Go's `json.Marshal` (sprig's `toJson`) does: map keys
 * sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped (Go's HTML-safe default, unless
 * `raw`), `indent` as `json.MarshalIndent`'s.
 */
export function toJsonText(value: GoValue, options: { indent?: string; raw?: boolean } = {}): string {
  const plain = (v: GoValue): unknown => {
    if (v === NO_VALUE) return null;
    if (v instanceof GoInt) return v.value;
    // time.Time marshals as RFC 3339 with nanoseconds.
    if (v instanceof GoTime) return v.format('2006-01-02T15:04:05.999999999Z07:00');
    // *semver.Version marshals as its String.
    if (v instanceof GoSemver) return v.toString();
    if (Array.isArray(v)) return v.map(plain);
    if (isMap(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, plain(v[k]!)]));
    return v;
  };
  const text = JSON.stringify(plain(value), null, options.indent) ?? 'null';
  if (options.raw) return text;
  return text.replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
