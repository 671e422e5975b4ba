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
  it('undoes what must not stay half-done when it stops, newest first, and always cleans up', async () => {
    const undone: string[] = [];
    let cleaned = 0;
    const undoable = (id: string, outcomes: boolean[]): RollbackStep<{ ran: string[] }> => ({
      ...step(id, outcomes, true),
      undo: async () => {
        undone.push(id);
        return { ok: true, detail: `${id} undone` };
      },
    });
    const failed = await walk({
      ...base,
      steps: [undoable('stop', [true]), undoable('restore', [false]), step('start', [true])],
      context: { ran: [] },
      cleanup: async () => void cleaned++,
    });
    // The failed step may have done part of its work: it is undone too, before the one before it.
    expect(undone).toEqual(['restore', 'stop']);
    expect(failed.status).toBe('failed');
    expect(cleaned).toBe(1);

    undone.length = 0;
    let isAbandoned = false;
    const abandoned = await walk({
      ...base,
      steps: [undoable('stop', [true]), step('restore', [true])],
      context: { ran: [] },
      onProgress: (steps) => (isAbandoned = steps[0]!.state === 'succeeded'),
      isAbandoned: () => isAbandoned,
      cleanup: async () => void cleaned++,
    });
    expect(abandoned).toMatchObject({ status: 'abandoned', leftToDo: ['touches restore'] });
    expect(undone).toEqual(['stop']);
    expect(cleaned).toBe(2);
  });

  it('reports an undo that fails first in what is left to do', async () => {
    const result = await walk({
      ...base,
      steps: [
        { ...step('stop', [true], true), undo: async () => ({ ok: false, detail: 'start refused' }) },
        step('restore', [false]),
      ],
      context: { ran: [] },
    });
    expect(result.leftToDo[0]).toBe('Undo "Step stop" failed (start refused): touches stop');
  });

  it('waits for the network before a step that needs it; abandoned while waiting, runs nothing', async () => {
    const context = { ran: [] as string[] };
    const waits: string[] = [];
    const online = await walk({
      ...base,
      steps: [{ ...step('push', [true]), needsNetwork: true }],
      context,
      waitForNetwork: async (_step, onWaiting) => {
        onWaiting('Waiting for the network');
        waits.push('waited');
        return true;
      },
      onProgress: (steps) => waits.push(steps[0]!.state),
    });
    expect(online.status).toBe('succeeded');
    expect(waits).toEqual(['pending', 'waiting', 'waited', 'running', 'succeeded']);
    const offline = await walk({
      ...base,
      steps: [{ ...step('push', [true]), needsNetwork: true }],
      context,
      waitForNetwork: async () => false,
    });
    expect(offline.status).toBe('abandoned');
    expect(context.ran).toEqual(['push']);
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
