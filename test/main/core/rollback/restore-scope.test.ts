import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { etaText, maintenanceNotice, rollbackNotice } from '../../../../src/main/core/comms/notices';
import { parsePlatform } from '../../../../src/main/core/platform/load';
import { dateInName, listBackups } from '../../../../src/main/core/rollback/backups';
import { restoreScope } from '../../../../src/main/core/rollback/level-three';
import { isHostReachable, unreachable } from '../../../../src/main/core/rollback/network-check';

/** A platform where `owners` declare the database in production; `backups` is the rollback section. */
function platformWith(owners: string[], rollback = '') {
  const services: [string, string[]][] = [
    ['db', []],
    ['cache', []],
    ['auth', ['db']],
    ['billing', ['auth', 'cache']],
    ['mailer', []],
    ['web', ['auth', 'billing']],
  ];
  const parsed = parsePlatform(
    `version: 1
id: scope
name: Scope
environments:
  - { id: production, name: Production, protected: true, branch: main }
services:
${services
  .map(
    ([id, dependsOn]) => `  - id: ${id}
    name: ${id}
    repo: { url: https://git.example.com/${id}.git }
    dependsOn: [${dependsOn.join(', ')}]
    environments:
      production:
        url: https://${id}.example.com
        deploy: { provider: webhook, url: https://hooks.example.com/${id} }
${owners.includes(id) ? `        database: mongodb://${id}.internal/app\n` : ''}`,
  )
  .join('')}${rollback}`,
    'scope.yaml',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.platform;
}

describe('what a database restore touches', () => {
  it.each([
    ['web', ['db'], ['db'], ['db', 'auth', 'billing', 'web']],
    ['auth', ['db'], ['db'], ['db', 'auth', 'billing', 'web']],
    ['billing', ['db', 'cache'], ['db', 'cache'], ['db', 'cache', 'auth', 'billing', 'web']],
    ['mailer', ['db'], [], []],
    ['db', ['db'], ['db'], ['db', 'auth', 'billing', 'web']],
  ])('for %s with the data in %j: owners %j, affected %j', (service, owners, expectedOwners, affected) => {
    const scope = restoreScope(platformWith(owners), service, 'production');
    expect(scope.dataOwners).toEqual(expectedOwners);
    expect(scope.affected).toEqual(affected);
  });
});

describe('the backups of an environment', () => {
  it('lists the entries matching the pattern, newest first, with the date in their name and their size', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-backups-'));
    const production = path.join(folder, 'production');
    mkdirSync(path.join(production, '2026-11-20T02-00-00Z'), { recursive: true });
    writeFileSync(path.join(production, '2026-11-20T02-00-00Z', 'users.json'), 'x'.repeat(300));
    writeFileSync(path.join(production, 'penpal-ai-2026-11-28-02-00.archive.gz'), 'y'.repeat(1200));
    writeFileSync(path.join(production, 'undated.archive.gz'), 'z');
    utimesSync(
      path.join(production, 'undated.archive.gz'),
      new Date('2026-11-25T10:00:00Z'),
      new Date('2026-11-25T10:00:00Z'),
    );
    writeFileSync(path.join(production, 'notes.txt'), 'not a backup');
    const platform = platformWith(
      ['db'],
      `rollback:\n  backups: { path: "${folder}/{environment}", pattern: "*.archive.gz" }\n`,
    );
    expect(await listBackups(platform, 'production')).toEqual([
      expect.objectContaining({
        id: 'penpal-ai-2026-11-28-02-00.archive.gz',
        takenAt: '2026-11-28T02:00:00.000Z',
        sizeBytes: 1200,
      }),
      expect.objectContaining({ id: 'undated.archive.gz', takenAt: '2026-11-25T10:00:00.000Z', sizeBytes: 1 }),
    ]);
    const everything = platformWith(['db'], `rollback:\n  backups: { path: "${folder}/{environment}" }\n`);
    const folderBackup = (await listBackups(everything, 'production')).find((backup) =>
      backup.id.startsWith('2026-11-20'),
    );
    expect(folderBackup).toMatchObject({ takenAt: '2026-11-20T02:00:00.000Z', sizeBytes: 300 });
  });

  it('says what to fix when the folder is missing or not declared', async () => {
    await expect(listBackups(platformWith(['db']), 'production')).rejects.toMatchObject({ code: 'NOT_CONFIGURED' });
    const missing = platformWith(['db'], 'rollback:\n  backups: { path: "/nonexistent/backups/{environment}" }\n');
    await expect(listBackups(missing, 'production')).rejects.toThrow(
      'The backup folder /nonexistent/backups/production cannot be read (ENOENT)',
    );
  });

  it.each([
    ['2026-11-21T02-00-00Z', '2026-11-21T02:00:00.000Z'],
    ['penpal-ai-2025-01-15-02-00.gz', '2025-01-15T02:00:00.000Z'],
    ['dump_2025-03-04.archive', '2025-03-04T00:00:00.000Z'],
    ['latest.gz', undefined],
  ])('reads the date in %s', (name, expected) => {
    expect(dateInName(name)?.toISOString()).toBe(expected);
  });
});

describe('the notices', () => {
  it('fill the manual’s rollback template and the maintenance notice', () => {
    const eta = etaText(new Date('2026-12-01T13:20:00Z'), 15, 'Europe/Paris');
    expect(eta).toBe('by 14:35 Europe/Paris (within 15 min)');
    expect(
      rollbackNotice({
        service: 'auth-service',
        environment: 'production',
        level: 2,
        fromVersion: '1.2.3',
        toVersion: '1.2.4',
        reason: 'login fails',
        eta,
        contact: 'Ana <ana@example.com>',
      }),
    ).toBe(
      [
        '🚨 ROLLBACK IN PROGRESS',
        'Service: auth-service (production), level 2',
        'Version: v1.2.3 → v1.2.4',
        'Reason: login fails',
        'ETA: by 14:35 Europe/Paris (within 15 min)',
        'Contact: Ana <ana@example.com>',
      ].join('\n'),
    );
    expect(
      rollbackNotice({
        service: 'db',
        environment: 'production',
        level: 3,
        backup: 'b1',
        reason: 'r',
        eta,
        contact: 'c',
      }),
    ).toContain('Version: data restored from backup b1; versions unchanged');
    expect(maintenanceNotice({ eta, services: ['auth-service', 'frontend'] })).toContain(
      'Affected services: auth-service, frontend',
    );
  });
});

describe('reaching what a step needs', () => {
  it('counts a listening or refusing host as reachable, and local paths need nothing', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    expect(await isHostReachable(`http://127.0.0.1:${port}/api/v1/health`)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await isHostReachable(`http://127.0.0.1:${port}/`)).toBe(true); // refused: the host is there
    expect(await isHostReachable('/srv/git/service.git')).toBe(true);
    expect(await isHostReachable('file:///srv/git/service.git')).toBe(true);
  });

  it('names each unreachable host once', async () => {
    const down = new Set(['10.0.0.1']);
    const check = async (url: string) => !down.has(new URL(url).hostname);
    expect(
      await unreachable(['http://10.0.0.1:8080/a', 'http://10.0.0.1:8080/a', 'https://ok.example.com/'], check),
    ).toEqual(['10.0.0.1:8080']);
  });
});
