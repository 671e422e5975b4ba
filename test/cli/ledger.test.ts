import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/main/core/ledger/ledger';
import { samplePlatformFile, temporaryDataDir } from '../helpers/cockpit-builder';
import { runCockpit } from '../helpers/cockpit-cli';
import { stepEntry } from '../main/core/ledger/ledger-builder';

let dataDir: string;
let ledgerFile: string;

function cockpit(args: string[]) {
  return runCockpit(args, { ...process.env, COCKPIT_DATA_DIR: dataDir });
}

beforeAll(async () => {
  dataDir = temporaryDataDir();
  const ledger = new Ledger({
    folder: path.join(dataDir, 'ledger', 'penpal-ai'),
    platformId: 'penpal-ai',
    actor: { name: 'Ana Release', source: 'git' },
  });
  for (let index = 0; index < 6; index++) await ledger.append([stepEntry(index)]);
  ledgerFile = ledger.paths.file;
});

describe('cockpit ledger', () => {
  it('verifies an intact chain', async () => {
    const result = await cockpit(['ledger', 'verify', '--platform', samplePlatformFile]);
    expect(result).toMatchObject({ code: 0, stdout: 'Ledger of Penpal AI: 6 records, chain intact.\n' });
  });

  it('tails the last records, filtered', async () => {
    const result = await cockpit([
      'ledger',
      'tail',
      '--platform',
      samplePlatformFile,
      '-n',
      '2',
      '--environment',
      'staging',
    ]);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^#5 \S+ Ana Release deploy\.step succeeded \[staging auth-service\] — Deployed auth-service step 4/,
    );
  });

  it('exports CSV to a file', async () => {
    const out = path.join(temporaryDataDir(), 'trail.csv');
    const result = await cockpit([
      'ledger',
      'export',
      '--platform',
      samplePlatformFile,
      '--format',
      'csv',
      '--out',
      out,
    ]);
    expect(result.stdout).toBe(`Wrote 6 records to ${out}.\n`);
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toMatch(/^seq,id,time,actor,action,status/);
  });

  it('exits 2 on bad filters, and says what is expected', async () => {
    const result = await cockpit(['ledger', 'tail', '--platform', samplePlatformFile, '--action', 'deploy.everything']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown --action "deploy.everything"; expected one of release.cut');
  });

  it('exits 1 naming the file and line of the first broken link', async () => {
    const text = readFileSync(ledgerFile, 'utf8');
    const lines = text.split('\n');
    lines[2] = lines[2]!.replace('"durationMs":26', '"durationMs":27');
    writeFileSync(ledgerFile, lines.join('\n'));
    const result = await cockpit(['ledger', 'verify', '--platform', samplePlatformFile]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${ledgerFile}:3: content does not match its hash: the record was changed\n`);
    writeFileSync(ledgerFile, text);
  });
});
