import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Test certificates, made with the `openssl` CLI because node:crypto can make keys but
 * not X.509 certificates. P-256 keys: generating them takes milliseconds, where RSA
 * keys would slow every registry start.
 */

const run = promisify(execFile);
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** CertFiles is a key and certificate pair on disk, with their PEM text. */
export interface CertFiles {
  keyFile: string;
  certFile: string;
  keyPem: string;
  certPem: string;
}

async function load(keyFile: string, certFile: string): Promise<CertFiles> {
  const [keyPem, certPem] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
  return { keyFile, certFile, keyPem, certPem };
}

/** createCa makes a self-signed test CA in `dir` (files ca.key, ca.crt). */
export async function createCa(dir: string): Promise<CertFiles> {
  const keyFile = join(dir, 'ca.key');
  const certFile = join(dir, 'ca.crt');
  await run('openssl', [
    'req', '-x509', ...EC, '-keyout', keyFile, '-out', certFile, '-days', '2',
    '-subj', '/CN=ORAS Desktop test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return load(keyFile, certFile);
}

/**
 * issueServerCert makes a TLS server certificate signed by `ca`, valid for
 * IP:127.0.0.1, IP:::1 and DNS:localhost (clients check the SAN, never the CN).
 */
export async function issueServerCert(ca: CertFiles, dir: string, name = 'server'): Promise<CertFiles> {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  const csrFile = join(dir, `${name}.csr`);
  const extFile = join(dir, `${name}.ext`);
  await writeFile(extFile, [
    'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    '',
  ].join('\n'));
  await run('openssl', ['req', ...EC, '-keyout', keyFile, '-out', csrFile, '-subj', '/CN=127.0.0.1']);
  await run('openssl', [
    'x509', '-req', '-in', csrFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial',
    '-out', certFile, '-days', '2', '-extfile', extFile,
  ]);
  return load(keyFile, certFile);
}

/** issueClientCert makes a TLS client certificate signed by `ca`, for registries that require one (mutual TLS). */
export async function issueClientCert(ca: CertFiles, dir: string, name = 'client'): Promise<CertFiles> {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  const csrFile = join(dir, `${name}.csr`);
  const extFile = join(dir, `${name}.ext`);
  await writeFile(extFile, ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth', ''].join('\n'));
  await run('openssl', ['req', ...EC, '-keyout', keyFile, '-out', csrFile, '-subj', `/CN=${name}`]);
  await run('openssl', [
    'x509', '-req', '-in', csrFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial',
    '-out', certFile, '-days', '2', '-extfile', extFile,
  ]);
  return load(keyFile, certFile);
}

/**
 * createSigningCert makes the self-signed certificate whose key signs registry tokens.
 * The registry's `auth.token.rootcertbundle` holds this certificate, and each JWT
 * carries it again in its `x5c` header: distribution 2.8 then verifies the chain
 * against the bundle and the signature with the certificate's key (ES256).
 */
export async function createSigningCert(dir: string): Promise<CertFiles & { x5c: string }> {
  const keyFile = join(dir, 'token-signer.key');
  const certFile = join(dir, 'token-signer.crt');
  await run('openssl', ['req', '-x509', ...EC, '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=ORAS Desktop test token signer']);
  const files = await load(keyFile, certFile);
  return { ...files, x5c: new X509Certificate(files.certPem).raw.toString('base64') };
}
