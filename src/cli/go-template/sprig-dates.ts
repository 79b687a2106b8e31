import { arity, str, time, type TemplateFunction } from './args';
import { GoInt, GoTime, type GoValue } from './go-values';
import { durationString, loadZone, parseDuration, parseLayout } from './go-time';

/**
 * sprig's dates (`date.go`): `now`, `date`/`dateInZone` by Go layouts, `toDate`,
 * `dateModify`, `unixEpoch`, `ago`, `duration`, `durationRound`. As in sprig, a date
 * is a time or Unix seconds as an int or int64; anything else (a float64 from JSON
 * too) is now. An unknown zone is UTC.
 */

/** instant is sprig's reading of a `date` argument. */
function instant(value: GoValue): GoTime {
  if (value instanceof GoTime) return value;
  if (value instanceof GoInt && (value.kind === 'int' || value.kind === 'int64')) return GoTime.unix(value.value);
  return GoTime.now();
}

function dateInZone(layout: GoValue, date: GoValue, zone: GoValue): string {
  return instant(date).in(loadZone(str(zone)) ?? 'UTC').format(str(layout));
}

function durationOf(value: GoValue): bigint {
  if (typeof value === 'string') {
    try {
      return parseDuration(value);
    } catch {
      return 0n;
    }
  }
  if (value instanceof GoInt && value.kind === 'int64') return BigInt(value.value);
  if (value instanceof GoTime) return GoTime.now().totalNs() - value.totalNs();
  return 0n;
}

/** durationRound is sprig's: the largest whole unit of a duration (`2h`, `3mo`, `1y`). */
function durationRound(ns: bigint): string {
  const u = ns < 0n ? -ns : ns;
  const second = 1_000_000_000n;
  const units: Array<[bigint, string]> = [
    [second * 3600n * 24n * 365n, 'y'],
    [second * 3600n * 24n * 30n, 'mo'],
    [second * 3600n * 24n, 'd'],
    [second * 3600n, 'h'],
    [second * 60n, 'm'],
    [second, 's'],
  ];
  for (const [size, name] of units) if (u > size) return `${u / size}${name}`;
  return '0s';
}

const dateFunctions: Record<string, TemplateFunction> = {
  now: (...args) => (arity('now', args, 0), GoTime.now()),
  date: (...args) => (arity('date', args, 2), dateInZone(args[0]!, args[1]!, 'Local')),
  dateInZone: (...args) => (arity('dateInZone', args, 3), dateInZone(args[0]!, args[1]!, args[2]!)),
  htmlDate: (...args) => (arity('htmlDate', args, 1), dateInZone('2006-01-02', args[0]!, 'Local')),
  htmlDateInZone: (...args) => (arity('htmlDateInZone', args, 2), dateInZone('2006-01-02', args[0]!, args[1]!)),
  dateModify: (...args) => {
    arity('dateModify', args, 2);
    const t = time(args[1]!);
    try {
      return t.add(parseDuration(str(args[0]!)));
    } catch {
      return t;
    }
  },
  mustDateModify: (...args) => (arity('mustDateModify', args, 2), time(args[1]!).add(parseDuration(str(args[0]!)))),
  toDate: (...args) => {
    arity('toDate', args, 2);
    try {
      return parseLayout(str(args[0]!), str(args[1]!), 'Local');
    } catch {
      return GoTime.ZERO;
    }
  },
  mustToDate: (...args) => (arity('mustToDate', args, 2), parseLayout(str(args[0]!), str(args[1]!), 'Local')),
  unixEpoch: (...args) => (arity('unixEpoch', args, 1), String(time(args[0]!).sec)),
  ago: (...args) => {
    arity('ago', args, 1);
    const ns = GoTime.now().totalNs() - instant(args[0]!).totalNs();
    // Rounded to the second, halves away from zero (Duration.Round).
    const second = 1_000_000_000n;
    const abs = ns < 0n ? -ns : ns;
    const rounded = ((abs + second / 2n) / second) * second;
    return durationString(ns < 0n ? -rounded : rounded);
  },
  duration: (...args) => {
    arity('duration', args, 1);
    const value = args[0]!;
    // Seconds: a string of digits or an int64 (an int, as a literal is, is 0, as in sprig).
    const seconds = typeof value === 'string' ? (/^[+-]?\d+$/.test(value) ? BigInt(value) : 0n) : value instanceof GoInt && value.kind === 'int64' ? BigInt(value.value) : 0n;
    return durationString(seconds * 1_000_000_000n);
  },
  durationRound: (...args) => (arity('durationRound', args, 1), durationRound(durationOf(args[0]!))),
};

export const DATE_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  ...dateFunctions,
  date_in_zone: dateFunctions.dateInZone!,
  date_modify: dateFunctions.dateModify!,
  must_date_modify: dateFunctions.mustDateModify!,
};
