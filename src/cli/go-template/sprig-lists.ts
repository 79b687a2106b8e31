import { arity, bounded, castInt64, deepEqual, dict, empty, int, kindOf, listOf, str, strval, type TemplateFunction } from './args';
import { goSlice } from './builtins';
import { GoInt, isMap, NO_VALUE, type GoValue } from './go-values';

/**
 * sprig's lists and dicts (Masterminds/sprig v3 `list.go`, `dict.go`, and the list
 * parts of `strings.go` and `numeric.go`), as ORAS's `--template` has them. A `must`
 * form fails where the plain one panics; in a template both end the run with the
 * error, so they are the same function here.
 */

type Dict = { [key: string]: GoValue };

const ints = (values: number[]): GoValue[] => values.map((v) => new GoInt(v));

/** strslice is sprig's strslice: each element's text, nils dropped; a non-list is a list of its text. */
function strslice(value: GoValue): string[] {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== NO_VALUE).map(strval);
  if (value === null || value === NO_VALUE) return [];
  return [strval(value)];
}

/** untilStep is sprig's untilStep: start up to (not including) stop by step; nothing when step goes the wrong way. */
export function untilStep(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  if (stop < start ? step >= 0 : step <= 0) return out;
  bounded('until', Math.floor(Math.abs(stop - start) / Math.abs(step)));
  if (stop < start) for (let i = start; i > stop; i += step) out.push(i);
  else for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

function seq(params: number[]): string {
  let values: number[];
  switch (params.length) {
    case 1: {
      const end = params[0]!;
      const inc = end < 1 ? -1 : 1;
      values = untilStep(1, end + inc, inc);
      break;
    }
    case 2: {
      const [start, end] = params as [number, number];
      const step = end < start ? -1 : 1;
      values = untilStep(start, end + step, step);
      break;
    }
    case 3: {
      const [start, step, end] = params as [number, number, number];
      let inc = 1;
      if (end < start) {
        inc = -1;
        if (step > 0) return '';
      }
      values = untilStep(start, end + inc, step);
      break;
    }
    default:
      return '';
  }
  return values.join(' ');
}

/** mergeInto is mergo.Merge (keep what dst has unless it is empty) or MergeWithOverwrite, maps merged deeply. */
function mergeInto(dst: Dict, src: Dict, overwrite: boolean): void {
  for (const [key, value] of Object.entries(src)) {
    const current = dst[key];
    if (current !== undefined && isMap(current) && isMap(value)) mergeInto(current, value, overwrite);
    else if (current === undefined || empty(current) || (overwrite && !empty(value))) dst[key] = value;
  }
}

function merge(name: string, args: GoValue[], overwrite: boolean): GoValue {
  arity(name, args, 1, Infinity);
  const dst = dict(args[0]!);
  if (!dst) throw new Error('assignment to entry in nil map');
  for (const src of args.slice(1)) mergeInto(dst, dict(src) ?? {}, overwrite);
  return dst;
}

function deepCopy(value: GoValue): GoValue {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]));
  return value;
}

function chunk(size: number, list: GoValue[]): GoValue {
  if (size <= 0) throw new Error('runtime error: integer divide by zero');
  const out: GoValue[] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** sprigSlice is sprig's `slice`, which replaces Go's: a list cut at cast indices (an empty one is nil); a string as Go's. */
function sprigSlice(args: GoValue[]): GoValue {
  arity('slice', args, 1, Infinity);
  const [list, ...indices] = args as [GoValue, ...GoValue[]];
  if (typeof list === 'string') return goSlice(list, ...indices);
  const items = listOf(list, 'slice');
  if (items.length === 0) return null;
  const start = indices.length > 0 ? castInt64(indices[0]!) : 0;
  const end = indices.length > 1 ? castInt64(indices[1]!) : items.length;
  if (start < 0 || end > items.length || start > end) throw new Error('reflect: slice index out of range');
  return items.slice(start, end);
}

function dig(args: GoValue[]): GoValue {
  if (args.length < 3) throw new Error('dig needs at least three arguments');
  let current = args.at(-1)!;
  const fallback = args.at(-2)!;
  const keys = args.slice(0, -2).map(str);
  for (const key of keys) {
    if (!isMap(current)) throw new Error(`interface conversion: interface {} is ${kindOf(current)}, not map[string]interface {}`);
    if (!Object.hasOwn(current, key)) return fallback;
    current = current[key]!;
  }
  return current;
}

const listFunctions: Record<string, TemplateFunction> = {
  list: (...args) => args,
  dict: (...args) => {
    const out: Dict = {};
    for (let i = 0; i < args.length; i += 2) out[strval(args[i]!)] = i + 1 < args.length ? args[i + 1]! : '';
    return out;
  },
  get: (...args) => {
    arity('get', args, 2);
    const d = dict(args[0]!);
    const key = str(args[1]!);
    return d && Object.hasOwn(d, key) ? d[key]! : '';
  },
  set: (...args) => {
    arity('set', args, 3);
    const d = dict(args[0]!);
    if (!d) throw new Error('assignment to entry in nil map');
    d[str(args[1]!)] = args[2]!;
    return d;
  },
  unset: (...args) => {
    arity('unset', args, 2);
    const d = dict(args[0]!);
    const key = str(args[1]!);
    if (d) delete d[key];
    // A nil map stays one (deleting from it is nothing in Go), and prints map[].
    return d ?? {};
  },
  hasKey: (...args) => {
    arity('hasKey', args, 2);
    const d = dict(args[0]!);
    return d !== undefined && Object.hasOwn(d, str(args[1]!));
  },
  pluck: (...args) => {
    arity('pluck', args, 1, Infinity);
    const key = str(args[0]!);
    return args.slice(1).flatMap((m) => {
      const d = dict(m);
      return d && Object.hasOwn(d, key) ? [d[key]!] : [];
    });
  },
  keys: (...args) => args.flatMap((m) => Object.keys(dict(m) ?? {})),
  values: (...args) => (arity('values', args, 1), Object.values(dict(args[0]!) ?? {})),
  pick: (...args) => {
    arity('pick', args, 1, Infinity);
    const d = dict(args[0]!) ?? {};
    return Object.fromEntries(args.slice(1).map(str).filter((k) => Object.hasOwn(d, k)).map((k) => [k, d[k]!]));
  },
  omit: (...args) => {
    arity('omit', args, 1, Infinity);
    const d = dict(args[0]!) ?? {};
    const drop = new Set(args.slice(1).map(str));
    return Object.fromEntries(Object.entries(d).filter(([k]) => !drop.has(k)));
  },
  merge: (...args) => merge('merge', args, false),
  mergeOverwrite: (...args) => merge('mergeOverwrite', args, true),
  deepCopy: (...args) => (arity('deepCopy', args, 1), deepCopy(args[0]!)),
  dig: (...args) => dig(args),
  append: (...args) => (arity('append', args, 2), [...listOf(args[0]!, 'push'), args[1]!]),
  prepend: (...args) => (arity('prepend', args, 2), [args[1]!, ...listOf(args[0]!, 'prepend')]),
  first: (...args) => (arity('first', args, 1), listOf(args[0]!, 'find first')[0] ?? null),
  last: (...args) => (arity('last', args, 1), listOf(args[0]!, 'find last').at(-1) ?? null),
  rest: (...args) => {
    arity('rest', args, 1);
    const list = listOf(args[0]!, 'find rest');
    return list.slice(1);
  },
  initial: (...args) => {
    arity('initial', args, 1);
    const list = listOf(args[0]!, 'find initial');
    return list.slice(0, -1);
  },
  reverse: (...args) => (arity('reverse', args, 1), [...listOf(args[0]!, 'find reverse')].reverse()),
  uniq: (...args) => {
    arity('uniq', args, 1);
    const out: GoValue[] = [];
    for (const item of listOf(args[0]!, 'find uniq')) if (!out.some((o) => deepEqual(o, item))) out.push(item);
    return out;
  },
  without: (...args) => {
    arity('without', args, 1, Infinity);
    const omit = args.slice(1);
    return listOf(args[0]!, 'find without').filter((item) => !omit.some((o) => deepEqual(o, item)));
  },
  has: (...args) => {
    arity('has', args, 2);
    const [needle, haystack] = args as [GoValue, GoValue];
    if (haystack === null || haystack === NO_VALUE) return false;
    return listOf(haystack, 'find has').some((item) => deepEqual(needle, item));
  },
  compact: (...args) => (arity('compact', args, 1), listOf(args[0]!, 'compact').filter((item) => !empty(item))),
  slice: (...args) => sprigSlice(args),
  concat: (...args) =>
    args.flatMap((list) => {
      if (!Array.isArray(list)) throw new Error(`Cannot concat type ${kindOf(list)} as list`);
      return list;
    }),
  chunk: (...args) => (arity('chunk', args, 2), chunk(int(args[0]!), listOf(args[1]!, 'chunk'))),
  sortAlpha: (...args) => {
    arity('sortAlpha', args, 1);
    return Array.isArray(args[0]) ? strslice(args[0]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : [strval(args[0]!)];
  },
  join: (...args) => (arity('join', args, 2), strslice(args[1]!).join(str(args[0]!))),
  toStrings: (...args) => (arity('toStrings', args, 1), strslice(args[0]!)),
  splitList: (...args) => (arity('splitList', args, 2), goSplit(str(args[1]!), str(args[0]!), -1)),
  split: (...args) => {
    arity('split', args, 2);
    return Object.fromEntries(goSplit(str(args[1]!), str(args[0]!), -1).map((part, i) => [`_${i}`, part]));
  },
  splitn: (...args) => {
    arity('splitn', args, 3);
    return Object.fromEntries(goSplit(str(args[2]!), str(args[0]!), int(args[1]!)).map((part, i) => [`_${i}`, part]));
  },
  until: (...args) => {
    arity('until', args, 1);
    const count = int(args[0]!);
    return ints(untilStep(0, count, count < 0 ? -1 : 1));
  },
  untilStep: (...args) => (arity('untilStep', args, 3), ints(untilStep(int(args[0]!), int(args[1]!), int(args[2]!)))),
  seq: (...args) => seq(args.map(int)),
};

/** goSplit is strings.SplitN: an empty separator splits after each character; n < 0 is all, 0 is none. */
export function goSplit(text: string, separator: string, n: number): string[] {
  if (n === 0) return [];
  const parts = separator === '' ? [...text] : text.split(separator);
  if (n < 0 || parts.length <= n) return parts;
  const head = parts.slice(0, n - 1);
  return [...head, parts.slice(n - 1).join(separator)];
}

/** LIST_FUNCTIONS: with `tuple`, `push` and the `must` forms as the same functions. */
export const LIST_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  ...listFunctions,
  tuple: listFunctions.list!,
  push: listFunctions.append!,
  mustAppend: listFunctions.append!,
  mustPush: listFunctions.append!,
  mustPrepend: listFunctions.prepend!,
  mustFirst: listFunctions.first!,
  mustLast: listFunctions.last!,
  mustRest: listFunctions.rest!,
  mustInitial: listFunctions.initial!,
  mustReverse: listFunctions.reverse!,
  mustUniq: listFunctions.uniq!,
  mustWithout: listFunctions.without!,
  mustHas: listFunctions.has!,
  mustCompact: listFunctions.compact!,
  mustSlice: listFunctions.slice!,
  mustChunk: listFunctions.chunk!,
  mustMerge: listFunctions.merge!,
  mustMergeOverwrite: listFunctions.mergeOverwrite!,
  mustDeepCopy: listFunctions.deepCopy!,
};
