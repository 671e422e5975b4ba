import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../../src/main/core/logs/redactor';
import { stepEntry, temporaryLedger } from './ledger-builder';

describe('the ledger', () => {
  it('takes 10,000 appends from 16 concurrent writers and verifies; each append kept whole and in its writer’s order', async () => {
    const ledger = temporaryLedger();
    const writers = 16;
    const perWriter = 625;
    // Each writer appends one after the other, as a deploy's steps do; the 16 run side by side.
    const appended = await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        const seqs: number[][] = [];
        for (let index = 0; index < perWriter; index++) {
          // Every fifth append is a batch of two: a batch must come back whole, its records adjacent.
          const entries =
            index % 5 === 0
              ? [stepEntry(writer * 10_000 + index), stepEntry(writer * 10_000 + index)]
              : [stepEntry(writer * 10_000 + index)];
          const records = await ledger.append(entries);
          if (records.length !== entries.length)
            throw new Error(`append ${index} of writer ${writer} got ${records.length} records`);
          seqs.push(records.map((record) => record.seq));
        }
        return seqs;
      }),
    );
    const total = writers * perWriter + writers * (perWriter / 5);
    const verification = await ledger.verify();
    expect(verification).toMatchObject({ isValid: true, recordCount: total });
    const records = await ledger.readAll();
    expect(records.map((record) => record.seq)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(new Set(records.map((record) => record.id)).size).toBe(total);
    // What each append was told is what the file holds: its records adjacent, its writer's order kept.
    const problems: string[] = [];
    for (const [writer, seqs] of appended.entries()) {
      let previous = 0;
      for (const [index, batch] of seqs.entries()) {
        if (batch[0]! < previous) problems.push(`writer ${writer}: append ${index} came before the one it followed`);
        if (batch.at(-1)! - batch[0]! !== batch.length - 1) problems.push(`writer ${writer}: append ${index} split`);
        for (const seq of batch)
          if (records[seq - 1]!.versionTo !== `2.${writer * 10_000 + index}.0`)
            problems.push(`writer ${writer}: append ${index} told seq ${seq}, which holds another record`);
        previous = batch.at(-1)!;
      }
    }
    expect(problems).toEqual([]);
  }, 600_000); // 12,000 records in ~700 durable writes (a write takes what came while the last one ran).

  it('stamps each record with time, actor, platform and links it to the previous one', async () => {
    const ledger = temporaryLedger({ clock: () => new Date('2026-11-24T14:05:00Z') });
    const [first] = await ledger.append([stepEntry(1)]);
    const [second] = await ledger.append([stepEntry(2)]);
    expect(first).toMatchObject({
      seq: 1,
      time: '2026-11-24T14:05:00.000Z',
      actor: { name: 'Ana Release', email: 'ana@example.com', source: 'git' },
      platform: 'penpal-ai',
      prevHash: '0'.repeat(64),
      action: 'deploy.step',
    });
    expect(second!.prevHash).toBe(first!.hash);
  });

  it('moves a torn last line aside, reports it, records the repair, and goes on', async () => {
    const ledger = temporaryLedger();
    await ledger.append([stepEntry(1), stepEntry(2)]);
    const size = readFileSync(ledger.paths.file).length;
    writeFileSync(ledger.paths.file, Buffer.concat([readFileSync(ledger.paths.file), Buffer.from('{"seq":3,"act')]));
    expect(await ledger.verify()).toMatchObject({ isValid: true, recordCount: 2, tornTail: { line: 3, bytes: 13 } });

    const [appended] = await ledger.append([stepEntry(3)]);
    expect(appended!.seq).toBe(4);
    const records = await ledger.readAll();
    expect(records[2]).toMatchObject({ seq: 3, action: 'ledger.repaired', status: 'info' });
    expect(records[2]!.summary).toContain('Line 3 was torn by an interrupted write (13 bytes)');
    const saved = readdirSync(path.dirname(ledger.paths.file)).find((name) => name.startsWith('ledger.jsonl.torn-'))!;
    expect(readFileSync(path.join(path.dirname(ledger.paths.file), saved), 'utf8')).toBe('{"seq":3,"act');
    expect(await ledger.verify()).toMatchObject({ isValid: true, recordCount: 4, tornTail: undefined });
    expect(readFileSync(ledger.paths.file).length).toBeGreaterThan(size);
  });

  it('refuses to extend a ledger that fails verification', async () => {
    const ledger = temporaryLedger();
    await ledger.append([stepEntry(1), stepEntry(2), stepEntry(3)]);
    const lines = readFileSync(ledger.paths.file, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"succeeded"', '"failed"');
    writeFileSync(ledger.paths.file, lines.join('\n'));
    const fresh = temporaryLedger();
    Object.assign(fresh, { paths: ledger.paths });
    await expect(fresh.append([stepEntry(4)])).rejects.toMatchObject({
      code: 'LEDGER_INVALID',
      message: expect.stringContaining('line 2'),
    });
  });

  it('notices another writer’s appends before linking its own', async () => {
    const first = temporaryLedger();
    const second = temporaryLedger();
    Object.assign(second, { paths: first.paths });
    await first.append([stepEntry(1)]);
    await second.append([stepEntry(2)]);
    await first.append([stepEntry(3)]);
    expect(await first.verify()).toMatchObject({ isValid: true, recordCount: 3 });
  });

  it('catches records cut from its end', async () => {
    const ledger = temporaryLedger();
    await ledger.append([stepEntry(1), stepEntry(2), stepEntry(3)]);
    const bytes = readFileSync(ledger.paths.file);
    truncateSync(ledger.paths.file, bytes.indexOf(0x0a) + 1);
    expect(await ledger.verify()).toMatchObject({ isValid: false, problem: { line: 2 } });
  });

  it('never records a secret the redactor knows', async () => {
    const redactor = new Redactor();
    redactor.add('sk_live_never_in_the_ledger');
    const ledger = temporaryLedger({ redact: (text) => redactor.redact(text) });
    await ledger.append([{ ...stepEntry(1), summary: 'token sk_live_never_in_the_ledger was rejected' }]);
    expect(readFileSync(ledger.paths.file, 'utf8')).not.toContain('sk_live_never_in_the_ledger');
    expect((await ledger.readAll())[0]!.summary).toBe('token *** was rejected');
  });

  it('masks free text only: environment, status, ids and keys stay whatever the redactor knows', async () => {
    const redactor = new Redactor();
    for (const value of ['production', 'succeeded', 'auth-service', 'versionTo', 'sk_live_in_details_42'])
      redactor.add(value);
    const ledger = temporaryLedger({ redact: (text) => redactor.redact(text) });
    await ledger.append([
      {
        ...stepEntry(2),
        environment: 'production',
        status: 'succeeded',
        summary: 'Deployed auth-service to production',
        details: { versionTo: 'sk_live_in_details_42', steps: [{ service: 'auth-service', status: 'succeeded' }] },
      },
    ]);
    const [record] = await ledger.readAll();
    expect(record).toMatchObject({ environment: 'production', status: 'succeeded', services: ['auth-service'] });
    expect(record!.summary).toBe('Deployed *** to ***');
    expect(record!.details).toEqual({ versionTo: '***', steps: [{ service: '***', status: '***' }] });
    expect(await ledger.verify()).toMatchObject({ isValid: true, recordCount: 1 });
  });

  it('checks every entry against its schema before writing it, and clips an over-long summary', async () => {
    const ledger = temporaryLedger();
    await expect(ledger.append([{ ...stepEntry(1), environment: 'x'.repeat(500) }])).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('"environment"'),
    });
    await ledger.append([{ ...stepEntry(1), summary: 'y'.repeat(5_000) }]);
    const [record] = await ledger.readAll();
    expect(record!.summary).toHaveLength(1_000);
    expect(await ledger.verify()).toMatchObject({ isValid: true, recordCount: 1 });
  });
});
