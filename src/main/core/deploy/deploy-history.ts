/**
 * The deploy history of an environment, from the ledger: each run with who started it, when, the
 * versions each step moved from and to, how long it took and how it ended. A start that was
 * refused never became a run, and is not listed.
 */
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { DeployHistory, DeployHistoryRun } from '../../../shared/contract';
import type { LedgerRecord } from '../../../shared/ledger-record';
import { CockpitError } from '../errors';

/** A log longer than this is read from its end. */
const maxLogRead = 5 * 1024 * 1024;

/** Runs of `environment`, newest first; `running` are the run ids still going in this process. */
export function deployHistory(
  records: readonly LedgerRecord[],
  environment: string,
  running: ReadonlySet<string> = new Set(),
): DeployHistory {
  const runs = new Map<string, DeployHistoryRun>();
  for (const record of records) {
    if (record.environment !== environment || !record.correlationId) continue;
    const runId = record.correlationId;
    if (record.action === 'deploy.started' && !runs.has(runId)) {
      runs.set(runId, {
        runId,
        status: running.has(runId) ? 'running' : 'interrupted',
        startedAt: record.time,
        actor: { name: record.actor.name, ...(record.actor.email ? { email: record.actor.email } : {}) },
        steps: [],
      });
      continue;
    }
    const run = runs.get(runId);
    if (!run) continue;
    if (record.action === 'deploy.step' && record.versionTo) {
      run.steps = [
        ...run.steps.filter((step) => step.service !== record.services?.[0]),
        {
          service: record.services?.[0] ?? '?',
          ...(record.versionFrom ? { from: record.versionFrom } : {}),
          to: record.versionTo,
          status: record.status,
        },
      ];
    } else if (record.action === 'deploy.finished' && record.status !== 'started') {
      run.status = record.status === 'succeeded' ? 'succeeded' : record.status === 'cancelled' ? 'cancelled' : 'failed';
      run.finishedAt = record.time;
      run.durationMs = Math.max(0, Date.parse(record.time) - Date.parse(run.startedAt));
      const planned = (record.details?.steps ?? []) as { service: string; version: string; status: string }[];
      for (const step of planned)
        if (!run.steps.some((known) => known.service === step.service))
          run.steps.push({ service: step.service, to: step.version, status: step.status });
    }
  }
  return { environment, runs: [...runs.values()].reverse() };
}

/** A run's log file, its last 5 MB when longer (from a whole line), through `redact`. */
export async function readRunLog(runId: string, file: string, redact: (text: string) => string) {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(runId) || !existsSync(file))
    throw new CockpitError('NOT_FOUND', `There is no log of run ${runId.slice(0, 100)}.`);
  const { size } = await stat(file);
  const length = Math.min(size, maxLogRead);
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    const fromLine = size > length ? text.slice(text.indexOf('\n') + 1) : text;
    return { runId, text: redact(fromLine), isTruncated: size > length, file };
  } finally {
    await handle.close();
  }
}
