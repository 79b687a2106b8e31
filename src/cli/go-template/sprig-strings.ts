import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { arity, bounded, int, str, strval, type TemplateFunction } from './args';
import { goQuote } from './builtins';
import { NO_VALUE, type GoValue } from './go-values';

/**
 * sprig's strings (`strings.go`, with goutils and xstrings behind some) and encodings
 * and checksums (`crypto.go`'s hashes, base64, base32). Lengths and offsets count
 * bytes, as Go's do.
 */

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const isNil = (value: GoValue): boolean => value === null || value === NO_VALUE;

/** SPACE is unicode.IsSpace. */
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

/** title is strings.Title: the first letter of each word upper-cased, words split where isSeparator says. */
function title(text: string): string {
  let previous = ' ';
  let out = '';
  for (const ch of text) {
    out += isSeparator(previous) ? ch.toUpperCase() : ch;
    previous = ch;
  }
  return out;
}

function isSeparator(ch: string): boolean {
  if (/^[A-Za-z0-9_]$/.test(ch)) return false;
  if (ch.charCodeAt(0) < 0x80) return true;
  if (/^[\p{L}\p{N}]$/u.test(ch)) return false;
  return SPACE.test(ch);
}

/** uncapitalize is goutils.Uncapitalize (sprig's untitle): the first letter of each space-separated word lower-cased. */
function uncapitalize(text: string): string {
  let next = true;
  let out = '';
  for (const ch of text) {
    if (SPACE.test(ch)) {
      next = true;
      out += ch;
    } else {
      out += next ? ch.toLowerCase() : ch;
      next = false;
    }
  }
  return out;
}

/** swapCase is goutils.SwapCase: upper to lower, lower to upper, but a lower letter starting a word becomes title case. */
function swapCase(text: string): string {
  let space = true;
  let out = '';
  for (const ch of text) {
    const upper = ch.toUpperCase();
    const lower = ch.toLowerCase();
    if (ch !== lower) {
      out += lower;
      space = false;
    } else if (ch !== upper) {
      out += upper;
      space = false;
    } else {
      out += ch;
      space = SPACE.test(ch);
    }
  }
  return out;
}

/** wrap is goutils.WrapCustom: lines broken at the last space within `width`; long words kept whole unless `long`. */
function wrap(text: string, width: number, newline: string, long: boolean): string {
  if (text === '') return '';
  const nl = newline === '' ? '\n' : newline;
  const w = Math.max(1, width);
  let offset = 0;
  let out = '';
  while (text.length - offset > w) {
    if (text[offset] === ' ') {
      offset++;
      continue;
    }
    const space = text.slice(offset, w + offset + 1).lastIndexOf(' ') + offset;
    if (space >= offset) {
      out += text.slice(offset, space) + nl;
      offset = space + 1;
    } else if (long) {
      out += text.slice(offset, offset + w) + nl;
      offset += w;
    } else {
      const next = text.indexOf(' ', offset + w);
      if (next >= 0) {
        out += text.slice(offset, next) + nl;
        offset = next + 1;
      } else {
        out += text.slice(offset);
        offset = text.length;
      }
    }
  }
  return out + text.slice(offset);
}

/** trunc cuts to `count` bytes (from the end when negative), as sprig's trunc. */
function trunc(count: number, text: string): string {
  const b = bytes(text);
  if (count < 0 && b.length + count > 0) return b.subarray(b.length + count).toString('utf8');
  if (count >= 0 && b.length > count) return b.subarray(0, count).toString('utf8');
  return text;
}

/** substr is sprig's substring: start < 0 is from the beginning, end < 0 or past the end is to the end. */
function substr(start: number, end: number, text: string): string {
  const b = bytes(text);
  const outOfRange = (lo: number, hi: number): never => {
    throw new Error(`runtime error: slice bounds out of range [${lo}:${hi}] with length ${b.length}`);
  };
  if (start < 0) {
    if (end < 0 || end > b.length) outOfRange(0, end);
    return b.subarray(0, end).toString('utf8');
  }
  if (end < 0 || end > b.length) {
    if (start > b.length) outOfRange(start, b.length);
    return b.subarray(start).toString('utf8');
  }
  if (start > end) outOfRange(start, end);
  return b.subarray(start, end).toString('utf8');
}

/** abbreviateFull is goutils.AbbreviateFull, used by abbrev and abbrevboth. */
function abbreviateFull(text: string, offset: number, width: number): string {
  if (text === '' || width < 4) return text;
  if (text.length <= width) return text;
  let at = Math.min(offset, text.length);
  if (text.length - at < width - 3) at = text.length - (width - 3);
  if (at <= 4) return `${text.slice(0, width - 3)}...`;
  if (width < 7) return text;
  if (at + width - 3 < text.length) return `...${abbreviateFull(text.slice(at), 0, width - 3)}`;
  return `...${text.slice(text.length - (width - 3))}`;
}

/** words splits for the case helpers: at spaces, `_`, `-`, and where lower turns upper (HTTPServer → HTTP Server). */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter((w) => w !== '');
}

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

function random(count: number, alphabet: string): string {
  if (count < 0) throw new Error(`Requested random string length ${count} is less than 0.`);
  bounded('random', count);
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Encode(data: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

/** base32Decode is base32.StdEncoding.DecodeString; a bad input says so as Go does, and sprig prints that. */
function base32Decode(text: string): string {
  if (text.length % 8 !== 0) return `illegal base32 data at input byte ${Math.floor(text.length / 8) * 8}`;
  const body = text.replace(/=+$/, '');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = BASE32.indexOf(body[i]!);
    if (digit < 0) return `illegal base32 data at input byte ${i}`;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out).toString('utf8');
}

/** base64Decode is base64.StdEncoding.DecodeString (strict: padding required); a bad input becomes Go's error text, as sprig returns it. */
function base64Decode(text: string): string {
  const clean = text.replace(/[\r\n]/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(clean);
  if (bad) return `illegal base64 data at input byte ${bad.index}`;
  if (clean.length % 4 !== 0 || /=[^=]/.test(clean) || /={3,}$/.test(clean)) {
    const at = clean.indexOf('=') >= 0 && /=[^=]/.test(clean) ? clean.indexOf('=') : Math.floor(clean.length / 4) * 4;
    return `illegal base64 data at input byte ${at}`;
  }
  return Buffer.from(clean, 'base64').toString('utf8');
}

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const one = (name: string, fn: (text: string) => GoValue): TemplateFunction => (...args) => (arity(name, args, 1), fn(str(args[0]!)));
const two = (name: string, fn: (a: string, b: string) => GoValue): TemplateFunction => (...args) => (arity(name, args, 2), fn(str(args[0]!), str(args[1]!)));

/** spaces is a count for strings.Repeat, which panics on a negative one. */
function spaces(count: number): number {
  if (count < 0) throw new Error('strings: negative Repeat count');
  return count;
}

/** trimSet is strings.Trim with a cutset. */
function trimSet(text: string, cutset: string): string {
  const set = new Set(cutset);
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && set.has(chars[start]!)) start++;
  while (end > start && set.has(chars[end - 1]!)) end--;
  return chars.slice(start, end).join('');
}

export const STRING_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  trim: one('trim', (s) => s.replace(new RegExp(`^${SPACE.source}+|${SPACE.source}+$`, 'gu'), '')),
  upper: one('upper', (s) => s.toUpperCase()),
  lower: one('lower', (s) => s.toLowerCase()),
  title: one('title', title),
  untitle: one('untitle', uncapitalize),
  swapcase: one('swapcase', swapCase),
  wrap: (...args) => (arity('wrap', args, 2), wrap(str(args[1]!), int(args[0]!), '', false)),
  wrapWith: (...args) => (arity('wrapWith', args, 3), wrap(str(args[2]!), int(args[0]!), str(args[1]!), true)),
  shuffle: one('shuffle', (s) => {
    const chars = [...s];
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    return chars.join('');
  }),
  hello: (...args) => {
    arity('hello', args, 0);
    return 'Hello!';
  },
  snakecase: one('snakecase', (s) => words(s).map((w) => w.toLowerCase()).join('_')),
  kebabcase: one('kebabcase', (s) => words(s).map((w) => w.toLowerCase()).join('-')),
  camelcase: one('camelcase', (s) => s.split('_').map((w) => (w === '' ? '' : w[0]!.toUpperCase() + w.slice(1))).join('')),
  nospace: one('nospace', (s) => [...s].filter((c) => !SPACE.test(c)).join('')),
  initials: one('initials', (s) => s.split(SPACE).filter((w) => w !== '').map((w) => [...w][0]).join('')),
  trunc: (...args) => (arity('trunc', args, 2), trunc(int(args[0]!), str(args[1]!))),
  abbrev: (...args) => (arity('abbrev', args, 2), abbreviateFull(str(args[1]!), 0, int(args[0]!))),
  abbrevboth: (...args) => {
    arity('abbrevboth', args, 3);
    const [left, right, text] = [int(args[0]!), int(args[1]!), str(args[2]!)];
    return right < 4 || (left > 0 && right < 7) ? text : abbreviateFull(text, left, right);
  },
  substr: (...args) => (arity('substr', args, 3), substr(int(args[0]!), int(args[1]!), str(args[2]!))),
  repeat: (...args) => {
    arity('repeat', args, 2);
    const count = int(args[0]!);
    if (count < 0) throw new Error('strings: negative Repeat count');
    const text = str(args[1]!);
    bounded('repeat', count * text.length);
    return text.repeat(count);
  },
  trimAll: two('trimAll', (cutset, s) => trimSet(s, cutset)),
  trimall: two('trimall', (cutset, s) => trimSet(s, cutset)),
  trimPrefix: two('trimPrefix', (prefix, s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s)),
  trimSuffix: two('trimSuffix', (suffix, s) => (suffix !== '' && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s)),
  contains: two('contains', (sub, s) => s.includes(sub)),
  hasPrefix: two('hasPrefix', (prefix, s) => s.startsWith(prefix)),
  hasSuffix: two('hasSuffix', (suffix, s) => s.endsWith(suffix)),
  quote: (...args) => args.filter((a) => !isNil(a)).map((a) => goQuote(strval(a))).join(' '),
  squote: (...args) => args.filter((a) => !isNil(a)).map((a) => `'${strval(a)}'`).join(' '),
  cat: (...args) => args.filter((a) => !isNil(a)).map(strval).join(' '),
  indent: (...args) => {
    arity('indent', args, 2);
    const pad = ' '.repeat(bounded('indent', spaces(int(args[0]!))));
    return pad + str(args[1]!).replaceAll('\n', `\n${pad}`);
  },
  nindent: (...args) => {
    arity('nindent', args, 2);
    const pad = ' '.repeat(bounded('nindent', spaces(int(args[0]!))));
    return `\n${pad}${str(args[1]!).replaceAll('\n', `\n${pad}`)}`;
  },
  replace: (...args) => {
    arity('replace', args, 3);
    const [old, replacement, s] = [str(args[0]!), str(args[1]!), str(args[2]!)];
    return old === '' ? [...s].map((c) => replacement + c).join('') + replacement : s.split(old).join(replacement);
  },
  plural: (...args) => (arity('plural', args, 3), int(args[2]!) === 1 ? str(args[0]!) : str(args[1]!)),
  toString: (...args: GoValue[]) => (arity('toString', args, 1), strval(args[0]!)),
  randAlphaNum: (...args) => (arity('randAlphaNum', args, 1), random(int(args[0]!), ALPHA + DIGITS)),
  randAlpha: (...args) => (arity('randAlpha', args, 1), random(int(args[0]!), ALPHA)),
  randNumeric: (...args) => (arity('randNumeric', args, 1), random(int(args[0]!), DIGITS)),
  randAscii: (...args) => (arity('randAscii', args, 1), random(int(args[0]!), ASCII)),
  randBytes: (...args) => (arity('randBytes', args, 1), randomBytes(bounded('randBytes', Math.max(0, int(args[0]!)))).toString('base64')),
  uuidv4: (...args) => {
    arity('uuidv4', args, 0);
    return randomUUID();
  },
  // Encodings and checksums.
  b64enc: one('b64enc', (s) => bytes(s).toString('base64')),
  b64dec: one('b64dec', base64Decode),
  b32enc: one('b32enc', (s) => base32Encode(bytes(s))),
  b32dec: one('b32dec', base32Decode),
  sha1sum: one('sha1sum', (s) => createHash('sha1').update(s, 'utf8').digest('hex')),
  sha256sum: one('sha256sum', (s) => createHash('sha256').update(s, 'utf8').digest('hex')),
  adler32sum: one('adler32sum', (s) => String(adler32(bytes(s)))),
};
