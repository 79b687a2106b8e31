import { randomBytes } from 'node:crypto';

/**
 * bcrypt as golang.org/x/crypto/bcrypt makes it for sprig's `bcrypt` and `htpasswd`
 * (`$2a$`, cost 10 by default, the password with its trailing NUL as the key, at most
 * 72 bytes): Blowfish's expensive key schedule (Provos and Mazières, "A Future-Adaptable
 * Password Scheme", 1999) over Node's BigInt and typed arrays. Blowfish's initial state
 * is the fraction of π, computed once (Machin's formula) the first time it is needed
 * rather than carried as four kilobytes of constants.
 */

/** DEFAULT_COST: bcrypt.DefaultCost, 2^10 rounds of the key schedule. */
export const DEFAULT_COST = 10;

let piState: Uint32Array | undefined;

/** piWords is the first `count` 32-bit words of π's fraction in hexadecimal (0x243f6a88, …). */
function piWords(count: number): Uint32Array {
  const bits = BigInt(count * 32 + 64);
  const one = 1n << bits;
  const arctanInverse = (x: bigint): bigint => {
    let sum = 0n;
    let term = one / x;
    const x2 = x * x;
    for (let k = 1n, positive = true; term !== 0n; k += 2n, positive = !positive) {
      sum += positive ? term / k : -(term / k);
      term /= x2;
    }
    return sum;
  };
  // π = 16·atan(1/5) − 4·atan(1/239); 64 guard bits absorb the truncations.
  const fraction = (16n * arctanInverse(5n) - 4n * arctanInverse(239n) - 3n * one) >> 64n;
  const words = new Uint32Array(count);
  for (let i = 0; i < count; i++) words[i] = Number((fraction >> BigInt((count - 1 - i) * 32)) & 0xffffffffn);
  return words;
}

/** Blowfish state: P (18 words) then the four S-boxes (256 words each). */
class Blowfish {
  readonly p: Uint32Array;
  readonly s: Uint32Array;

  constructor() {
    piState ??= piWords(18 + 1024);
    this.p = piState.slice(0, 18);
    this.s = piState.slice(18);
  }

  private f(x: number): number {
    const s = this.s;
    return (((s[x >>> 24]! + s[256 + ((x >>> 16) & 0xff)]!) ^ s[512 + ((x >>> 8) & 0xff)]!) + s[768 + (x & 0xff)]!) >>> 0;
  }

  encrypt(block: Uint32Array, at: number): void {
    const p = this.p;
    let l = block[at]! ^ p[0]!;
    let r = block[at + 1]!;
    for (let n = 1; n <= 16; n += 2) {
      r ^= this.f(l) ^ p[n]!;
      l ^= this.f(r) ^ p[n + 1]!;
    }
    block[at] = (r ^ p[17]!) >>> 0;
    block[at + 1] = l >>> 0;
  }

  /** expand is Blowfish_expandstate (with data) or Blowfish_expand0state (without): the key into P, then P and S re-made by encryption. */
  expand(key: Uint8Array, data?: Uint8Array): void {
    const keyStream = stream(key);
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i]! ^ keyStream()) >>> 0;
    const dataStream = data ? stream(data) : () => 0;
    const block = new Uint32Array(2);
    const fill = (target: Uint32Array): void => {
      for (let i = 0; i < target.length; i += 2) {
        block[0] = block[0]! ^ dataStream();
        block[1] = block[1]! ^ dataStream();
        this.encrypt(block, 0);
        target[i] = block[0]!;
        target[i + 1] = block[1]!;
      }
    };
    fill(this.p);
    fill(this.s);
  }
}

/** stream reads 32-bit big-endian words from bytes, round and round (Blowfish_stream2word). */
function stream(bytes: Uint8Array): () => number {
  let j = 0;
  return () => {
    let word = 0;
    for (let i = 0; i < 4; i++) {
      word = ((word << 8) | bytes[j]!) >>> 0;
      j = (j + 1) % bytes.length;
    }
    return word;
  };
}

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BCRYPT = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** encode is bcrypt's base64: its own alphabet, no padding. */
function encode(bytes: Uint8Array): string {
  return [...Buffer.from(bytes).toString('base64').replace(/=+$/, '')].map((ch) => BCRYPT[STANDARD.indexOf(ch)]).join('');
}

/** decode reads bcrypt's base64 (a salt's 22 characters are 16 bytes). */
export function decodeBcrypt64(text: string): Buffer {
  return Buffer.from([...text].map((ch) => STANDARD[BCRYPT.indexOf(ch)]).join(''), 'base64');
}

/** bcryptHash is bcrypt.GenerateFromPassword with a given salt (16 bytes) and cost; a password over 72 bytes is Go's error. */
export function bcryptHash(password: string, cost: number = DEFAULT_COST, salt: Uint8Array = randomBytes(16)): string {
  const bytes = Buffer.from(password, 'utf8');
  if (bytes.length > 72) throw new Error('bcrypt: password length exceeds 72 bytes');
  if (cost < 4 || cost > 31) throw new Error(`crypto/bcrypt: cost ${cost} is outside allowed inclusive range 4..31`);
  const key = Buffer.concat([bytes, Buffer.from([0])]);
  const state = new Blowfish();
  state.expand(key, salt);
  for (let round = 0; round < 2 ** cost; round++) {
    state.expand(key);
    state.expand(salt);
  }
  const text = Buffer.from('OrpheanBeholderScryDoubt');
  const words = new Uint32Array(6);
  for (let i = 0; i < 6; i++) words[i] = text.readUInt32BE(i * 4);
  for (let i = 0; i < 64; i++) for (let b = 0; b < 6; b += 2) state.encrypt(words, b);
  const out = Buffer.alloc(24);
  words.forEach((w, i) => out.writeUInt32BE(w, i * 4));
  return `$2a$${String(cost).padStart(2, '0')}$${encode(salt)}${encode(out.subarray(0, 23))}`;
}
