// `npm test`: the static checks and the build two at a time, then the tests — the node and
// renderer files in one Vitest run and the browser files in another, side by side — and one JSON
// report of both in test-results/vitest.json (what CI's summary reads).
//
// Why two runs: Vitest runs a project whose files must go one at a time (e2e: one browser test at
// a time) in a group of its own after every other file, so on a 2-core machine the browser tests
// ran alone at the end with a core mostly idle. In their own run they overlap the unit files.
//
// Arguments go to both runs (`npm test -- test/cli` runs the matching files of each); a run that
// matches no file passes. Exit code: 0 when every check and test passed, else 1.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (...parts) => path.join(root, 'node_modules', ...parts);
const node = process.execPath;
const npm = process.env.npm_execpath;
const results = path.join(root, 'test-results');
const report = path.join(results, 'vitest.json');

/** The checks and the build, each run with this Node from the project's own node_modules. */
const checks = [
  { label: 'typecheck (tests)', command: [node, bin('typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json'] },
  { label: 'eslint', command: [node, bin('eslint', 'bin', 'eslint.js'), '.'] },
  { label: 'prettier', command: [node, bin('prettier', 'bin', 'prettier.cjs'), '--check', '.'] },
  { label: 'typecheck (main)', command: [node, bin('typescript', 'bin', 'tsc'), '-p', 'tsconfig.node.json'] },
  { label: 'typecheck (renderer)', command: [node, bin('typescript', 'bin', 'tsc'), '-p', 'tsconfig.web.json'] },
  {
    label: 'build',
    command: npm ? [node, npm, 'run', 'build'] : [process.platform === 'win32' ? 'npm.cmd' : 'npm', 'run', 'build'],
  },
];

/** Runs a command; its output is kept and printed whole when it ends (checks) or streamed with a prefix. */
function run({ label, command, env }, { stream = false } = {}) {
  return new Promise((resolve) => {
    const began = performance.now();
    const child = spawn(command[0], command.slice(1), {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let kept = '';
    let partial = '';
    const take = (chunk) => {
      if (!stream) return void (kept += chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines) process.stdout.write(`[${label}] ${line}\n`);
    };
    child.stdout.setEncoding('utf8').on('data', take);
    child.stderr.setEncoding('utf8').on('data', take);
    const finish = (code, error) => {
      if (partial) process.stdout.write(`[${label}] ${partial}\n`);
      const seconds = ((performance.now() - began) / 1000).toFixed(1);
      const status = code === 0 ? 'passed' : `failed (${error ?? `exit code ${code}`})`;
      process.stdout.write(
        `${kept}${kept && !kept.endsWith('\n') ? '\n' : ''}== ${label}: ${status} in ${seconds} s\n`,
      );
      resolve(code === 0);
    };
    child.on('error', (error) => finish(1, error.message));
    child.on('close', (code, signal) => finish(code ?? 1, signal ? `killed by ${signal}` : undefined));
  });
}

/** Runs `tasks` at most `slots` at a time; resolves with whether all of them passed. */
async function pool(tasks, slots) {
  const waiting = [...tasks];
  const passed = [];
  await Promise.all(
    Array.from({ length: slots }, async () => {
      while (waiting.length > 0) passed.push(await run(waiting.shift()));
    }),
  );
  return passed.every(Boolean);
}

/** One report of the runs' reports, in Vitest's JSON shape; a run that wrote none counts a failed suite. */
function mergeReports(parts) {
  const merged = {
    numTotalTestSuites: 0,
    numPassedTestSuites: 0,
    numFailedTestSuites: 0,
    numPendingTestSuites: 0,
    numTotalTests: 0,
    numPassedTests: 0,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    startTime: Date.now(),
    success: true,
    testResults: [],
  };
  for (const { file, label } of parts) {
    if (!existsSync(file)) {
      merged.success = false;
      merged.numTotalTestSuites++;
      merged.numFailedTestSuites++;
      merged.testResults.push({
        name: label,
        status: 'failed',
        message: `${label} wrote no report`,
        assertionResults: [],
      });
      continue;
    }
    const part = JSON.parse(readFileSync(file, 'utf8'));
    for (const key of Object.keys(merged))
      if (typeof merged[key] === 'number' && key !== 'startTime') merged[key] += part[key] ?? 0;
    merged.startTime = Math.min(merged.startTime, part.startTime ?? merged.startTime);
    merged.success &&= part.success !== false;
    merged.testResults.push(...(part.testResults ?? []));
    rmSync(file, { force: true });
  }
  return merged;
}

const extra = process.argv.slice(2);
mkdirSync(results, { recursive: true });
rmSync(report, { force: true });
if (!(await pool(checks, 2))) {
  process.stdout.write('\nA check or the build failed: the tests did not run.\n');
  process.exit(1);
}
const vitest = (label, projects) => {
  const file = path.join(results, `vitest-${label}.json`);
  rmSync(file, { force: true });
  return {
    label,
    file,
    command: [
      node,
      bin('vitest', 'vitest.mjs'),
      'run',
      ...projects.flatMap((project) => ['--project', project]),
      ...(extra.length > 0 ? ['--passWithNoTests', ...extra] : []),
    ],
    env: { COCKPIT_VITEST_REPORT: file },
  };
};
const runs = [vitest('unit', ['node', 'renderer']), vitest('e2e', ['e2e'])];
const passed = await Promise.all(runs.map((task) => run(task, { stream: true })));
const merged = mergeReports(runs);
writeFileSync(report, `${JSON.stringify(merged)}\n`);
process.stdout.write(
  `\n${merged.numPassedTests} tests passed, ${merged.numFailedTests} failed (${merged.testResults.length} files); report: ${path.relative(root, report)}\n`,
);
process.exit(passed.every(Boolean) && merged.success ? 0 : 1);
