import { arity, semverArg, str } from './args';
import { GoInt, GoSemver, GoTime, type GoValue } from './go-values';

/**
 * The methods a template may call on the Go values sprig makes, as `.Name` or with
 * arguments (`{{(semver "1.2.3").Compare $v}}`, `{{now.Format "2006"}}`): time.Time's
 * and *semver.Version's everyday ones. Each takes its arguments as Go checks them.
 */

type Method = (args: GoValue[]) => GoValue;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const none = (name: string, fn: () => GoValue): Method => (args) => (arity(name, args, 0), fn());

function timeMethods(t: GoTime): Record<string, Method> {
  const part = (layout: string): number => Number(t.format(layout));
  return {
    Unix: none('Unix', () => new GoInt(t.sec, 'int64')),
    UnixMilli: none('UnixMilli', () => new GoInt(t.sec * 1000 + Math.floor(t.nsec / 1e6), 'int64')),
    Year: none('Year', () => new GoInt(part('2006'))),
    // time.Month prints its name.
    Month: none('Month', () => MONTHS[part('1') - 1]!),
    Day: none('Day', () => new GoInt(part('2'))),
    YearDay: none('YearDay', () => new GoInt(part('002'))),
    Weekday: none('Weekday', () => t.format('Monday')),
    Hour: none('Hour', () => new GoInt(part('15'))),
    Minute: none('Minute', () => new GoInt(part('4'))),
    Second: none('Second', () => new GoInt(part('5'))),
    Nanosecond: none('Nanosecond', () => new GoInt(t.nsec)),
    UTC: none('UTC', () => t.in('UTC')),
    Local: none('Local', () => t.in('Local')),
    String: none('String', () => t.toString()),
    Format: (args) => (arity('Format', args, 1), t.format(str(args[0]!))),
  };
}

function semverMethods(v: GoSemver): Record<string, Method> {
  const compare = (name: string, test: (d: number) => GoValue): Method => (args) => (arity(name, args, 1), test(v.compare(semverArg(args[0]!))));
  return {
    Major: none('Major', () => new GoInt(v.major, 'uint64')),
    Minor: none('Minor', () => new GoInt(v.minor, 'uint64')),
    Patch: none('Patch', () => new GoInt(v.patch, 'uint64')),
    Prerelease: none('Prerelease', () => v.pre),
    Metadata: none('Metadata', () => v.metadata),
    Original: none('Original', () => v.original),
    String: none('String', () => v.toString()),
    Compare: compare('Compare', (d) => new GoInt(d)),
    LessThan: compare('LessThan', (d) => d < 0),
    LessThanEqual: compare('LessThanEqual', (d) => d <= 0),
    GreaterThan: compare('GreaterThan', (d) => d > 0),
    GreaterThanEqual: compare('GreaterThanEqual', (d) => d >= 0),
    Equal: compare('Equal', (d) => d === 0),
  };
}

/** methodOf is the method `name` of a value, or undefined when its type has none (maps and the rest have none). */
export function methodOf(value: GoValue, name: string): Method | undefined {
  const table = value instanceof GoTime ? timeMethods(value) : value instanceof GoSemver ? semverMethods(value) : undefined;
  return table && Object.hasOwn(table, name) ? table[name] : undefined;
}
