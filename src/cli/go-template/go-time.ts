/**
 * Go's `time` as sprig's date functions use it (`now`, `date`, `toDate`, `dateModify`,
 * `duration`, …): a GoTime value, Go's reference-time layouts ("2006-01-02T15:04:05Z07:00",
 * https://pkg.go.dev/time#pkg-constants) both ways, and `time.Duration`'s text. Zones
 * come from the platform's time-zone data (Intl), as Go's come from the system's; an
 * abbreviation the data lacks prints as Go prints a zone without one (`+01`).
 */

/** Zone: the machine's (`Local`), UTC, a named IANA zone, or a fixed offset a parsed time carried. */
export type Zone = 'Local' | 'UTC' | { iana: string } | { fixed: number; name: string };

/** GoTime is a `time.Time`: seconds and nanoseconds since the Unix epoch, in a zone. */
export class GoTime {
  constructor(
    readonly sec: number,
    readonly nsec: number,
    readonly zone: Zone = 'Local',
    /** seconds on the monotonic clock, as time.Now carries (printed `m=+0.001`); dropped by In, as in Go */
    readonly mono?: number,
  ) {}

  static now(): GoTime {
    const ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
    return new GoTime(Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n), 'Local', performance.now() / 1000);
  }

  static unix(sec: number, zone: Zone = 'Local'): GoTime {
    return new GoTime(sec, 0, zone);
  }

  /** ZERO is Go's `time.Time{}`: January 1, year 1, 00:00:00 UTC. */
  static readonly ZERO = new GoTime(-62135596800, 0, 'UTC');

  in(zone: Zone): GoTime {
    return new GoTime(this.sec, this.nsec, zone);
  }

  /** add adds nanoseconds, keeping the zone and the monotonic reading, as Time.Add. */
  add(ns: bigint): GoTime {
    const total = this.totalNs() + ns;
    const sec = floorDiv(total, 1_000_000_000n);
    return new GoTime(Number(sec), Number(total - sec * 1_000_000_000n), this.zone, this.mono === undefined ? undefined : this.mono + Number(ns) / 1e9);
  }

  totalNs(): bigint {
    return BigInt(this.sec) * 1_000_000_000n + BigInt(this.nsec);
  }

  /** format writes the time by a Go layout. */
  format(layout: string): string {
    return formatLayout(this, layout);
  }

  /** toString is Time.String: "2006-01-02 15:04:05.999999999 -0700 MST", then ` m=±s` when monotonic. */
  toString(): string {
    let text = this.format('2006-01-02 15:04:05.999999999 -0700 MST');
    if (this.mono !== undefined) text += ` m=${this.mono < 0 ? '-' : '+'}${Math.abs(this.mono).toFixed(9)}`;
    return text;
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** loadZone is time.LoadLocation: an IANA name, or `Local` and `UTC` (and ""), Go's own; undefined when unknown. */
export function loadZone(name: string): Zone | undefined {
  if (name === 'Local') return 'Local';
  if (name === '' || name === 'UTC') return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return { iana: name };
  } catch {
    return undefined;
  }
}

interface ZoneAt {
  offset: number;
  abbr: string;
}

/** zoneAt is a zone's offset (seconds east of UTC) and abbreviation at an instant. */
function zoneAt(zone: Zone, sec: number): ZoneAt {
  if (zone === 'UTC') return { offset: 0, abbr: 'UTC' };
  // A zone with no name prints as -0700 does (Go's stdTZ fallback).
  if (typeof zone === 'object' && 'fixed' in zone) return { offset: zone.fixed, abbr: zone.name || zoneText('-0700', zone.fixed) };
  const timeZone = zone === 'Local' ? undefined : zone.iana;
  const date = new Date(sec * 1000);
  if (Number.isNaN(date.getTime())) return { offset: 0, abbr: 'UTC' };
  const part = (style: 'longOffset' | 'short'): string =>
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: style }).formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?$/.exec(part('longOffset'));
  const offset = m?.[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) : 0;
  const short = part('short');
  // "GMT+5:30" is Intl's way of having no abbreviation: Go's is the offset, "+0530".
  const abbr = /^(GMT|UTC)([+-]|$)/.test(short) ? (offset === 0 ? short.replace(/[+-].*$/, '') : offsetName(offset)) : short;
  return { offset, abbr };
}

/** offsetName is how Go names a zone with no abbreviation: `+01`, `-0530`. */
function offsetName(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const h = String(Math.floor(abs / 3600)).padStart(2, '0');
  const m = Math.floor((abs % 3600) / 60);
  return m === 0 ? `${sign}${h}` : `${sign}${h}${String(m).padStart(2, '0')}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A layout piece: literal text, or one of Go's std chunks (time/format.go nextStdChunk). */
type Chunk = { text: string } | { std: string; digits?: number };

/**
 * STD: Go's layout elements in the order nextStdChunk tries them where several start
 * alike (January before Jan, 2006 before 2, 15 before 1, __2 after _2).
 */
const STD = [
  'January', 'Jan', 'Monday', 'Mon', 'MST',
  '01', '02', '03', '04', '05', '06', '002', '15', '1', '2006', '2', '_2', '__2', '3', '4', '5', 'PM', 'pm',
  '-070000', '-07:00:00', '-0700', '-07:00', '-07', 'Z070000', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07',
];

/** chunks splits a layout as Go's nextStdChunk does. */
function chunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let text = '';
  const flush = (): void => {
    if (text) out.push({ text });
    text = '';
  };
  let i = 0;
  while (i < layout.length) {
    const rest = layout.slice(i);
    // _2006 is a literal _ and the year, not the padded day.
    // Jan and Mon followed by a lower-case letter are words ("Janet", "Money"), as in Go.
    const name = rest.startsWith('_2006') ? undefined : STD.find((s) => rest.startsWith(s) && !((s === 'Jan' || s === 'Mon') && /^[a-z]/.test(rest.slice(3))));
    if (name) {
      flush();
      out.push({ std: name });
      i += name.length;
      continue;
    }
    // A comma or point and a run of 0s or 9s not followed by a digit: fractional seconds.
    const fraction = /^[.,](0+|9+)(?![0-9])/.exec(rest);
    if (fraction) {
      flush();
      out.push({ std: `${rest[0]}${fraction[1]![0]}`, digits: fraction[1]!.length });
      i += fraction[0].length;
      continue;
    }
    text += layout[i];
    i++;
  }
  flush();
  return out;
}

/** utcMs is Date.UTC without its mapping of years 0 to 99 onto 1900 to 1999. */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function zoneText(name: string, offset: number): string {
  if (name.startsWith('Z') && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const h = pad(Math.floor(abs / 3600), 2);
  const m = pad(Math.floor((abs % 3600) / 60), 2);
  const s = pad(abs % 60, 2);
  switch (name.slice(1)) {
    case '070000':
      return `${sign}${h}${m}${s}`;
    case '07:00:00':
      return `${sign}${h}:${m}:${s}`;
    case '0700':
      return `${sign}${h}${m}`;
    case '07:00':
      return `${sign}${h}:${m}`;
    default:
      return `${sign}${h}`;
  }
}

/** formatLayout is Time.Format. */
export function formatLayout(time: GoTime, layout: string): string {
  const { offset, abbr } = zoneAt(time.zone, time.sec);
  const d = new Date((time.sec + offset) * 1000);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  const yday = Math.floor((utcMs(year, month, day) - utcMs(year, 0, 1)) / 86_400_000) + 1;
  let out = '';
  for (const chunk of chunks(layout)) {
    if ('text' in chunk) {
      out += chunk.text;
      continue;
    }
    switch (chunk.std) {
      case 'January': out += MONTHS[month]; break;
      case 'Jan': out += MONTHS[month]!.slice(0, 3); break;
      case 'Monday': out += DAYS[d.getUTCDay()]; break;
      case 'Mon': out += DAYS[d.getUTCDay()]!.slice(0, 3); break;
      case 'MST': out += abbr; break;
      case '01': out += pad(month + 1, 2); break;
      case '1': out += month + 1; break;
      case '02': out += pad(day, 2); break;
      case '2': out += day; break;
      case '_2': out += String(day).padStart(2, ' '); break;
      case '002': out += pad(yday, 3); break;
      case '__2': out += String(yday).padStart(3, ' '); break;
      case '2006': out += year < 0 ? `-${pad(-year, 4)}` : pad(year, 4); break;
      case '06': out += pad(year % 100, 2); break;
      case '15': out += pad(hour, 2); break;
      case '03': out += pad(hour % 12 === 0 ? 12 : hour % 12, 2); break;
      case '3': out += hour % 12 === 0 ? 12 : hour % 12; break;
      case '04': out += pad(d.getUTCMinutes(), 2); break;
      case '4': out += d.getUTCMinutes(); break;
      case '05': out += pad(d.getUTCSeconds(), 2); break;
      case '5': out += d.getUTCSeconds(); break;
      case 'PM': out += hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += hour >= 12 ? 'pm' : 'am'; break;
      default:
        if (/^[-Z]/.test(chunk.std)) out += zoneText(chunk.std, offset);
        else out += fraction(chunk.std, chunk.digits!, time.nsec);
    }
  }
  return out;
}

/** fraction writes `.000` (fixed digits) or `.999` (trailing zeros dropped, nothing when zero). */
function fraction(std: string, digits: number, nsec: number): string {
  let text = pad(nsec, 9).slice(0, digits);
  const separator = std[0]!;
  if (std[1] === '9') {
    text = text.replace(/0+$/, '');
    return text ? `${separator}${text}` : '';
  }
  return `${separator}${text}`;
}

/**
 * parseLayout is time.ParseInLocation: the value read by the layout's chunks; a zone
 * offset in the value makes a fixed zone (the location's own when it matches). A value
 * that does not fit is an Error, in Go's words where they are short.
 */
export function parseLayout(layout: string, value: string, zone: Zone): GoTime {
  let rest = value;
  let year = 1;
  let month = 1;
  let day = 1;
  let yday = -1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nsec = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  let zoneName: string | undefined;
  const bad = (what: string): never => {
    throw new Error(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(what)}`);
  };
  const num = (std: string, min: number, max: number, spaces = false): number => {
    if (spaces) rest = rest.replace(/^ +/, '');
    const m = new RegExp(`^\\d{${min},${max}}`).exec(rest);
    if (!m) return bad(std);
    rest = rest.slice(m[0].length);
    return Number(m[0]);
  };
  const word = (std: string, names: string[]): number => {
    const i = names.findIndex((n) => rest.toLowerCase().startsWith(n.toLowerCase()));
    if (i < 0) return bad(std);
    rest = rest.slice(names[i]!.length);
    return i;
  };
  for (const chunk of chunks(layout)) {
    if ('text' in chunk) {
      if (!rest.startsWith(chunk.text)) bad(chunk.text);
      rest = rest.slice(chunk.text.length);
      continue;
    }
    const s = chunk.std;
    switch (s) {
      case 'January': month = word(s, MONTHS) + 1; break;
      case 'Jan': month = word(s, MONTHS.map((m) => m.slice(0, 3))) + 1; break;
      case 'Monday': word(s, DAYS); break;
      case 'Mon': word(s, DAYS.map((m) => m.slice(0, 3))); break;
      case 'MST': {
        const m = /^(UTC|[A-Z]{3,5}|[+-]\d{2,4})/.exec(rest);
        if (!m) bad(s);
        zoneName = m![0];
        rest = rest.slice(zoneName.length);
        break;
      }
      case '01': case '1': month = num(s, s.length, 2); break;
      case '02': case '2': day = num(s, s.length, 2); break;
      case '_2': day = num(s, 1, 2, true); break;
      case '002': yday = num(s, 3, 3); break;
      case '__2': yday = num(s, 1, 3, true); break;
      case '2006': year = num(s, 4, 4); break;
      case '06': year = num(s, 2, 2); year += year >= 69 ? 1900 : 2000; break;
      case '15': hour = num(s, 2, 2); break;
      case '03': case '3': hour = num(s, s.length, 2); break;
      case '04': case '4': minute = num(s, s.length, 2); break;
      case '05': case '5': {
        second = num(s, s.length, 2);
        // A fraction after seconds is read even where the layout has none (Go does).
        const f = /^[.,](\d+)/.exec(rest);
        if (f && !layout.includes('.0') && !layout.includes('.9') && !layout.includes(',0') && !layout.includes(',9')) {
          nsec = Number(f[1]!.slice(0, 9).padEnd(9, '0'));
          rest = rest.slice(f[0].length);
        }
        break;
      }
      case 'PM': case 'pm': pm = word(s, ['AM', 'PM']) === 1; break;
      default:
        if (/^[-Z]/.test(s)) {
          if (s.startsWith('Z') && rest.startsWith('Z')) {
            rest = rest.slice(1);
            offset = 0;
            zoneName = 'UTC';
            break;
          }
          const m = /^([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?/.exec(rest);
          if (!m) bad(s);
          offset = (m![1] === '-' ? -1 : 1) * (Number(m![2]) * 3600 + Number(m![3] ?? 0) * 60 + Number(m![4] ?? 0));
          rest = rest.slice(m![0].length);
        } else {
          const f = /^[.,](\d+)/.exec(rest);
          if (!f) {
            if (s[1] === '9') break;
            bad(s);
          }
          nsec = Number(f![1]!.slice(0, 9).padEnd(9, '0'));
          rest = rest.slice(f![0].length);
        }
    }
  }
  if (rest !== '') throw new Error(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(rest)}`);
  if (pm !== undefined) {
    if (hour > 12) throw new Error(`parsing time ${JSON.stringify(value)}: hour out of range`);
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
  }
  if (month < 1 || month > 12) throw new Error(`parsing time ${JSON.stringify(value)}: month out of range`);
  if (hour > 23 || minute > 59 || second > 59) throw new Error(`parsing time ${JSON.stringify(value)}: ${hour > 23 ? 'hour' : minute > 59 ? 'minute' : 'second'} out of range`);
  if (yday >= 0) {
    const d = new Date(utcMs(year, 0, yday));
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  }
  const daysIn = new Date(utcMs(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysIn) throw new Error(`parsing time ${JSON.stringify(value)}: day out of range`);
  const wall = utcMs(year, month - 1, day, hour, minute, second) / 1000;
  if (offset !== undefined) {
    const sec = wall - offset;
    const local = zoneAt(zone, sec);
    if (local.offset === offset) return new GoTime(sec, nsec, zone);
    return new GoTime(sec, nsec, offset === 0 && zoneName === 'UTC' ? 'UTC' : { fixed: offset, name: '' });
  }
  if (zoneName !== undefined) {
    if (zoneName === 'UTC') return new GoTime(wall, nsec, 'UTC');
    const guess = zoneAt(zone, wall);
    if (guess.abbr === zoneName) return new GoTime(wall - guess.offset, nsec, zone);
    return new GoTime(wall, nsec, { fixed: 0, name: zoneName });
  }
  if (zone === 'UTC') return new GoTime(wall, nsec, 'UTC');
  // The wall clock in the zone: its offset at the guessed instant, checked once more across a change.
  let sec = wall - zoneAt(zone, wall).offset;
  sec = wall - zoneAt(zone, sec).offset;
  return new GoTime(sec, nsec, zone);
}

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, µs: 1000n, μs: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** parseDuration is time.ParseDuration: "300ms", "-1.5h", "2h45m". */
export function parseDuration(text: string): bigint {
  const fail = (): never => {
    throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  };
  let rest = text;
  let sign = 1n;
  if (rest[0] === '-' || rest[0] === '+') {
    if (rest[0] === '-') sign = -1n;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') fail();
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
      if (/^[\d.]+$/.test(rest)) throw new Error(`time: missing unit in duration ${JSON.stringify(text)}`);
      if (/^[\d.]+/.test(rest)) throw new Error(`time: unknown unit ${JSON.stringify(rest.replace(/^[\d.]+/, '').replace(/[\d.].*$/, ''))} in duration ${JSON.stringify(text)}`);
      fail();
    }
    const unit = UNITS[m![3]!]!;
    const whole = BigInt(m![1] || '0');
    const frac = m![2] ?? '';
    let value = whole * unit;
    if (frac !== '') value += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += value;
    rest = rest.slice(m![0].length);
  }
  return sign * total;
}

/** fmtFrac writes the fraction of `v` with `prec` digits, trailing zeros dropped (time/time.go). */
function fmtFrac(v: bigint, prec: number): { text: string; rest: bigint } {
  let text = '';
  let printed = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    printed ||= digit !== 0n;
    if (printed) text = `${digit}${text}`;
    v /= 10n;
  }
  return { text: printed ? `.${text}` : '', rest: v };
}

/** durationString is Duration.String: "1h2m3.5s", "1.5ms", "0s". */
export function durationString(ns: bigint): string {
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let text: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    const [prec, unit] = u < 1000n ? [0, 'ns'] : u < 1_000_000n ? [3, 'µs'] : [6, 'ms'];
    const { text: frac, rest } = fmtFrac(u, prec);
    text = `${rest}${frac}${unit}`;
  } else {
    const { text: frac, rest } = fmtFrac(u, 9);
    u = rest;
    text = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      text = `${u % 60n}m${text}`;
      u /= 60n;
      if (u > 0n) text = `${u}h${text}`;
    }
  }
  return neg ? `-${text}` : text;
}
