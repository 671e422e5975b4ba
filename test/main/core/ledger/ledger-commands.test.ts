import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerPage } from '../../../../src/shared/contract';
import { buildStartedCockpit, samplePlatformFile } from '../../../helpers/cockpit-builder';

const actor = { name: 'Ana Release', email: 'ana@example.com', source: 'git' as const };

async function started(overrides = {}) {
  const built = await buildStartedCockpit({ actor, ...overrides });
  const dataDir = ((await built.cockpit.dispatch('app:info', {})) as { value: { dataDir: string } }).value.dataDir;
  return { ...built, dataDir };
}

async function query(cockpit: Awaited<ReturnType<typeof started>>['cockpit'], input: Record<string, unknown> = {}) {
  const reply = await cockpit.dispatch('ledger:query', input);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as LedgerPage;
}

describe('the ledger inside the cockpit', () => {
  it('records a credential change when it starts and when it ends, never its value', async () => {
    const { cockpit, dataDir } = await started();
    await cockpit.dispatch('credentials:set', { id: 'github-token', value: 'ghp_ledger_never_sees_this' });
    const page = await query(cockpit);
    expect(page.records.map((record) => [record.action, record.status])).toEqual([
      ['credential.set', 'succeeded'],
      ['credential.set', 'started'],
    ]);
    expect(page.records[0]!.correlationId).toBe(page.records[1]!.correlationId);
    expect(page.records[0]).toMatchObject({ actor, platform: 'penpal-ai', details: { credential: 'github-token' } });
    expect(page.verification.isValid).toBe(true);
    const file = readFileSync(path.join(dataDir, 'ledger', 'penpal-ai', 'ledger.jsonl'), 'utf8');
    expect(file).not.toContain('ghp_ledger_never_sees_this');
  });

  it('records a failed action with its reason', async () => {
    const { cockpit } = await started();
    const reply = await cockpit.dispatch('credentials:set', { id: 'not-declared', value: 'whatever-value' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const page = await query(cockpit);
    expect(page.records[0]).toMatchObject({
      action: 'credential.set',
      status: 'failed',
      details: { error: expect.stringContaining('not a credential') },
    });
  });

  it('announces new records and filters, searches and pages them newest first', async () => {
    const { cockpit } = await started();
    const announced: unknown[] = [];
    cockpit.events.subscribe((channel, payload) => channel === 'ledger:appended' && announced.push(payload));
    for (const id of ['github-token', 'coolify-api-token', 'slack-releases-webhook']) {
      await cockpit.dispatch('credentials:set', { id, value: `value-of-${id}` });
    }
    await cockpit.dispatch('credentials:delete', { id: 'github-token' });
    expect(announced).toHaveLength(8);
    expect((await query(cockpit, { action: 'credential.deleted' })).matched).toBe(2);
    const searched = await query(cockpit, { search: 'COOLIFY' });
    expect(searched.matched).toBe(2);
    const firstPage = await query(cockpit, { limit: 3 });
    expect(firstPage.records.map((record) => record.seq)).toEqual([8, 7, 6]);
    const nextPage = await query(cockpit, { limit: 3, beforeSeq: 6 });
    expect(nextPage.records.map((record) => record.seq)).toEqual([5, 4, 3]);
    expect(firstPage.total).toBe(8);
  });

  it('exports the filtered records as CSV and JSON into the data folder', async () => {
    const { cockpit, dataDir } = await started();
    await cockpit.dispatch('credentials:set', { id: 'github-token', value: 'x-value-123' });
    const csv = await cockpit.dispatch('ledger:export', { format: 'csv', action: 'credential.set' });
    expect(csv).toMatchObject({ ok: true, value: { recordCount: 2 } });
    const file = (csv as { value: { file: string } }).value.file;
    expect(path.dirname(file)).toBe(path.join(dataDir, 'exports'));
    const lines = readFileSync(file, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe(
      'seq,id,time,actor,action,status,environment,services,versionFrom,versionTo,commit,image,durationMs,correlationId,summary,hash',
    );
    expect(lines).toHaveLength(3);
    const json = await cockpit.dispatch('ledger:export', { format: 'json' });
    const records = JSON.parse(readFileSync((json as { value: { file: string } }).value.file, 'utf8'));
    expect(records).toHaveLength(2);
  });

  it('gives two exports in the same second two files', async () => {
    const { cockpit } = await started({ clock: () => new Date('2026-11-24T10:00:00.000Z') });
    await cockpit.dispatch('credentials:set', { id: 'github-token', value: 'x-value-123' });
    const exports = await Promise.all([1, 2, 3].map(() => cockpit.dispatch('ledger:export', { format: 'json' })));
    const files = exports.map((reply) => (reply as { value: { file: string } }).value.file);
    expect(new Set(files).size).toBe(3);
    for (const file of files) expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(2);
  });

  it('says how to configure a mirror when none is named', async () => {
    const { cockpit } = await started();
    expect(await cockpit.dispatch('ledger:sync', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_CONFIGURED', message: expect.stringContaining('ledger: { mirror: { repo:') },
    });
  });

  it('syncs with the mirror the platform file names', async () => {
    const repo = path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-mirror-')), 'trail.git');
    execFileSync('git', ['init', '--quiet', '--bare', repo]);
    const platformFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-platform-')), 'platform.yaml');
    writeFileSync(platformFile, `${readFileSync(samplePlatformFile, 'utf8')}\nledger:\n  mirror:\n    repo: ${repo}\n`);
    const { cockpit } = await started({ platformFile });
    await cockpit.dispatch('credentials:set', { id: 'github-token', value: 'y-value-456' });
    expect(await cockpit.dispatch('ledger:sync', {})).toMatchObject({ ok: true, value: { sent: 2, total: 2 } });
    const mirrored = execFileSync('git', ['--git-dir', repo, 'show', 'ledger:penpal-ai.jsonl'], { encoding: 'utf8' });
    expect(mirrored.trim().split('\n')).toHaveLength(2);
  });
});
