import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertFileAnnotationsUsed,
  mergeAnnotations,
  parseAnnotationFlag,
  parseAnnotationFlags,
  parseAnnotationJson,
  readAnnotationFile,
} from './annotations';
import { UsageError } from './errors';

describe('-a key=value', () => {
  it('splits at the first "="', () => {
    expect(parseAnnotationFlag('a=b')).toEqual(['a', 'b']);
    expect(parseAnnotationFlag('url=https://x/?a=b')).toEqual(['url', 'https://x/?a=b']);
    expect(parseAnnotationFlag('empty=')).toEqual(['empty', '']);
  });

  it('refuses a missing "=", an empty key and a key given twice', () => {
    expect(() => parseAnnotationFlag('novalue')).toThrow(/has no "="/);
    expect(() => parseAnnotationFlag('=v')).toThrow(/empty key/);
    expect(() => parseAnnotationFlag(' k=v')).toThrow(/white space/);
    expect(() => parseAnnotationFlags(['a=1', 'a=2'])).toThrow(/given twice/);
    expect(parseAnnotationFlags(['a=1', 'b=2'])).toEqual({ a: '1', b: '2' });
  });
});

describe('--annotation-file', () => {
  it("reads ORAS's format", () => {
    const set = parseAnnotationJson(
      JSON.stringify({ $manifest: { m: '1' }, $config: { c: '2' }, 'rocket.txt': { f: '3' } }),
      'a.json',
    );
    expect(set.manifest).toEqual({ m: '1' });
    expect(set.config).toEqual({ c: '2' });
    expect(set.files.get('rocket.txt')).toEqual({ f: '3' });
  });

  it('explains what is wrong', () => {
    expect(() => parseAnnotationJson('{', 'a.json')).toThrow(/a.json is not valid JSON/);
    expect(() => parseAnnotationJson('[]', 'a.json')).toThrow(/must hold a JSON object.*not an array/);
    expect(() => parseAnnotationJson('{"$manifest": "x"}', 'a.json')).toThrow(/the manifest \("\$manifest"\) must be an object of strings, not a string/);
    expect(() => parseAnnotationJson('{"f.txt": {"k": 1}}', 'a.json')).toThrow(/annotation "k" of file "f.txt" must be a string, not a number/);
    expect(() => parseAnnotationJson('{"f.txt": {"": "v"}}', 'a.json')).toThrow(/empty key/);
    expect(() => parseAnnotationJson('{"": {}}', 'a.json')).toThrow(/empty name/);
    expect(() => parseAnnotationJson('{"$config": null}', 'a.json')).toThrow(UsageError);
  });

  it('merges with -a, refusing a key set twice', () => {
    const set = parseAnnotationJson('{"$manifest": {"a": "1"}}', 'f');
    expect(mergeAnnotations(set, { b: '2' }).manifest).toEqual({ a: '1', b: '2' });
    expect(() => mergeAnnotations(parseAnnotationJson('{"$manifest": {"a": "1"}}', 'f'), { a: '2' })).toThrow(/both by --annotation and/);
    expect(mergeAnnotations(undefined, { a: '1' }).manifest).toEqual({ a: '1' });
  });

  it('refuses annotations for files that are not pushed', () => {
    const set = parseAnnotationJson('{"typo.txt": {"a": "1"}}', 'f');
    expect(() => assertFileAnnotationsUsed(set, ['rocket.txt'])).toThrow(/"typo.txt", which is not among the files pushed \("rocket.txt"\)/);
    expect(() => assertFileAnnotationsUsed(set, ['typo.txt'])).not.toThrow();
  });

  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('reads the file, with a clear error when it is missing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oras-cli-ann-'));
    dirs.push(dir);
    const file = path.join(dir, 'a.json');
    await writeFile(file, '{"$manifest": {"k": "v"}}');
    expect((await readAnnotationFile(file)).manifest).toEqual({ k: 'v' });
    await expect(readAnnotationFile(path.join(dir, 'missing.json'))).rejects.toThrow(/cannot read annotation file .*missing.json: it does not exist/);
  });
});
