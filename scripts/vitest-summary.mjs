#!/usr/bin/env node
// vitest-summary FILE...: reads Vitest's JSON reports and prints the one line CI reads,
// `N passed, N failed` (`, N skipped` when any), as the last line of output. Exits 1
// when anything failed, so `scripts/test.sh` can end on this line and still fail.
//
// A file that failed outside any test (an import error, a failing beforeAll) counts as
// one failed test: otherwise a broken file could end the run on "0 failed".
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node scripts/vitest-summary.mjs REPORT.json [MORE.json ...]');
  process.exit(2);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // Vitest died before writing its report (bad config, crash): that is a failure too.
    console.error(`vitest-summary: no readable report at ${file}: ${error.message}`);
    failed += 1;
    continue;
  }
  passed += report.numPassedTests ?? 0;
  let failedHere = report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const result of report.testResults ?? []) {
    const testFailed = (result.assertionResults ?? []).some((a) => a.status === 'failed');
    if (result.status === 'failed' && !testFailed) {
      failedHere += 1;
      const why = (result.message ?? '').split('\n')[0] || 'failed outside any test';
      console.error(`FAILED ${relative(process.cwd(), result.name)}: ${why}`);
    }
  }
  // success=false with nothing counted (e.g. unhandled errors between tests) still fails.
  if (report.success === false && failedHere === 0) failedHere = 1;
  failed += failedHere;
}

console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
