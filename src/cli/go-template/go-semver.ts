/**
 * Semantic versions as sprig's `semver` and `semverCompare` read them, through
 * Masterminds/semver v3 (`NewVersion`, which coerces `1.2` to 1.2.0 and takes a `v`;
 * `NewConstraint` and `Check`): comparisons, wildcards (`1.2.x`, `*`), `~` and `^`,
 * hyphen ranges, `,` or space for and, `||` for or, and prereleases matched only by a
 * constraint that names one.
 */

/** GoSemver is a `*semver.Version`. */
export class GoSemver {
  constructor(
    readonly major: number,
    readonly minor: number,
    readonly patch: number,
    readonly pre: string,
    readonly metadata: string,
    readonly original: string,
  ) {}

  /** toString is Version.String: major.minor.patch[-pre][+metadata]. */
  toString(): string {
    return `${this.major}.${this.minor}.${this.patch}${this.pre ? `-${this.pre}` : ''}${this.metadata ? `+${this.metadata}` : ''}`;
  }

  /** compare is Version.Compare: -1, 0 or 1, metadata ignored, a prerelease before its release. */
  compare(other: GoSemver): number {
    for (const [a, b] of [
      [this.major, other.major],
      [this.minor, other.minor],
      [this.patch, other.patch],
    ] as const) {
      if (a !== b) return a < b ? -1 : 1;
    }
    if (this.pre === other.pre) return 0;
    if (this.pre === '') return 1;
    if (other.pre === '') return -1;
    return comparePrerelease(this.pre, other.pre);
  }
}

const LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

function segment(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`error parsing version segment: strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return n;
}

/** parseVersion is semver.NewVersion (coercing, as v3.4 does by default). */
export function parseVersion(text: string): GoSemver {
  const m = LOOSE.exec(text);
  if (!m) throw new Error('invalid semantic version');
  const pre = m[5] ?? '';
  for (const part of pre === '' ? [] : pre.split('.')) {
    if (/^\d+$/.test(part) && part.length > 1 && part.startsWith('0')) throw new Error('version segment starts with 0');
  }
  return new GoSemver(segment(m[1]!), m[2] ? segment(m[2].slice(1)) : 0, m[3] ? segment(m[3].slice(1)) : 0, pre, m[8] ?? '', text);
}

function comparePrerelease(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = comparePart(x[i] ?? '', y[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

function comparePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sNum = /^\d+$/.test(s);
  const oNum = /^\d+$/.test(o);
  if (!sNum && !oNum) return s > o ? 1 : -1;
  if (!oNum) return -1;
  if (!sNum) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const CONSTRAINT = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const RANGE = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, 'g');
const FIND = new RegExp(String.raw`(${OPS})\s*(${CV})`, 'g');
const VALID = new RegExp(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`);

interface Constraint {
  op: string;
  orig: string;
  con: GoSemver;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isX = (text: string): boolean => text === 'x' || text === 'X' || text === '*';

function parseConstraint(text: string): Constraint {
  const m = CONSTRAINT.exec(text);
  if (!m) throw new Error(`improper constraint: ${JSON.stringify(text)}`);
  const [, op = '', orig = '', major = '', minorPart = '', patchPart = '', , pre = ''] = m;
  let version = orig;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  const preText = pre ? `-${pre}` : '';
  if (isX(major) || major === '') {
    version = `0.0.0${preText}`;
    dirty = true;
  } else if (isX(minorPart.slice(1)) || minorPart === '') {
    version = `${major}.0.0${preText}`;
    dirty = minorDirty = true;
  } else if (isX(patchPart.slice(1)) || patchPart === '') {
    version = `${major}${minorPart}.0${preText}`;
    dirty = patchDirty = true;
  }
  let con: GoSemver;
  try {
    con = parseVersion(version);
  } catch {
    throw new Error('constraint parser error');
  }
  return { op, orig, con, dirty, minorDirty, patchDirty };
}

/** check is one constraint's test of a version (constraints.go's constraint functions). */
function check(v: GoSemver, c: Constraint, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false;
  const { con } = c;
  const tilde = (): boolean => {
    if (v.compare(con) < 0) return false;
    if (con.major === 0 && con.minor === 0 && con.patch === 0 && !c.minorDirty && !c.patchDirty) return true;
    if (v.major !== con.major) return false;
    return v.minor === con.minor || c.minorDirty;
  };
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde() : v.compare(con) === 0;
    case '!=':
      if (c.dirty) {
        if (con.major !== v.major) return true;
        if (con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) return (v.pre !== '' || con.pre !== '') && comparePrerelease(v.pre, con.pre) !== 0;
      }
      return v.compare(con) !== 0;
    case '>':
      if (!c.dirty) return v.compare(con) === 1;
      if (v.major !== con.major) return v.major > con.major;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return v.compare(con) === 1;
    case '<':
      return v.compare(con) < 0;
    case '>=':
    case '=>':
      return v.compare(con) >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return v.compare(con) <= 0;
      if (v.major > con.major) return false;
      return !(v.major === con.major && v.minor > con.minor && !c.minorDirty);
    case '~':
    case '~>':
      return tilde();
    default: {
      // ^
      if (v.compare(con) < 0) return false;
      if (con.major > 0 || c.minorDirty) return v.major === con.major;
      if (v.major > 0) return false;
      if (con.minor > 0 || c.patchDirty) return v.minor === con.minor;
      if (v.minor > 0) return false;
      return con.patch === v.patch;
    }
  }
}

/** semverCompare is sprig's: whether the version meets the constraint; a malformed one is an error. */
export function semverCompare(constraint: string, version: string): boolean {
  const rewritten = constraint.replace(RANGE, (_whole, from: string, ...rest: unknown[]) => `>= ${from}, <= ${rest[9] as string} `);
  const ors = rewritten.split('||').map((or) => {
    if (!VALID.test(or)) throw new Error(`improper constraint: ${JSON.stringify(or)}`);
    const found = or.match(FIND) ?? [or];
    const parsed = found.map(parseConstraint);
    return { parsed, hasPre: parsed.some((c) => c.con.pre !== '') };
  });
  const v = parseVersion(version);
  return ors.some(({ parsed, hasPre }) => parsed.every((c) => check(v, c, hasPre)));
}
