import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrasError } from '../errors';
import { statNow } from './fs-error';

describe('statNow', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'stat-now-'));
    await writeFile(path.join(dir, 'a.txt'), 'abc');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('answers the stats of a file', () => {
    const stats = statNow(path.join(dir, 'a.txt'), 'add');
    expect(stats.isFile()).toBe(true);
    expect(stats.size).toBe(3);
  });

  it('says what could not be done and why, naming the path', () => {
    const missing = path.join(dir, 'missing.txt');
    expect(() => statNow(missing, 'add')).toThrow(OrasError);
    expect(() => statNow(missing, 'add')).toThrow(`cannot add ${missing}: it does not exist`);
    expect(() => statNow(path.join(dir, 'a.txt', 'below'), 'read')).toThrow('a part of the path is a file, not a folder');
  });

  it('tells an aborted operation as ABORTED', () => {
    const controller = new AbortController();
    controller.abort();
    let thrown: unknown;
    try {
      statNow(path.join(dir, 'missing.txt'), 'read', controller.signal);
    } catch (err) {
      thrown = err;
    }
    expect((thrown as OrasError).code).toBe('ABORTED');
  });
});
