import { describe, expect, it } from 'vitest';
import {
  DOCKER_HUB,
  DOCKER_HUB_API_HOST,
  formatReference,
  isLoopbackRegistry,
  normalizeRegistry,
  parseReference,
  referenceOf,
  registryApiHost,
  validateRegistry,
  validateRepository,
  validateTag,
  type Reference,
} from './reference';
import { thrown } from './testing/expect-error';
import { quoted } from './echo';

const HEX64 = 'ebbc1e0b5e5e3b6e8a8d0f5a4e6f3c9b0a1d2e3f405162738495a6b7c8d9e0f1';
const HEX128 = HEX64 + HEX64;
const D256 = `sha256:${HEX64}`;
const D512 = `sha512:${HEX128}`;

describe('parseReference: valid references', () => {
  const cases: Array<[string, Reference]> = [
    ['localhost:5000/mystuff/myrocket:v0.1.0', { registry: 'localhost:5000', repository: 'mystuff/myrocket', tag: 'v0.1.0', digest: undefined }],
    [`127.0.0.1:5000/a/b@${D256}`, { registry: '127.0.0.1:5000', repository: 'a/b', tag: undefined, digest: D256 }],
    ['[::1]:5000/x:y', { registry: '[::1]:5000', repository: 'x', tag: 'y', digest: undefined }],
    ['[::1]/x', { registry: '[::1]', repository: 'x', tag: undefined, digest: undefined }],
    ['[fe80::1%eth0]:5000/x', { registry: '[fe80::1%eth0]:5000', repository: 'x', tag: undefined, digest: undefined }],
    [`localhost:5000/x:v1@${D256}`, { registry: 'localhost:5000', repository: 'x', tag: 'v1', digest: D256 }],
    [`localhost:5000/x@${D512}`, { registry: 'localhost:5000', repository: 'x', tag: undefined, digest: D512 }],
    ['localhost/x', { registry: 'localhost', repository: 'x', tag: undefined, digest: undefined }],
    ['ubuntu', { registry: DOCKER_HUB, repository: 'library/ubuntu', tag: undefined, digest: undefined }],
    ['ubuntu:22.04', { registry: DOCKER_HUB, repository: 'library/ubuntu', tag: '22.04', digest: undefined }],
    [`ubuntu@${D256}`, { registry: DOCKER_HUB, repository: 'library/ubuntu', tag: undefined, digest: D256 }],
    ['user/repo', { registry: DOCKER_HUB, repository: 'user/repo', tag: undefined, digest: undefined }],
    ['a/b/c/d/e', { registry: DOCKER_HUB, repository: 'a/b/c/d/e', tag: undefined, digest: undefined }],
    ['docker.io/ubuntu', { registry: DOCKER_HUB, repository: 'library/ubuntu', tag: undefined, digest: undefined }],
    ['docker.io/library/ubuntu:latest', { registry: DOCKER_HUB, repository: 'library/ubuntu', tag: 'latest', digest: undefined }],
    ['index.docker.io/foo/bar', { registry: DOCKER_HUB, repository: 'foo/bar', tag: undefined, digest: undefined }],
    ['registry-1.docker.io/x/y', { registry: DOCKER_HUB, repository: 'x/y', tag: undefined, digest: undefined }],
    ['INDEX.Docker.IO/x/y', { registry: DOCKER_HUB, repository: 'x/y', tag: undefined, digest: undefined }],
    ['LOCALHOST:5000/x', { registry: 'localhost:5000', repository: 'x', tag: undefined, digest: undefined }],
    ['Registry.Example.COM/team/app:Latest', { registry: 'registry.example.com', repository: 'team/app', tag: 'Latest', digest: undefined }],
    ['ghcr.io/oras-project/oras:v1.2.0', { registry: 'ghcr.io', repository: 'oras-project/oras', tag: 'v1.2.0', digest: undefined }],
    ['foo.localhost:8080/x', { registry: 'foo.localhost:8080', repository: 'x', tag: undefined, digest: undefined }],
    ['localhost:65535/x', { registry: 'localhost:65535', repository: 'x', tag: undefined, digest: undefined }],
    ['localhost:1/x', { registry: 'localhost:1', repository: 'x', tag: undefined, digest: undefined }],
    ['localhost:5000/a__b', { registry: 'localhost:5000', repository: 'a__b', tag: undefined, digest: undefined }],
    ['localhost:5000/a---b', { registry: 'localhost:5000', repository: 'a---b', tag: undefined, digest: undefined }],
    ['localhost:5000/a.b_c', { registry: 'localhost:5000', repository: 'a.b_c', tag: undefined, digest: undefined }],
    ['localhost:5000/a-b.c__d_e/f0', { registry: 'localhost:5000', repository: 'a-b.c__d_e/f0', tag: undefined, digest: undefined }],
    ['localhost:5000/0/9', { registry: 'localhost:5000', repository: '0/9', tag: undefined, digest: undefined }],
    [`x:${'a'.repeat(128)}`, { registry: DOCKER_HUB, repository: 'library/x', tag: 'a'.repeat(128), digest: undefined }],
    ['x:_private', { registry: DOCKER_HUB, repository: 'library/x', tag: '_private', digest: undefined }],
    ['x:A.b-C_d', { registry: DOCKER_HUB, repository: 'library/x', tag: 'A.b-C_d', digest: undefined }],
    ['my-host.example.com:443/x', { registry: 'my-host.example.com:443', repository: 'x', tag: undefined, digest: undefined }],
  ];

  it.each(cases)('%s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it('accepts a name of exactly 255 characters', () => {
    const repository = 'a'.repeat(255 - 'localhost:5000/'.length);
    const ref = parseReference(`localhost:5000/${repository}:v1`);
    expect(`${ref.registry}/${ref.repository}`).toHaveLength(255);
  });

  it('accepts a registry-less reference only when defaultToDockerHub is not false', () => {
    expect(parseReference('ubuntu', { defaultToDockerHub: true }).registry).toBe(DOCKER_HUB);
    const err = thrown(() => parseReference('ubuntu:22.04', { defaultToDockerHub: false }));
    expect(err.code).toBe('INVALID_REFERENCE');
    expect(err.message).toContain('names no registry');
    // An explicit registry is still fine.
    expect(parseReference('localhost:5000/x', { defaultToDockerHub: false }).registry).toBe('localhost:5000');
    expect(parseReference('docker.io/x', { defaultToDockerHub: false }).repository).toBe('library/x');
  });
});

describe('parseReference: malformed references', () => {
  const long = (n: number) => 'a'.repeat(n);
  const cases: Array<[label: string, input: string, ...fragments: string[]]> = [
    ['empty string', '', 'it is empty'],
    ['only white space', '   ', 'it is empty'],
    ['uppercase repository', 'localhost:5000/MyRocket:v1', '"MyRocket" must be lowercase'],
    ['uppercase single name', 'Ubuntu', '"Ubuntu" must be lowercase'],
    ['empty tag', 'localhost:5000/repo:', 'tag after ":" is empty'],
    ['empty digest', 'localhost:5000/repo@', 'digest after "@" is empty'],
    ['empty digest after tag', 'localhost:5000/repo:v1@', 'digest after "@" is empty'],
    ['unsupported digest algorithm', `repo@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm "md5"'],
    ['uppercase digest algorithm', `repo@SHA256:${HEX64}`, 'unsupported digest algorithm "SHA256"'],
    ['short digest', 'repo@sha256:abc', '"sha256:abc"', '64 lowercase hex digits'],
    ['long digest', `repo@sha256:${HEX64}0`, '64 lowercase hex digits'],
    ['uppercase hex digest', `repo@sha256:${HEX64.toUpperCase()}`, '64 lowercase hex digits'],
    ['non-hex digest', `repo@sha256:${HEX64.slice(0, 63)}g`, '64 lowercase hex digits'],
    ['sha512 of sha256 length', `repo@sha512:${HEX64}`, '128 lowercase hex digits'],
    ['digest without algorithm', `repo@${HEX64}`, 'expected "algorithm:hex"'],
    ['digest with empty algorithm', `repo@:${HEX64}`, 'expected "algorithm:hex"'],
    ['http scheme', 'http://localhost:5000/x:v1', 'leave out the scheme'],
    ['https scheme', 'https://ghcr.io/a/b', 'leave out the scheme'],
    ['inner space', 'ubuntu :latest', 'contains white space'],
    ['inner tab', 'ubu\tntu', 'contains white space'],
    ['leading space', ' ubuntu', 'leading or trailing white space'],
    ['trailing newline', 'ubuntu\n', 'leading or trailing white space'],
    ['double slash', 'localhost:5000//x', 'empty path component'],
    ['double slash in path', 'localhost:5000/a//b', 'empty path component'],
    ['trailing slash', 'localhost:5000/x/', 'empty path component'],
    ['leading slash', '/x', 'empty path component'],
    ['registry and slash only', 'localhost:5000/', 'the repository is empty'],
    ['leading dash', '-leading', '"-leading"'],
    ['leading dash in path', 'localhost:5000/a/-b', '"-b"'],
    ['trailing underscore', 'localhost:5000/a_', '"a_"'],
    ['double dot in repository', 'localhost:5000/a..b', '"a..b"'],
    ['triple underscore', 'localhost:5000/a___b', '"a___b"'],
    ['mixed separators', 'localhost:5000/a._b', '"a._b"'],
    ['double dot in host', 'a..b/c', 'registry host "a..b"'],
    ['underscore in host', 'my_host.com/x', 'registry host "my_host.com"'],
    ['host starting with dash', '-host.com/x', 'registry host "-host.com"'],
    ['host with trailing dot', 'example.com./x', 'registry host "example.com."'],
    ['port 0', 'localhost:0/x', 'registry port "0"', '1 to 65535'],
    ['port 99999', 'localhost:99999/x', 'registry port "99999"'],
    ['port 65536', 'localhost:65536/x', 'registry port "65536"'],
    ['port abc', 'localhost:abc/x', 'registry port "abc"'],
    ['empty port', 'localhost:/x', 'registry port ""'],
    ['negative port', 'localhost:-1/x', 'registry port "-1"'],
    ['two ports', 'localhost:5000:6000/x', 'registry port "5000:6000"'],
    ['unclosed IPv6', '[::1:5000/x', 'unclosed "["'],
    ['text after IPv6', '[::1]x/y', 'text after "]"'],
    ['not an IPv6 address', '[zz]:5000/x', 'registry host "[zz]" is not an IPv6 address'],
    ['empty IPv6 brackets', '[]:5000/x', 'registry host "[]"'],
    ['IPv6 port 0', '[::1]:0/x', 'registry port "0"'],
    ['tag starting with dot', 'x:.tag', 'tag ".tag" must start with a letter, digit or "_"'],
    ['tag starting with dash', 'x:-tag', 'tag "-tag" must start with'],
    ['129-character tag', `x:${long(129)}`, `tag ${quoted(long(129), 32)} is 129 characters long`, 'at most 128 characters'],
    ['tag with unicode', 'x:vé', 'tag "vé" may hold only'],
    ['tag with plus', 'x:v1+build', 'tag "v1+build" may hold only'],
    ['name over 255 characters', `localhost:5000/${long(241)}`, 'is 256 characters long, longer than 255 characters'],
    ['Docker Hub name over 255 characters', `${long(250)}`, `docker.io/library/${long(11)}… is 268 characters long`],
    ['registry without repository', 'localhost:5000', '"localhost:5000" looks like a registry', 'no repository', 'write localhost:5000/repository:tag'],
    ['bare localhost', 'localhost', '"localhost" looks like a registry'],
    ['domain without repository', 'ghcr.io', '"ghcr.io" looks like a registry', 'ghcr.io/repository:tag'],
    ['IPv6 without repository', '[::1]', '"[::1]" looks like a registry'],
    ['registry with digest but no repository', `localhost:5000@${D256}`, '"localhost:5000" looks like a registry'],
    ['domain with tag but no repository', 'ghcr.io:v1', '"ghcr.io" looks like a registry'],
    ['IPv6 with port without repository', '[::1]:5000', '"[::1]:5000" looks like a registry'],
    ['tag only', ':tag', 'the repository is missing'],
    ['digest only', `@${D256}`, 'the repository is missing'],
    ['tag and digest only', `:v1@${D256}`, 'the repository is missing'],
    ['unicode repository', 'café/x', '"café"'],
    ['unicode repository under registry', 'localhost:5000/café', '"café"'],
    ['unicode host', 'ünï.example/x', 'registry host "ünï.example"'],
    ['two tags', 'a/b:c:d', '"b:c" holds a ":"', 'at most one ":tag"'],
    ['two tags under registry', 'localhost:5000/x:v1:v2', '"x:v1" holds a ":"'],
    ['non-breaking space', 'ubuntu\u00a0', 'white space'],
    ['control character', 'localhost:5000/a\u0000b', 'repository component'],
  ];

  it('covers at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s: %j', (_label, input, ...fragments) => {
    const err = thrown(() => parseReference(input));
    expect(err.code).toBe('INVALID_REFERENCE');
    expect(err.message).toContain(`invalid reference ${quoted(input)}`);
    for (const fragment of fragments) expect(err.message).toContain(fragment);
  });

  it('refuses a non-string input with INVALID_REFERENCE', () => {
    const err = thrown(() => parseReference(undefined as unknown as string));
    expect(err.code).toBe('INVALID_REFERENCE');
  });
});

describe('validateRegistry / validateRepository / validateTag', () => {
  it.each(['localhost', 'localhost:5000', 'ghcr.io', '127.0.0.1:5000', '[::1]', '[::1]:5000', 'a-b.c'])('accepts registry %s', (r) => {
    expect(() => validateRegistry(r)).not.toThrow();
  });
  it.each(['', 'a_b', 'a..b', 'host:0', 'host:x', '[::1', '[::1]x', '-a.com'])('refuses registry %j', (r) => {
    expect(thrown(() => validateRegistry(r)).code).toBe('INVALID_REFERENCE');
  });
  it('names the whole input, not just the part, when given one', () => {
    expect(thrown(() => validateRegistry('a_b', 'a_b/x:y')).message).toContain('"a_b/x:y"');
  });
  it.each(['a', 'a/b', 'a__b/c-d/e.f'])('accepts repository %s', (r) => {
    expect(() => validateRepository(r)).not.toThrow();
  });
  it.each(['', 'A', 'a/', '/a', 'a//b', 'a-', '_a', 'a.-b'])('refuses repository %j', (r) => {
    expect(thrown(() => validateRepository(r)).code).toBe('INVALID_REFERENCE');
  });
  it.each(['v1', '_', 'A', '1.0.0-rc.1', 'a'.repeat(128)])('accepts tag %s', (t) => {
    expect(() => validateTag(t)).not.toThrow();
  });
  it.each(['', '.a', '-a', 'a/b', 'a:b', 'a'.repeat(129)])('refuses tag %j', (t) => {
    expect(thrown(() => validateTag(t)).code).toBe('INVALID_REFERENCE');
  });
});

describe('normalizeRegistry / registryApiHost', () => {
  it.each([
    ['docker.io', 'docker.io', 'registry-1.docker.io'],
    ['index.docker.io', 'docker.io', 'registry-1.docker.io'],
    ['registry-1.docker.io', 'docker.io', 'registry-1.docker.io'],
    ['Docker.IO', 'docker.io', 'registry-1.docker.io'],
    ['localhost:5000', 'localhost:5000', 'localhost:5000'],
    ['ghcr.io', 'ghcr.io', 'ghcr.io'],
    ['GHCR.io', 'ghcr.io', 'ghcr.io'],
    ['[::1]:5000', '[::1]:5000', '[::1]:5000'],
    ['docker.io:443', 'docker.io:443', 'docker.io:443'],
  ])('%s → %s, API host %s', (registry, normalized, apiHost) => {
    expect(normalizeRegistry(registry)).toBe(normalized);
    expect(registryApiHost(registry)).toBe(apiHost);
  });
  it('sends Docker Hub API requests to the registry-1 host', () => {
    expect(registryApiHost(parseReference('ubuntu').registry)).toBe(DOCKER_HUB_API_HOST);
  });
});

describe('isLoopbackRegistry', () => {
  it.each([
    'localhost',
    'localhost:5000',
    'LOCALHOST:5000',
    'registry.localhost:5000',
    '127.0.0.1',
    '127.0.0.1:5000',
    '127.1.2.3:80',
    '127.255.255.255',
    '[::1]',
    '[::1]:5000',
  ])('%s is loopback', (registry) => {
    expect(isLoopbackRegistry(registry)).toBe(true);
  });
  it.each([
    '128.0.0.1',
    '128.0.0.1:5000',
    '126.0.0.1',
    '10.0.0.1',
    '0.0.0.0',
    '127.0.0.256',
    '127.0.0',
    '127.0.0.1.example.com',
    'localhost.example.com',
    'localhost.example.com:5000',
    'mylocalhost',
    'example.com',
    'docker.io',
    '[::2]',
    '[::1:5000',
    '',
  ])('%j is not loopback', (registry) => {
    expect(isLoopbackRegistry(registry)).toBe(false);
  });
});

describe('formatReference / referenceOf', () => {
  it.each([
    'localhost:5000/mystuff/myrocket:v0.1.0',
    `127.0.0.1:5000/a/b@${D256}`,
    '[::1]:5000/x:y',
    `localhost:5000/x:v1@${D256}`,
    `ghcr.io/a/b@${D512}`,
    'docker.io/library/ubuntu:22.04',
    'docker.io/foo/bar',
  ])('round-trips canonical %s', (input) => {
    const ref = parseReference(input);
    expect(formatReference(ref)).toBe(input);
    expect(parseReference(formatReference(ref))).toEqual(ref);
  });

  it.each([
    ['ubuntu', 'docker.io/library/ubuntu'],
    ['ubuntu:22.04', 'docker.io/library/ubuntu:22.04'],
    ['index.docker.io/foo/bar:v1', 'docker.io/foo/bar:v1'],
    ['registry-1.docker.io/x/y', 'docker.io/x/y'],
    ['LocalHost:5000/x:V1', 'localhost:5000/x:V1'],
  ])('normalises %s to %s, and that is stable', (input, canonical) => {
    const ref = parseReference(input);
    expect(formatReference(ref)).toBe(canonical);
    expect(parseReference(canonical)).toEqual(ref);
  });

  it('referenceOf prefers the digest, then the tag', () => {
    expect(referenceOf(parseReference(`x:v1@${D256}`))).toBe(D256);
    expect(referenceOf(parseReference('x:v1'))).toBe('v1');
    expect(referenceOf(parseReference('x'))).toBeUndefined();
  });
});
