import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { arity, dict, int, str, type TemplateFunction } from './args';
import { bitString, boolean, children, explicit, integer, NULL, octetString, oid, oidText, read, sequence, set, text, time, tlv } from './der';
import { formatValue, NO_VALUE, typeName, type GoValue } from './go-values';

/**
 * sprig's certificates (`crypto.go`): `genCA`, `genSelfSignedCert`, `genSignedCert`
 * (and their `…WithKey` forms taking a PEM key), `buildCustomCert`. Each makes an
 * X.509 v3 certificate as Go's x509.CreateCertificate makes sprig's template of one: a
 * random 128-bit serial, the common name, valid from now for the days given, key usage
 * (digital signature, key encipherment, and certificate signing for a CA), server and
 * client auth, basic constraints, a CA's subject key id (the first 160 bits of SHA-256
 * of its key, as Go 1.25), the authority key id of the CA that signs, the IPs and DNS
 * names; RSA 2048 keys unless one is given. The result has `.Cert` and `.Key`, PEM.
 */

interface Certificate {
  [key: string]: GoValue;
  Cert: string;
  Key: string;
}

interface Template {
  cn: string;
  ips: Buffer[];
  dns: string[];
  days: number;
  ca: boolean;
}

const pem = (type: string, der: Buffer): string => `-----BEGIN ${type}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${type}-----\n`;

/** keyPem is sprig's pemBlockForKey: PKCS #1 for RSA, SEC 1 for EC, PKCS #8 for the rest. */
function keyPem(key: KeyObject): string {
  const type = key.asymmetricKeyType === 'rsa' ? 'pkcs1' : key.asymmetricKeyType === 'ec' ? 'sec1' : 'pkcs8';
  return key.export({ type, format: 'pem' }).toString();
}

function parseKey(text: string): KeyObject {
  try {
    return createPrivateKey(text);
  } catch (err) {
    throw new Error(`parsing private key: ${(err as Error).message}`);
  }
}

/** signatureAlgorithm is what Go signs with for a key: SHA-256 with RSA or ECDSA, or Ed25519. */
function signatureAlgorithm(key: KeyObject): { id: Buffer; hash: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { id: sequence(oid('1.2.840.113549.1.1.11'), NULL), hash: 'sha256' };
    case 'ec':
      return { id: sequence(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
    case 'ed25519':
      return { id: sequence(oid('1.3.101.112')), hash: null };
    default:
      throw new Error(`x509: unsupported key type ${key.asymmetricKeyType}`);
  }
}

function name(cn: string): Buffer {
  return cn === '' ? sequence() : sequence(set(sequence(oid('2.5.4.3'), text(cn))));
}

const extension = (id: string, critical: boolean, value: Buffer): Buffer => sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));

/** subjectKeyId: the first 160 bits of SHA-256 of the public key's bits (Go 1.25's CreateCertificate). */
function subjectKeyId(spki: Buffer): Buffer {
  const bits = children(read(spki))[1]!.contents.subarray(1);
  return createHash('sha256').update(bits).digest().subarray(0, 20);
}

/** parent reads what a signed certificate takes from its issuer: the subject as it is, and its key id. */
function parent(certPem: string): { subject: Buffer; keyId?: Buffer } {
  let der: Buffer;
  try {
    der = new X509Certificate(certPem).raw;
  } catch {
    throw new Error('unable to decode certificate');
  }
  const fields = children(children(read(der))[0]!);
  const at = fields[0]!.tag === 0xa0 ? 1 : 0;
  const subject = fields[at + 4]!.whole;
  const extensions = fields.find((f) => f.tag === 0xa3);
  for (const ext of extensions ? children(children(extensions)[0]!) : []) {
    const [id, ...rest] = children(ext);
    if (oidText(id!) === '2.5.29.14') return { subject, keyId: read(rest.at(-1)!.contents).contents };
  }
  return { subject };
}

function create(template: Template, key: KeyObject, signer?: { cert: string; key: KeyObject }): Certificate {
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const issuerKey = signer?.key ?? key;
  const algorithm = signatureAlgorithm(issuerKey);
  const subject = name(template.cn);
  const issuer = signer ? parent(signer.cert) : { subject, keyId: undefined };
  const now = new Date();
  const until = new Date(now.getTime() + template.days * 86_400_000);
  // Key usage bits, reversed into a BIT STRING: digital signature (0), key encipherment (2), cert sign (5).
  const usage = template.ca ? bitString(Buffer.from([0xa4]), 2) : bitString(Buffer.from([0xa0]), 5);
  const extensions = [
    extension('2.5.29.15', true, usage),
    extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
    extension('2.5.29.19', true, template.ca ? sequence(boolean(true)) : sequence()),
  ];
  if (template.ca) extensions.push(extension('2.5.29.14', false, octetString(subjectKeyId(spki))));
  if (signer && issuer.keyId && !issuer.subject.equals(subject)) extensions.push(extension('2.5.29.35', false, sequence(tlv(0x80, issuer.keyId))));
  if (template.dns.length > 0 || template.ips.length > 0) {
    const names = [...template.dns.map((d) => tlv(0x82, Buffer.from(d))), ...template.ips.map((ip) => tlv(0x87, ip))];
    extensions.push(extension('2.5.29.17', template.cn === '', sequence(...names)));
  }
  const tbs = sequence(
    explicit(0, integer(2n)),
    integer(BigInt(`0x${randomBytes(16).toString('hex')}`)),
    algorithm.id,
    issuer.subject,
    sequence(time(now), time(until)),
    subject,
    spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign(algorithm.hash, tbs, issuerKey);
  return { Cert: pem('CERTIFICATE', sequence(tbs, algorithm.id, bitString(signature))), Key: keyPem(key) };
}

/** ipBytes is net.ParseIP's address: 4 bytes for IPv4, 16 for IPv6. */
function ipBytes(value: GoValue): Buffer {
  if (typeof value !== 'string') throw new Error(`error parsing ip: ${formatValue(value)} is not a string`);
  const version = isIP(value);
  if (version === 4) return Buffer.from(value.split('.').map(Number));
  if (version !== 6) throw new Error(`error parsing ip: ${value}`);
  // An IPv4 tail (::ffff:1.2.3.4) is two groups.
  const hexOnly = value.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const [head = '', tail = ''] = hexOnly.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const h = groups(head);
  const t = groups(tail);
  const all = hexOnly.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  const bytes = Buffer.from(all.map((g) => g.padStart(4, '0')).join(''), 'hex');
  // An IPv4-mapped address is written as its 4 bytes, as Go's ip.To4.
  return bytes.subarray(0, 12).equals(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff])) ? bytes.subarray(12) : bytes;
}

/** list is a `[]interface{}` parameter (nil is empty). */
function list(value: GoValue): GoValue[] {
  if (value === null || value === NO_VALUE) return [];
  if (!Array.isArray(value)) throw new Error(`wrong type for value; expected []interface {}; got ${typeName(value)}`);
  return value;
}

function template(cn: GoValue, ips: GoValue, dns: GoValue, days: GoValue, ca = false): Template {
  return {
    cn: str(cn),
    ips: list(ips).map(ipBytes),
    dns: list(dns).map((d) => {
      if (typeof d !== 'string') throw new Error(`error processing alternate dns name: ${formatValue(d)} is not a string`);
      return d;
    }),
    days: int(days),
    ca,
  };
}

const rsaKey = (): KeyObject => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/** signerOf reads a `certificate` argument: a value with Cert and Key, as genCA makes. */
function signerOf(value: GoValue): { cert: string; key: KeyObject } {
  const d = dict(value);
  const cert = d?.Cert;
  const key = d?.Key;
  if (typeof cert !== 'string' || typeof key !== 'string') throw new Error('wrong type for value; expected sprig.certificate');
  return { cert, key: parseKey(key) };
}

function buildCustomCert(b64cert: string, b64key: string): Certificate {
  const cert = Buffer.from(b64cert, 'base64').toString('utf8');
  const key = Buffer.from(b64key, 'base64').toString('utf8');
  if (!cert.includes('-----BEGIN')) throw new Error('unable to decode certificate');
  try {
    new X509Certificate(cert);
  } catch (err) {
    throw new Error(`error parsing certificate: decodedCert.Bytes: ${(err as Error).message}`);
  }
  try {
    createPrivateKey(key);
  } catch (err) {
    throw new Error(`error parsing private key: ${(err as Error).message}`);
  }
  return { Cert: cert, Key: key };
}

export const CERT_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  genCA: (...args) => (arity('genCA', args, 2), create(template(args[0]!, null, null, args[1]!, true), rsaKey())),
  genCAWithKey: (...args) => (arity('genCAWithKey', args, 3), create(template(args[0]!, null, null, args[1]!, true), parseKey(str(args[2]!)))),
  genSelfSignedCert: (...args) => (arity('genSelfSignedCert', args, 4), create(template(args[0]!, args[1]!, args[2]!, args[3]!), rsaKey())),
  genSelfSignedCertWithKey: (...args) => (arity('genSelfSignedCertWithKey', args, 5), create(template(args[0]!, args[1]!, args[2]!, args[3]!), parseKey(str(args[4]!)))),
  genSignedCert: (...args) => (arity('genSignedCert', args, 5), create(template(args[0]!, args[1]!, args[2]!, args[3]!), rsaKey(), signerOf(args[4]!))),
  genSignedCertWithKey: (...args) =>
    (arity('genSignedCertWithKey', args, 6), create(template(args[0]!, args[1]!, args[2]!, args[3]!), parseKey(str(args[5]!)), signerOf(args[4]!))),
  buildCustomCert: (...args) => (arity('buildCustomCert', args, 2), buildCustomCert(str(args[0]!), str(args[1]!))),
};
