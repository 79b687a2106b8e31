import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './support/tmp';

/** scripts/vitest-summary.mjs: the one line CI reads, over every report of a run. */

const SCRIPT = path.resolve(import.meta.dirname, '..', 'scripts', 'vitest-summary.mjs');
const tempDir = useTempDirs('oras-summary-');

function summary(...files: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [SCRIPT, ...files], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const report = (passed: number, failed: number, skipped: number, extra: object = {}) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: skipped,
  numTodoTests: 0,
  success: failed === 0,
  testResults: [],
  ...extra,
});

describe('vitest-summary', () => {
  it('adds up the reports of a run into one last line', async () => {
    const dir = await tempDir();
    const main = path.join(dir, 'main.json');
    const newest = path.join(dir, 'newest.json');
    await writeFile(main, JSON.stringify(report(10, 0, 2)));
    await writeFile(newest, JSON.stringify(report(7, 0, 0)));
    expect(summary(main, newest)).toEqual({ code: 0, stdout: '17 passed, 0 failed, 2 skipped\n', stderr: '' });
  });

  it('fails when any report has a failure, a file failing outside its tests, or is missing', async () => {
    const dir = await tempDir();
    const good = path.join(dir, 'good.json');
    const broken = path.join(dir, 'broken.json');
    await writeFile(good, JSON.stringify(report(5, 0, 0)));
    await writeFile(broken, JSON.stringify(report(3, 0, 0, { success: false, testResults: [{ name: path.join(dir, 'x.test.ts'), status: 'failed', message: 'import failed\nstack', assertionResults: [] }] })));
    const result = summary(good, broken);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('8 passed, 1 failed\n');
    expect(result.stderr).toContain('import failed');
    const missing = summary(good, path.join(dir, 'none.json'));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('5 passed, 1 failed\n');
    expect(missing.stderr).toContain('no readable report');
  });
});
