/**
 * `npm run bench`: runs every benchmark, prints its figures and verdicts, and writes them to
 * `test-results/bench.json`. Benchmarks report ratios against baselines measured in the same run;
 * they are never timed assertions inside unit tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deployBench } from './deploy.bench';
import { healthSweepBench, keepAliveBench } from './health-sweep.bench';
import { ledgerBench } from './ledger.bench';
import { logPipelineBench } from './log-pipeline.bench';
import { releasePlanBench } from './release-plan.bench';
import { rendererBench } from './renderer.bench';
import type { BenchResult } from './stats';

const benches: (() => Promise<BenchResult>)[] = [
  healthSweepBench,
  keepAliveBench,
  deployBench,
  logPipelineBench,
  releasePlanBench,
  ledgerBench,
  rendererBench,
];
const results: BenchResult[] = [];
for (const bench of benches) {
  const result = await bench();
  results.push(result);
  process.stdout.write(`\n${result.name}\n`);
  for (const [figure, value] of Object.entries(result.figures))
    process.stdout.write(`  ${figure.padEnd(28)} ${value}\n`);
  for (const verdict of result.verdicts)
    process.stdout.write(`  ${verdict.pass ? 'PASS' : 'MISS'} ${verdict.target}\n`);
}
const output = path.resolve(import.meta.dirname, '../test-results/bench.json');
mkdirSync(path.dirname(output), { recursive: true });
writeFileSync(
  output,
  `${JSON.stringify({ ranAt: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
);
process.stdout.write(`\nWrote ${output}\n`);
