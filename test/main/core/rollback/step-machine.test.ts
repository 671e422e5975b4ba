import { describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../../../src/shared/ledger-record';
import { previousStableVersion } from '../../../../src/main/core/rollback/previous-stable';
import { walk, type RollbackStep } from '../../../../src/main/core/rollback/step-machine';

function step(id: string, outcomes: boolean[], changesSomething = false): RollbackStep<{ ran: string[] }> {
  let attempt = 0;
  return {
    id,
    title: `Step ${id}`,
    touches: `touches ${id}`,
    needsNetwork: false,
    changesSomething,
    run: async (context) => {
      context.ran.push(id);
      const ok = outcomes[attempt++] ?? true;
      if (id === 'throws' && !ok) throw new Error('disk full');
      return { ok, detail: ok ? `${id} ok` : `${id} failed` };
    },
  };
}

const base = { level: 1 as const, service: 'api', environment: 'production', correlationId: 'rb-1' };

describe('the rollback step machine', () => {
  it('runs the steps in order and reports each one', async () => {
    const context = { ran: [] as string[] };
    const result = await walk({ ...base, steps: [step('a', [true]), step('b', [true])], context });
    expect(result).toMatchObject({ status: 'succeeded', leftToDo: [] });
    expect(context.ran).toEqual(['a', 'b']);
  });

  it('retries a failed step when asked, and stops with what is left to do when not', async () => {
    const context = { ran: [] as string[] };
    const retried = await walk({
      ...base,
      steps: [step('a', [false, true]), step('b', [true])],
      context,
      shouldRetry: async () => true,
    });
    expect(retried.status).toBe('succeeded');
    expect(context.ran).toEqual(['a', 'a', 'b']);
    const stopped = await walk({ ...base, steps: [step('throws', [false]), step('b', [true])], context: { ran: [] } });
    expect(stopped).toMatchObject({ status: 'failed', leftToDo: ['touches throws', 'touches b'] });
    expect(stopped.steps.map((progress) => `${progress.id}:${progress.state}`)).toEqual([
      'throws:failed',
      'b:abandoned',
    ]);
    expect(stopped.steps[0]!.detail).toBe('disk full');
  });

  it('asks before a step that changes something; a no abandons there, having changed nothing', async () => {
    const context = { ran: [] as string[] };
    const result = await walk({
      ...base,
      steps: [step('read', [true]), step('change', [true], true)],
      context,
      confirm: async () => false,
    });
    expect(result).toMatchObject({ status: 'abandoned', leftToDo: ['touches change'] });
    expect(context.ran).toEqual(['read']);
  });
});

describe('the previous stable version', () => {
  const step = (versionFrom: string | undefined, versionTo: string, status = 'succeeded', environment = 'production') =>
    ({ action: 'deploy.step', status, environment, services: ['api'], versionFrom, versionTo }) as LedgerRecord;

  it('is the version the deploy of the running one replaced', () => {
    expect(previousStableVersion([step('1.0.0', '1.1.0'), step('1.1.0', '1.2.0')], 'api', 'production', '1.2.0')).toBe(
      '1.1.0',
    );
  });

  it('skips failed deploys and other environments; falls back to the last other version that deployed', () => {
    const records = [
      step(undefined, '1.0.0'),
      step('1.0.0', '1.3.0', 'failed'),
      step('1.0.0', '9.0.0', 'succeeded', 'staging'),
    ];
    expect(previousStableVersion(records, 'api', 'production', '1.2.0')).toBe('1.0.0');
    expect(previousStableVersion([], 'api', 'production', '1.2.0')).toBeUndefined();
  });
});
