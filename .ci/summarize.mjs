// Prints the closing "N passed, N failed" line from vitest's JSON report. When `npm test` failed
// before vitest ran (lint, typecheck or build), that failed stage counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const [reportPath, exitStatus] = process.argv.slice(2);
const failedEarly = Number(exitStatus) !== 0;

if (!existsSync(reportPath)) {
  console.log(`0 passed, ${failedEarly ? 1 : 0} failed`);
  process.exit(0);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const passed = report.numPassedTests ?? 0;
let failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// A suite that failed to load counts no test but must still count as a failure.
const brokenSuites = (report.testResults ?? []).filter(
  (suite) => suite.status === 'failed' && (suite.assertionResults ?? []).length === 0,
).length;
failed += brokenSuites;
if (failedEarly && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
