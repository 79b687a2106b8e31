import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitBuildInfo } from '../scripts/git-build-info.mjs';
import { cliIn } from '../src/cli/testing/test-io';
import { buildCliBin, type CliBin } from './support/cli-bin';
import { startRegistry, type Registry } from './support/registry';
import { useTempDirs } from './support/tmp';

/**
 * The README parity table's smaller rows (issue 10's "smaller ones"), each checked
 * against what ORAS 1.3's sources print: `oras version`'s Git lines
 * (cmd/oras/root/version.go); `null` where ORAS's model holds a nil slice
 * (cmd/oras/internal/display/metadata/model: push's referenceAsTags, pull's files);
 * manifest fetch's `content` with its keys sorted, as a Go map is marshalled
 * (metadata/json/manifest_fetch.go decodes it into map[string]any).
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const tempDir = useTempDirs('oras-parity-small-');
let cwd: string;

let registry: Registry;
let repo: string;

const { oras, ok } = cliIn(() => cwd);

beforeAll(async () => {
  cwd = await tempDir();
  registry = await startRegistry();
  repo = `${registry.host}/parity/small`;
  await writeFile(path.join(cwd, 'hi.txt'), 'hello');
  await ok('push', `${repo}:v1`, 'hi.txt:text/plain');
}, 60_000);
afterAll(() => registry?.stop());

describe('--format json: null where ORAS\'s model has a nil slice', () => {
  it('push with no tag: referenceAsTags is null; with tags, the sorted list', async () => {
    const untagged = JSON.parse(await ok('push', repo, 'hi.txt', '--format', 'json'));
    expect(untagged.referenceAsTags).toBeNull();
    expect(await ok('push', repo, 'hi.txt', '--format', 'go-template={{.referenceAsTags}}')).toBe('<no value>');
    const tagged = JSON.parse(await ok('push', `${repo}:b,a`, 'hi.txt', '--format', 'json'));
    expect(tagged.referenceAsTags).toEqual([`${repo}:a`, `${repo}:b`]);
  });

  it('writes <, > and & in strings as Go\'s encoder does (\\u003c), in models and descriptors alike', async () => {
    const text = await ok('push', `${repo}:html`, 'hi.txt', '-a', 'note=<b> & c', '--format', 'json');
    expect(text).toContain('"note": "\\u003cb\\u003e \\u0026 c"');
    expect(JSON.parse(text).annotations.note).toBe('<b> & c');
    const blob = path.join(cwd, 'amp.txt');
    await writeFile(blob, 'x');
    const descriptor = await ok('blob', 'push', `${repo}`, blob, '--media-type', 'application/x&y', '--descriptor');
    expect(descriptor).toContain('"mediaType":"application/x\\u0026y"');
  });

  it('pull that writes no file: files is null', async () => {
    const out = JSON.parse(await ok('pull', `${repo}:v1`, '-o', 'none', '--media-type', 'application/x-nothing', '--format', 'json'));
    expect(Object.keys(out)).toEqual(['reference', 'files']);
    expect(out.files).toBeNull();
    const some = JSON.parse(await ok('pull', `${repo}:v1`, '-o', 'some', '--format', 'json'));
    expect(some.files).toHaveLength(1);
  });
});

describe('--template: named templates and sprig over a command\'s model', () => {
  it('defines, calls and blocks templates, with sprig\'s functions, over push\'s and discover\'s models', async () => {
    const template = '{{define "short"}}{{trunc 19 .}}{{end}}{{template "short" .digest}} {{len .referenceAsTags}} {{.size | int64 | add 1 | typeOf}} {{block "tags" .referenceAsTags}}{{join "," (sortAlpha .)}}{{end}}';
    const out = await ok('push', `${repo}:t2,t1`, 'hi.txt', '--format', 'go-template', '--template', template);
    expect(out).toMatch(new RegExp(`^sha256:[0-9a-f]{12} 2 int64 ${repo.replace(/[.]/g, '\\.')}:t1,${repo.replace(/[.]/g, '\\.')}:t2$`));
    expect(await ok('resolve', `${repo}:v1`, '--format', 'go-template={{.digest | regexFind "[0-9a-f]{7}$" | upper | printf "%s!"}}')).toMatch(/^[0-9A-F]{7}!$/);
  });

  it('a wrong argument or an unknown template is a usage error, exit 1', async () => {
    const wrong = await oras('resolve', `${repo}:v1`, '--format', 'go-template={{trunc .size .digest}}');
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringMatching(/^Error: --template: template:1:3: error calling trunc: wrong type for value; expected int; got float64\n$/)]);
    const missing = await oras('resolve', `${repo}:v1`, '--format', 'go-template={{template "nope" .}}');
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/template "nope" not defined/)]);
    // An unknown function is found when parsing, as Go's parser finds it: before the push.
    const unknown = await oras('push', `${repo}:never`, 'hi.txt', '--format', 'go-template={{if false}}{{nosuch .digest}}{{end}}');
    expect([unknown.code, unknown.stderr]).toEqual([1, 'Error: --template: template:1:15: function "nosuch" not defined\n']);
    expect((await oras('resolve', `${repo}:never`)).code).not.toBe(0);
  });
});

describe('manifest fetch --format json: content as a Go map prints it', () => {
  it('sorts content\'s keys at every depth, after the descriptor\'s own keys in their order', async () => {
    await ok('push', `${repo}:annotated`, 'hi.txt:text/plain', '--artifact-type', 'application/vnd.example', '-a', 'z=1', '-a', 'a=2');
    const text = await ok('manifest', 'fetch', `${repo}:annotated`, '--format', 'json');
    const out = JSON.parse(text);
    expect(Object.keys(out)).toEqual(['reference', 'mediaType', 'digest', 'size', 'content']);
    const sorted = (keys: string[]) => [...keys].sort();
    expect(Object.keys(out.content)).toEqual(sorted(Object.keys(out.content)));
    expect(Object.keys(out.content)).toEqual(['annotations', 'artifactType', 'config', 'layers', 'mediaType', 'schemaVersion']);
    expect(Object.keys(out.content.annotations)).toEqual(sorted(Object.keys(out.content.annotations)));
    expect(Object.keys(out.content.config)).toEqual(sorted(Object.keys(out.content.config)));
    expect(Object.keys(out.content.layers[0])).toEqual(['annotations', 'digest', 'mediaType', 'size']);
    // The raw manifest keeps its own order: only the model is a Go map.
    const raw = await ok('manifest', 'fetch', `${repo}:annotated`);
    expect(Object.keys(JSON.parse(raw))[0]).toBe('schemaVersion');
  });
});

describe('oras version: Git commit and tree state, as ORAS stamps them', () => {
  let bin: CliBin;
  beforeAll(async () => {
    bin = await buildCliBin();
  }, 60_000);
  afterAll(() => bin?.remove());

  it('a build from this checkout prints its commit and whether the tree was clean, in the one column', async () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const result = await bin.run(['version'], { cwd, env: { HOME: cwd, PATH: process.env.PATH } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3).map((l) => l.split(':')[0])).toEqual(['Version', 'Node version', 'OS/Arch']);
    expect(lines[3]).toBe(`Git commit:     ${head}`);
    expect(lines[4]).toMatch(/^Git tree state: (clean|dirty)$/);
    const json = JSON.parse((await bin.run(['version', '--format', 'json'], { cwd, env: { HOME: cwd, PATH: process.env.PATH } })).stdout);
    expect(json).toMatchObject({ gitCommit: head, gitTreeState: expect.stringMatching(/^(clean|dirty)$/) });
  });

  it('takes stray arguments with ORAS\'s warning, exit 0', async () => {
    const result = await oras('version', 'a', 'b c');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('warning: `oras version` requires no argument, "a,b c" will be ignored\n');
    expect(result.stdout).toMatch(/^Version: /);
  });

  it('run without a build stamp (from source), the Git lines are left out, as ORAS leaves them out', async () => {
    const result = await oras('version');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/Git/);
    expect(JSON.parse((await oras('version', '--format', 'json')).stdout)).not.toHaveProperty('gitCommit');
  });

  it('a folder that is not this project\'s own checkout has no build info', async () => {
    expect(gitBuildInfo(cwd)).toEqual({ commit: '', treeState: '' });
    // Inside the checkout but not its top: as an npm install inside another project's repository.
    expect(gitBuildInfo(path.join(ROOT, 'src'))).toEqual({ commit: '', treeState: '' });
    expect(gitBuildInfo(ROOT).commit).toMatch(/^[0-9a-f]{40}$/);
  });
});
