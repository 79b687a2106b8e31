import { randomInt } from 'node:crypto';
import { arity, castFloat64, castInt64, int, int64, str, strval, type TemplateFunction } from './args';
import { GoInt, type GoValue } from './go-values';

/**
 * sprig's numbers (`numeric.go`): integer arithmetic in int64 (each argument cast as
 * spf13/cast does: a float64 truncated, a string parsed, else 0; results wrap at 64
 * bits and a division by zero is Go's runtime error), the `…f` forms exact in decimal
 * as shopspring/decimal makes them (`addf 0.1 0.2` is 0.3), and the conversions.
 */

const big = (value: GoValue): bigint => BigInt(castInt64(value));
const wrap = (n: bigint): GoInt => int64(Number(BigInt.asIntN(64, n)));

/** Decimal is a number as coefficient × 10^exponent, made from a float's shortest text (decimal.NewFromFloat). */
interface Decimal {
  coef: bigint;
  exp: number;
}

function decimalOf(value: GoValue): Decimal {
  const f = castFloat64(value);
  if (!Number.isFinite(f)) throw new Error(`Cannot create a Decimal from ${f}`);
  const [mantissa, e] = f.toExponential().split('e') as [string, string];
  const [whole, frac = ''] = mantissa.split('.') as [string, string?];
  return { coef: BigInt(whole + frac), exp: Number(e) - frac.length };
}

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

/** DIVISION_PRECISION: decimal.DivisionPrecision, the digits after the point a quotient keeps. */
const DIVISION_PRECISION = 16;

function divide(a: Decimal, b: Decimal): Decimal {
  if (b.coef === 0n) throw new Error('decimal division by 0');
  // a/b rounded half away from zero to 10^-16.
  const shift = DIVISION_PRECISION + b.exp - a.exp;
  let num = a.coef;
  let den = b.coef;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  const negative = num < 0n !== den < 0n;
  const absNum = num < 0n ? -num : num;
  const absDen = den < 0n ? -den : den;
  let q = absNum / absDen;
  if ((absNum % absDen) * 2n >= absDen) q += 1n;
  return { coef: negative ? -q : q, exp: -DIVISION_PRECISION };
}

const toFloat = (d: Decimal): number => Number(`${d.coef}e${d.exp}`);

/** decimalOp is sprig's execDecimalOp: the first value, then each of the rest combined by `op`, as a float64. */
function decimalOp(first: GoValue, rest: GoValue[], op: 'add' | 'sub' | 'mul' | 'div'): number {
  let acc = decimalOf(first);
  for (const value of rest) {
    const d = decimalOf(value);
    if (op === 'mul') acc = { coef: acc.coef * d.coef, exp: acc.exp + d.exp };
    else if (op === 'div') acc = divide(acc, d);
    else {
      const [x, y, exp] = aligned(acc, d);
      acc = { coef: op === 'add' ? x + y : x - y, exp };
    }
  }
  return toFloat(acc);
}

function intDivide(name: string, args: GoValue[], op: (a: bigint, b: bigint) => bigint): GoInt {
  arity(name, args, 2);
  const b = big(args[1]!);
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  return wrap(op(big(args[0]!), b));
}

/** round is sprig's round: to `places` digits, up when the dropped part is at least `roundOn` (0.5). */
function round(value: number, places: number, roundOn: number): number {
  const pow = 10 ** places;
  const digit = pow * value;
  const frac = digit - Math.trunc(digit);
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

export const MATH_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  add1: (...args) => (arity('add1', args, 1), wrap(big(args[0]!) + 1n)),
  add: (...args) => wrap(args.reduce((sum, v) => sum + big(v), 0n)),
  sub: (...args) => (arity('sub', args, 2), wrap(big(args[0]!) - big(args[1]!))),
  mul: (...args) => (arity('mul', args, 1, Infinity), wrap(args.slice(1).reduce((p, v) => p * big(v), big(args[0]!)))),
  div: (...args) => intDivide('div', args, (a, b) => a / b),
  mod: (...args) => intDivide('mod', args, (a, b) => a % b),
  max: (...args) => (arity('max', args, 1, Infinity), int64(Math.max(...args.map(castInt64)))),
  biggest: (...args) => (arity('biggest', args, 1, Infinity), int64(Math.max(...args.map(castInt64)))),
  min: (...args) => (arity('min', args, 1, Infinity), int64(Math.min(...args.map(castInt64)))),
  maxf: (...args) => (arity('maxf', args, 1, Infinity), Math.max(...args.map(castFloat64))),
  minf: (...args) => (arity('minf', args, 1, Infinity), Math.min(...args.map(castFloat64))),
  add1f: (...args) => (arity('add1f', args, 1), decimalOp(args[0]!, [new GoInt(1)], 'add')),
  addf: (...args) => decimalOp(0, args, 'add'),
  subf: (...args) => (arity('subf', args, 1, Infinity), decimalOp(args[0]!, args.slice(1), 'sub')),
  mulf: (...args) => (arity('mulf', args, 1, Infinity), decimalOp(args[0]!, args.slice(1), 'mul')),
  divf: (...args) => (arity('divf', args, 1, Infinity), decimalOp(args[0]!, args.slice(1), 'div')),
  ceil: (...args) => (arity('ceil', args, 1), Math.ceil(castFloat64(args[0]!))),
  floor: (...args) => (arity('floor', args, 1), Math.floor(castFloat64(args[0]!))),
  round: (...args) => {
    arity('round', args, 2, Infinity);
    return round(castFloat64(args[0]!), int(args[1]!), args.length > 2 ? castFloat64(args[2]!) : 0.5);
  },
  randInt: (...args) => {
    arity('randInt', args, 2);
    const [lo, hi] = [int(args[0]!), int(args[1]!)];
    if (hi <= lo) throw new Error('invalid argument to Intn');
    return new GoInt(randomInt(lo, hi));
  },
  atoi: (...args) => (arity('atoi', args, 1), new GoInt(/^[+-]?\d+$/.test(str(args[0]!)) ? Number(args[0]) : 0)),
  int: (...args) => (arity('int', args, 1), new GoInt(castInt64(args[0]!))),
  int64: (...args) => (arity('int64', args, 1), int64(castInt64(args[0]!))),
  float64: (...args) => (arity('float64', args, 1), castFloat64(args[0]!)),
  toDecimal: (...args) => {
    arity('toDecimal', args, 1);
    const text = strval(args[0]!);
    const n = /^[+-]?[0-7]+$/.test(text) ? parseInt(text, 8) : 0;
    return int64(n);
  },
};
