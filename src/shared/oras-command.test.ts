import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { RegistryEntry } from './contract';
import { isLoopbackHost, orasCommand, orasWords, shellQuote } from './oras-command';

const local: RegistryEntry = { id: 'local', kind: 'local', label: 'Local OCI layout', path: '/home/ada/.local/share/oras-desktop/oci-layout', options: {} };
const remote = (id: string, options: RegistryEntry['options'] = {}): RegistryEntry => ({ id, kind: 'remote', label: id, options });
const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** wordsByShell asks a real POSIX shell how it splits a line (what a terminal would run). */
function wordsByShell(line: string): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('leaves plain words alone', () => {
    for (const w of ['oras', 'ghcr.io/a/b:v1', `x@${DIGEST}`, '--plain-http', '/tmp/a_b/c', 'a=b,c%d+e']) expect(shellQuote(w)).toBe(w);
  });

  it('single-quotes words the shell would change, and survives the shell unchanged', () => {
    const words = ['two words', "it's", '$HOME', '`id`', 'a;b', 'a|b&c', '*', '~/x', '', 'tab\there', 'new\nline', "''", '\\', 'ünï', '"q"', '!x', '#c'];
    for (const w of words) {
      const quoted = shellQuote(w);
      expect(quoted.startsWith("'"), w).toBe(true);
      expect(wordsByShell(quoted), JSON.stringify(w)).toEqual([w]);
    }
  });
});

describe('orasCommand', () => {
  it('writes each kind for a registry', () => {
    const where = { registry: 'ghcr.io', repository: 'team/app' };
    const e = remote('ghcr.io');
    expect(orasCommand({ kind: 'repo-ls', registry: 'ghcr.io' }, e)).toBe('oras repo ls ghcr.io');
    expect(orasCommand({ kind: 'repo-tags', ...where }, e)).toBe('oras repo tags ghcr.io/team/app');
    expect(orasCommand({ kind: 'manifest-fetch', ...where, reference: 'v1' }, e)).toBe('oras manifest fetch ghcr.io/team/app:v1');
    expect(orasCommand({ kind: 'manifest-fetch', ...where, reference: DIGEST }, e)).toBe(`oras manifest fetch ghcr.io/team/app@${DIGEST}`);
    expect(orasCommand({ kind: 'pull', ...where, reference: 'v1' }, e)).toBe('oras pull ghcr.io/team/app:v1');
    expect(orasCommand({ kind: 'pull', ...where, reference: 'v1', output: 'my files' }, e)).toBe("oras pull -o 'my files' ghcr.io/team/app:v1");
    expect(orasCommand({ kind: 'blob-fetch', ...where, digest: DIGEST }, e)).toBe(`oras blob fetch -o ${'ab'.repeat(32)} ghcr.io/team/app@${DIGEST}`);
    expect(orasCommand({ kind: 'blob-fetch', ...where, digest: DIGEST, output: 'rocket.txt' }, e)).toBe(`oras blob fetch -o rocket.txt ghcr.io/team/app@${DIGEST}`);
    expect(orasCommand({ kind: 'discover', ...where, reference: 'v1', depth: 2 }, e)).toBe('oras discover --depth 2 ghcr.io/team/app:v1');
    expect(orasCommand({ kind: 'tag', ...where, reference: DIGEST, tags: ['v2', 'latest'] }, e)).toBe(`oras tag ghcr.io/team/app@${DIGEST} v2 latest`);
    expect(orasCommand({ kind: 'manifest-delete', ...where, reference: 'v1' }, e)).toBe('oras manifest delete ghcr.io/team/app:v1');
    expect(orasCommand({ kind: 'manifest-delete', ...where, reference: 'v1', force: true }, e)).toBe('oras manifest delete --force ghcr.io/team/app:v1');
  });

  it('reaches the local store as OCI layout folders, quoted when the path needs it', () => {
    const where = { registry: 'local', repository: 'rocket' };
    expect(orasCommand({ kind: 'repo-ls', registry: 'local' }, local)).toBeUndefined();
    expect(orasCommand({ kind: 'repo-tags', ...where }, local)).toBe(`oras repo tags --oci-layout ${local.path}/rocket`);
    expect(orasCommand({ kind: 'pull', ...where, reference: 'v1' }, local)).toBe(`oras pull --oci-layout ${local.path}/rocket:v1`);
    const spaced = { ...local, path: "/Users/Ada Lovelace/Library/Application Support/oras-desktop/oci-layout/" };
    const line = orasCommand({ kind: 'manifest-fetch', ...where, reference: DIGEST }, spaced);
    expect(line).toBe(`oras manifest fetch --oci-layout '/Users/Ada Lovelace/Library/Application Support/oras-desktop/oci-layout/rocket@${DIGEST}'`);
    expect(wordsByShell(line.replace(/^oras /, ''))).toEqual(['manifest', 'fetch', '--oci-layout', `${spaced.path}rocket@${DIGEST}`]);
  });

  it("writes the registry's connection flags, leaving out --plain-http where the CLI uses it already", () => {
    const where = { repository: 'app', reference: 'v1' };
    expect(orasCommand({ kind: 'pull', registry: 'reg.lan:5000', ...where }, remote('reg.lan:5000', { plainHttp: true }))).toBe('oras pull --plain-http reg.lan:5000/app:v1');
    expect(orasCommand({ kind: 'pull', registry: '127.0.0.1:5000', ...where }, remote('127.0.0.1:5000', { plainHttp: true }))).toBe('oras pull 127.0.0.1:5000/app:v1');
    expect(orasCommand({ kind: 'pull', registry: 'reg.lan', ...where }, remote('reg.lan', { insecure: true }))).toBe('oras pull --insecure reg.lan/app:v1');
    expect(orasCommand({ kind: 'pull', registry: 'reg.lan', ...where }, remote('reg.lan', { caFile: '/etc/my ca.pem' }))).toBe("oras pull --ca-file '/etc/my ca.pem' reg.lan/app:v1");
    // Another registry's row says nothing about this one.
    expect(orasCommand({ kind: 'pull', registry: 'reg.lan', ...where }, remote('other', { insecure: true }))).toBe('oras pull reg.lan/app:v1');
  });

  it('gives the argv the CLI receives', () => {
    expect(orasWords({ kind: 'tag', registry: 'local', repository: 'a/b', reference: 'v1', tags: ['x'] }, local)).toEqual(['oras', 'tag', '--oci-layout', `${local.path}/a/b:v1`, 'x']);
  });
});

describe('isLoopbackHost', () => {
  it('knows this computer', () => {
    for (const h of ['localhost:5000', '127.0.0.1', '127.1.2.3:80', '[::1]:5000', 'registry.localhost']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['ghcr.io', '10.0.0.1:5000', '127.example.com', 'localhost.example.com']) expect(isLoopbackHost(h), h).toBe(false);
  });
});
