import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/testing/test-io';
import { startFaultProxy, times, type FaultProxy } from './support/fault-proxy';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * Bad input, each a clear error that names what is wrong, with exit 1 (ORAS's status
 * for every error, the command line's mistakes included); the registry receives no
 * artifact and nothing is written outside (or left half-written inside) the folders
 * the user named.
 */

const tempDir = useTempDirs('oras-bad-input-');

async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

async function workDir(): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'rocket.txt'), '🚀');
  await writeFile(path.join(dir, 'rocket-config.json'), '{"RocketVersion":"v0.1.0"}');
  await writeFile(path.join(dir, 'not-json.json'), '{"$manifest": ');
  await writeFile(path.join(dir, 'array.json'), '[1, 2]');
  await writeFile(path.join(dir, 'nested.json'), '{"$manifest": {"a": {"b": 1}}}');
  await writeFile(path.join(dir, 'number-value.json'), '{"$manifest": {"a": 1}}');
  await writeFile(path.join(dir, 'unknown-file.json'), '{"other.txt": {"a": "b"}}');
  await writeFile(path.join(dir, 'manifest-not-object.json'), '{"$manifest": "x"}');
  return dir;
}

describe('the CLI refuses bad input clearly and writes nothing', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => registry?.stop());

  // [what, argv (HOST is the registry), expected exit, a piece of the message]
  const cases: Array<[string, string[], number, RegExp]> = [
    ['uppercase repository', ['push', 'HOST/Mystuff/rocket:v1', 'rocket.txt'], 1, /lowercase/],
    ['empty tag', ['push', 'HOST/mystuff/rocket:', 'rocket.txt'], 1, /tag/],
    ['tag starting with a dot', ['push', 'HOST/mystuff/rocket:.v1', 'rocket.txt'], 1, /tag/],
    ['tag of 129 characters', ['push', `HOST/mystuff/rocket:${'a'.repeat(129)}`, 'rocket.txt'], 1, /tag/],
    ['tag with a slash-free bad char', ['push', 'HOST/mystuff/rocket:v1!', 'rocket.txt'], 1, /tag/],
    ['scheme in the reference', ['push', 'http://HOST/mystuff/rocket:v1', 'rocket.txt'], 1, /scheme/],
    ['white space', ['push', 'HOST/my stuff/rocket:v1', 'rocket.txt'], 1, /white space/],
    ['double slash', ['push', 'HOST/mystuff//rocket:v1', 'rocket.txt'], 1, /empty path component/],
    ['trailing slash', ['push', 'HOST/mystuff/rocket/', 'rocket.txt'], 1, /empty path component/],
    ['leading separator', ['push', 'HOST/-rocket:v1', 'rocket.txt'], 1, /component/],
    ['double dot', ['push', 'HOST/a..b:v1', 'rocket.txt'], 1, /component/],
    ['port zero', ['push', '127.0.0.1:0/mystuff/rocket:v1', 'rocket.txt'], 1, /port/],
    ['port too large', ['push', '127.0.0.1:99999/mystuff/rocket:v1', 'rocket.txt'], 1, /port/],
    ['registry only', ['push', 'HOST', 'rocket.txt'], 1, /repository/],
    ['digest with a bad algorithm', ['push', 'HOST/mystuff/rocket@md5:abc', 'rocket.txt'], 1, /digest|algorithm/],
    ['digest too short', ['push', 'HOST/mystuff/rocket@sha256:abc', 'rocket.txt'], 1, /digest|hex/],
    ['digest in uppercase hex', ['pull', `HOST/mystuff/rocket@sha256:${'A'.repeat(64)}`], 1, /hex/],
    ['empty reference', ['pull', ''], 1, /empty|reference/],
    ['tag in an unclosed IPv6 host', ['pull', '[::1:5000/mystuff/rocket:v1'], 1, /\[|IPv6|host/],
    ['layer media type without subtype', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt:text'], 1, /media type|type/],
    ['layer media type with a space', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt:text/pla in'], 1, /media type/],
    ['layer media type with two slashes', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt:text/plain/x'], 1, /media type/],
    ['config media type missing subtype', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--manifest-config', 'rocket-config.json:application/'], 1, /media type/],
    ['non-ASCII media type', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt:text/plaîn'], 1, /media type/],
    ['artifact type invalid', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--artifact-type', 'not a type'], 1, /artifact-type/],
    ['annotation without "="', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '-a', 'novalue'], 1, /annotation/],
    ['annotation with an empty key', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '-a', '=value'], 1, /annotation/],
    ['annotation file that is not JSON', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--annotation-file', 'not-json.json'], 1, /JSON/],
    ['annotation file that is an array', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--annotation-file', 'array.json'], 1, /object/],
    ['annotation file with a nested value', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--annotation-file', 'nested.json'], 1, /string/],
    ['annotation file with a number value', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--annotation-file', 'number-value.json'], 1, /string/],
    ['annotation file naming a file not pushed', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--annotation-file', 'unknown-file.json'], 1, /other\.txt/],
    ['annotation file whose $manifest is not an object', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--annotation-file', 'manifest-not-object.json'], 1, /object/],
    ['annotation file that does not exist', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--annotation-file', 'missing.json'], 1, /missing\.json/],
    ['file that does not exist', ['push', 'HOST/mystuff/rocket:v1', 'nothere.txt'], 1, /nothere\.txt.*does not exist/],
    ['absolute file name', ['push', 'HOST/mystuff/rocket:v1', '/etc/hostname'], 1, /absolute|path/],
    ['file name reaching out with ..', ['push', 'HOST/mystuff/rocket:v1', '../rocket.txt'], 1, /\.\./],
    ['concurrency of zero', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--concurrency', '0'], 1, /concurrency/],
    ['unknown image spec', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--image-spec', 'v2'], 1, /image-spec|v1\.0|v1\.1/],
    ['unknown output format', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--format', 'yaml'], 1, /format/],
    ['unknown option', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--no-such-flag'], 1, /unknown option/],
    ['ca file that does not exist', ['push', 'HOST/mystuff/rocket:v1', 'rocket.txt', '--ca-file', 'no-ca.pem'], 1, /no-ca\.pem/],
  ];

  for (const [what, argv, code, message] of cases) {
    it(`${what}: exit ${code}`, async () => {
      const cwd = await workDir();
      const before = await tree(cwd);
      const result = await runCli(
        argv.map((a) => a.replace('HOST', registry.host)),
        { cwd, env: { HOME: cwd } },
      );
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/^\s+at /m); // a message, not a stack trace
      expect(await tree(cwd)).toEqual(before);
    });
  }

  it('left no repository behind in the registry', async () => {
    const response = await fetch(`${registry.url}/v2/_catalog`);
    expect(((await response.json()) as { repositories: string[] }).repositories).toEqual([]);
  });
});

describe('a failed pull leaves no partial file', () => {
  let registry: Registry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.url);
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  for (const fault of [{ kind: 'corrupt', atByte: 70_000 }, { kind: 'truncate', afterBytes: 70_000 }] as const) {
    it(`when the blob is ${fault.kind === 'corrupt' ? 'altered' : 'cut short'} on the way`, async () => {
      const cwd = await tempDir();
      await writeFile(path.join(cwd, 'big.bin'), Buffer.alloc(300_000, 9));
      await writeFile(path.join(cwd, 'small.txt'), 'small');
      expect((await runCli(['push', `${proxy.host}/pull/${fault.kind}:v1`, 'big.bin', 'small.txt'], { cwd, env: { HOME: cwd } })).code).toBe(0);
      const parent = await tempDir();
      const out = path.join(parent, 'out');
      await mkdir(out);
      // Every GET of the big blob is spoiled, so retries cannot save it.
      proxy.inject(times(100, fault, (req) => req.method === 'GET' && req.url.includes('/blobs/') && !req.url.includes('uploads')));
      const result = await runCli(['pull', `${proxy.host}/pull/${fault.kind}:v1`, '-o', out, '--concurrency', '1'], { cwd, env: { HOME: cwd } });
      proxy.inject();
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/^Error: .*(digest|bytes|broke off)/m);
      const left = await tree(parent);
      expect(left.filter((name) => name.includes('big.bin') || name.includes('.tmp') || name.includes('partial'))).toEqual([]);
    });
  }
});
