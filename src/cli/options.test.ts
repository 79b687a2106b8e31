import { Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { checkCredentialFlags, flagCredential } from './credentials';
import { UsageError } from './errors';
import { addConcurrencyOption, DEFAULT_CLI_CONCURRENCY, flagsOfSide, formatParser, parseConcurrency, parseImageSpec, SMALL_BLOB_CONCURRENCY, type ConcurrencyFlags } from './options';
import { checkConnectionFlags, connectionOptions } from './remote';
import { parseLayoutReference, parseRemoteReference, splitTags } from './reference-args';
import { captureIo } from './testing/test-io';
import { parseRegistryArg } from './commands/login';
import { parseNamespaceArg } from './commands/repo';
import { manifestMediaType } from './commands/manifest';

const DIGEST = 'sha256:d070b65c4898a02357f5fc4488aa191d90a90ac7c907eb7ac079b6f483fc8608';

describe('option parsers', () => {
  it('--concurrency takes 1 to 64', () => {
    expect(parseConcurrency('5')).toBe(5);
    expect(parseConcurrency('64')).toBe(64);
    for (const bad of ['0', '65', '-1', '1.5', 'x', '']) expect(() => parseConcurrency(bad), bad).toThrow(InvalidArgumentError);
  });

  it('without --concurrency small blobs get their own 16; with it, every transfer keeps to it', async () => {
    const seen: ConcurrencyFlags[] = [];
    const command = () => addConcurrencyOption(new Command('x').exitOverride()).action((flags: ConcurrencyFlags) => void seen.push(flags));
    await command().parseAsync([], { from: 'user' });
    await command().parseAsync(['--concurrency', '2'], { from: 'user' });
    expect(seen).toEqual([
      { concurrency: DEFAULT_CLI_CONCURRENCY, smallBlobConcurrency: SMALL_BLOB_CONCURRENCY },
      { concurrency: 2 },
    ]);
  });

  it('--image-spec takes v1.0 or v1.1', () => {
    expect(parseImageSpec('v1.0')).toBe('v1.0');
    expect(parseImageSpec('v1.1')).toBe('v1.1');
    expect(() => parseImageSpec('1.1')).toThrow(InvalidArgumentError);
  });

  it('--format takes the listed values', () => {
    const parse = formatParser(['text', 'json'] as const);
    expect(parse('json')).toBe('json');
    expect(() => parse('yaml')).toThrow(/text, json/);
  });
});

describe('references on the command line', () => {
  it('parses registry references, requiring a tag or digest when asked', () => {
    expect(parseRemoteReference('localhost:5000/mystuff/myrocket:v0.1.0', 'reference')).toMatchObject({
      registry: 'localhost:5000',
      repository: 'mystuff/myrocket',
      tag: 'v0.1.0',
    });
    expect(() => parseRemoteReference('localhost:5000/a', 'reference')).toThrow(/names no tag or digest/);
    expect(() => parseRemoteReference('localhost:5000/a:v1', 'digest')).toThrow(/names no digest: write localhost:5000\/a@sha256/);
    expect(() => parseRemoteReference('localhost:5000/A:v1')).toThrow(UsageError);
  });

  it('splits name:tag1,tag2', () => {
    expect(splitTags('localhost:5000/a:v1,v2,latest')).toEqual({ reference: 'localhost:5000/a:v1', extraTags: ['v2', 'latest'] });
    expect(splitTags('localhost:5000/a:v1')).toEqual({ reference: 'localhost:5000/a:v1', extraTags: [] });
    expect(() => splitTags('localhost:5000/a:v1,bad tag')).toThrow(UsageError);
  });

  it('parses OCI layout references', () => {
    expect(parseLayoutReference('layout')).toEqual({ path: 'layout' });
    expect(parseLayoutReference('./out/layout:v1')).toEqual({ path: './out/layout', tag: 'v1' });
    expect(parseLayoutReference(`layout@${DIGEST}`)).toEqual({ path: 'layout', digest: DIGEST });
    expect(parseLayoutReference('C:\\layouts\\a')).toEqual({ path: 'C:\\layouts\\a' });
    expect(parseLayoutReference('C:\\layouts\\a:v1')).toEqual({ path: 'C:\\layouts\\a', tag: 'v1' });
    expect(parseLayoutReference('dir:with/slash')).toEqual({ path: 'dir:with/slash' });
    expect(() => parseLayoutReference('layout:bad tag')).toThrow(UsageError);
    expect(() => parseLayoutReference('layout@sha256:abc')).toThrow(/expected 64 lowercase hex digits/);
    expect(() => parseLayoutReference('')).toThrow(UsageError);
  });

  it('parses registry operands of login and repo ls', () => {
    expect(parseRegistryArg('localhost:5000')).toBe('localhost:5000');
    expect(parseRegistryArg('https://index.docker.io/v1/')).toBe('docker.io');
    expect(parseRegistryArg('http://Localhost:5000/')).toBe('localhost:5000');
    expect(() => parseRegistryArg('localhost:5000/repo')).toThrow(/not a registry/);
    expect(() => parseRegistryArg('bad host')).toThrow(UsageError);
    expect(parseNamespaceArg('localhost:5000/team/')).toEqual({ registry: 'localhost:5000', namespace: 'team' });
  });
});

describe('credential flags', () => {
  it('refuses combinations that mean nothing', () => {
    expect(() => checkCredentialFlags({ password: 'x', passwordStdin: true, username: 'u' })).toThrow(/cannot be used together/);
    expect(() => checkCredentialFlags({ password: 'x' })).toThrow(/needs a user name/);
    expect(() => checkCredentialFlags({ identityToken: 't', password: 'x', username: 'u' })).toThrow(UsageError);
  });

  it('reads -u/-p, --password-stdin and --identity-token', async () => {
    const io = captureIo({ cwd: '/', stdin: 's3cret\n' });
    expect(await flagCredential(io, { username: 'u', passwordStdin: true })).toEqual({ username: 'u', password: 's3cret' });
    expect(await flagCredential(captureIo({ cwd: '/' }), { username: 'u', password: 'p' })).toEqual({ username: 'u', password: 'p' });
    expect(await flagCredential(captureIo({ cwd: '/' }), { identityToken: 'tok' })).toEqual({ username: undefined, identityToken: 'tok' });
    expect(await flagCredential(captureIo({ cwd: '/' }), {})).toBeUndefined();
    await expect(flagCredential(captureIo({ cwd: '/' }), { username: 'u' })).rejects.toThrow(/needs a password/);
    await expect(flagCredential(captureIo({ cwd: '/', stdin: '\n' }), { username: 'u', passwordStdin: true })).rejects.toThrow(/empty password/);
  });
});

describe('manifest push media type', () => {
  it("takes --media-type, else the manifest's own, else the shape", () => {
    const manifest = Buffer.from('{"schemaVersion":2,"config":{},"layers":[]}');
    expect(manifestMediaType(manifest, undefined, 'f')).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifestMediaType(Buffer.from('{"schemaVersion":2,"manifests":[]}'), undefined, 'f')).toBe('application/vnd.oci.image.index.v1+json');
    expect(manifestMediaType(Buffer.from('{"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}'), undefined, 'f')).toBe(
      'application/vnd.docker.distribution.manifest.v2+json',
    );
    expect(() => manifestMediaType(Buffer.from('{"mediaType":"a/b"}'), 'c/d', 'f')).toThrow(/differs/);
    expect(() => manifestMediaType(Buffer.from('nope'), undefined, 'f')).toThrow(/not valid JSON/);
  });
});

describe("flagsOfSide: one side of cp from its --from-*/--to-* flags and the shared ones", () => {
  it("takes a side's own flag over the shared one; headers and resolve rules add up, shared first", () => {
    const flags = { plainHttp: true, caFile: 'shared.pem', header: ['X-A: 1'], resolve: ['r.invalid:80:127.0.0.1'], toPlainHttp: false, toCaFile: 'to.pem', toHeader: ['X-B: 2'], toResolve: ['r.invalid:80:127.0.0.2'] };
    expect(flagsOfSide(flags, 'from')).toMatchObject({ plainHttp: true, caFile: 'shared.pem', header: ['X-A: 1'], resolve: ['r.invalid:80:127.0.0.1'] });
    expect(flagsOfSide(flags, 'to')).toMatchObject({ plainHttp: false, caFile: 'to.pem', header: ['X-A: 1', 'X-B: 2'], resolve: ['r.invalid:80:127.0.0.1', 'r.invalid:80:127.0.0.2'] });
    // The later rule wins, as ORAS's --resolve before --to-resolve.
    expect(connectionOptions(flagsOfSide(flags, 'to')).resolve).toEqual([{ host: 'r.invalid', port: 80, address: '127.0.0.2', addressPort: 80 }]);
  });

  it('gives a side with a login flag of its own only that login, else the shared one', () => {
    const flags = { username: 'shared', password: 'pw', passwordStdin: undefined, fromUsername: 'alice', fromPassword: 'a' };
    expect(flagsOfSide(flags, 'from')).toMatchObject({ username: 'alice', password: 'a', ownLogin: true });
    expect(flagsOfSide(flags, 'to')).toMatchObject({ username: 'shared', password: 'pw', ownLogin: false });
    const own = flagsOfSide({ passwordStdin: true, toIdentityToken: 't' }, 'to');
    expect(own).toMatchObject({ identityToken: 't', ownLogin: true });
    expect(own.passwordStdin).toBeUndefined();
  });

  it('takes a client certificate and its key as a pair', () => {
    const flags = { certFile: 'c.pem', keyFile: 'k.pem', fromCertFile: 'fc.pem' };
    expect(flagsOfSide(flags, 'from')).toMatchObject({ certFile: 'fc.pem', keyFile: undefined });
    expect(() => checkConnectionFlags(flagsOfSide(flags, 'from'))).toThrow('--cert-file and --key-file go together');
    expect(flagsOfSide(flags, 'to')).toMatchObject({ certFile: 'c.pem', keyFile: 'k.pem' });
  });
});

describe('checkConnectionFlags and connectionOptions', () => {
  it('refuses what cannot go together or cannot be read, before any request', () => {
    expect(() => checkConnectionFlags({ plainHttp: true, certFile: 'c', keyFile: 'k' })).toThrow(UsageError);
    expect(() => checkConnectionFlags({ keyFile: 'k' })).toThrow('--cert-file and --key-file go together');
    expect(() => checkConnectionFlags({ header: ['nope'] })).toThrow(UsageError);
    expect(() => checkConnectionFlags({ resolve: ['r.invalid:80'] })).toThrow(UsageError);
  });

  it('maps the flags to the engine: TLS flags mean HTTPS even on loopback', () => {
    expect(connectionOptions({ certFile: 'c', keyFile: 'k', header: ['X-A: 1', 'x-a: 2'] })).toMatchObject({ plainHttp: false, certFile: 'c', keyFile: 'k', headers: { 'x-a': '1, 2' } });
    expect(connectionOptions({})).not.toHaveProperty('plainHttp');
  });
});
