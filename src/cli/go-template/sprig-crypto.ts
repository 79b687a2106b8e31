import { createCipheriv, createDecipheriv, createHash, createHmac, generateKeyPairSync, randomBytes, scryptSync } from 'node:crypto';
import { arity, int, str, type TemplateFunction } from './args';
import { bcryptHash } from './bcrypt';
import { children, integer, read, sequence, type Element } from './der';

/**
 * sprig's crypto (`crypto.go`) that Node's own crypto can do the same way: `sha512sum`,
 * `encryptAES`/`decryptAES` (AES-256-CBC, the password zero-padded to 32 bytes, a random
 * IV before the ciphertext, base64), `derivePassword` (Master Password: scrypt, then
 * HMAC-SHA256 over the site into a template), `genPrivateKey` (rsa, ecdsa, ed25519
 * and dsa as PEM), and `bcrypt`/`htpasswd` (bcrypt.ts).
 */

const SEED = 'com.lyndir.masterpassword';

const TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno', 'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno',
    'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const CHARACTERS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

const uint32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** derivePassword is sprig's, the Master Password algorithm; an unknown type says so as sprig does. */
function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = TEMPLATES[type];
  if (!templates) return `cannot find password template ${type}`;
  const userBytes = Buffer.from(user, 'utf8');
  const salt = Buffer.concat([Buffer.from(SEED), uint32(userBytes.length), userBytes]);
  const key = scryptSync(Buffer.from(password, 'utf8'), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 256 * 1024 * 1024 });
  const siteBytes = Buffer.from(site, 'utf8');
  const seed = createHmac('sha256', key).update(Buffer.concat([Buffer.from(SEED), uint32(siteBytes.length), siteBytes, uint32(counter)])).digest();
  const template = templates[seed[0]! % templates.length]!;
  return [...template].map((ch, i) => {
    const chars = CHARACTERS[ch]!;
    return chars[seed[i + 1]! % chars.length];
  }).join('');
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, 'utf8').copy(key, 0, 0, 32);
  return key;
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey(password), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const data = Buffer.from(crypt64, 'base64');
  if (data.length < 32 || data.length % 16 !== 0) throw new Error('crypto/cipher: input not full blocks');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(password), data.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
  const pad = plain[plain.length - 1]!;
  if (pad > plain.length) throw new Error('runtime error: slice bounds out of range');
  return plain.subarray(0, plain.length - pad).toString('utf8');
}

/** bcryptOrMessage is sprig's bcrypt: the hash, or its failure as text (a password over 72 bytes). */
function bcryptOrMessage(password: string): string {
  try {
    return bcryptHash(password);
  } catch (err) {
    return `failed to encrypt string with bcrypt: ${(err as Error).message}`;
  }
}

/**
 * dsaKey is a DSA key (L 2048, N 256) as sprig writes one: "DSA PRIVATE KEY", the
 * OpenSSL sequence of version, p, q, g, y, x. Node exports DSA keys only as PKCS #8, so
 * p, q, g and x are read from that, and y is g^x mod p.
 */
function dsaKey(): string {
  const der = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey.export({ type: 'pkcs8', format: 'der' });
  const [, algorithm, privateKey] = children(read(der));
  const [p, q, g] = children(children(algorithm!)[1]!).map(bigintOf) as [bigint, bigint, bigint];
  const x = bigintOf(read(privateKey!.contents));
  let y = 1n;
  for (let base = g % p, e = x; e > 0n; e >>= 1n, base = (base * base) % p) if (e & 1n) y = (y * base) % p;
  const body = sequence(integer(0n), integer(p), integer(q), integer(g), integer(y), integer(x));
  return `-----BEGIN DSA PRIVATE KEY-----\n${body.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END DSA PRIVATE KEY-----\n`;
}

const bigintOf = (element: Element): bigint => BigInt(`0x${element.contents.toString('hex') || '0'}`);

function genPrivateKey(type: string): string {
  switch (type) {
    case '':
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    case 'ecdsa':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    case 'dsa':
      return dsaKey();
    default:
      return `Unknown type ${type}`;
  }
}

export const CRYPTO_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  sha512sum: (...args) => (arity('sha512sum', args, 1), createHash('sha512').update(str(args[0]!), 'utf8').digest('hex')),
  encryptAES: (...args) => (arity('encryptAES', args, 2), encryptAES(str(args[0]!), str(args[1]!))),
  decryptAES: (...args) => (arity('decryptAES', args, 2), decryptAES(str(args[0]!), str(args[1]!))),
  derivePassword: (...args) => {
    arity('derivePassword', args, 5);
    const counter = int(args[0]!);
    if (counter < 0 || counter > 0xffffffff) throw new Error(`${counter} overflows uint32`);
    return derivePassword(counter, str(args[1]!), str(args[2]!), str(args[3]!), str(args[4]!));
  },
  bcrypt: (...args) => (arity('bcrypt', args, 1), bcryptOrMessage(str(args[0]!))),
  htpasswd: (...args) => {
    arity('htpasswd', args, 2);
    const [user, password] = [str(args[0]!), str(args[1]!)];
    return user.includes(':') ? `invalid username: ${user}` : `${user}:${bcryptOrMessage(password)}`;
  },
  genPrivateKey: (...args) => (arity('genPrivateKey', args, 1), genPrivateKey(str(args[0]!))),
};
