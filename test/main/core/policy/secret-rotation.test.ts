import { describe, expect, it } from 'vitest';
import { AuditTrail } from '../../../../src/main/core/ledger/audit-trail';
import { parsePlatform } from '../../../../src/main/core/platform/load';
import { RotationBook, rotationRunbook } from '../../../../src/main/core/policy/secret-rotation';
import { temporaryLedger } from '../ledger/ledger-builder';

const platform = (() => {
  const parsed = parsePlatform(
    `version: 1
id: shop
name: Shop
environments:
  - { id: production, name: Production, protected: true, branch: main }
services:
  - id: api
    name: API
    repo: { url: https://git.example.com/api.git }
    environments:
      production: { url: https://api.example.com, deploy: { provider: webhook, url: https://hooks.example.com/api } }
secrets:
  - { id: jwt-secret, kind: jwt-secret, owner: Auth team, lastRotatedAt: 2026-09-01 }
  - { id: stripe-key, kind: api-key, lastRotatedAt: 2026-11-20, rotationDays: 30 }
  - { id: db-password, kind: password, lastRotatedAt: 2026-08-01 }
  - { id: tls-cert, kind: certificate }
policy:
  rotationDays: 90
`,
    'shop.yaml',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.platform;
})();

function book(at: { now: Date }) {
  const ledger = temporaryLedger({ clock: () => at.now });
  return new RotationBook({ platform, audit: new AuditTrail(ledger, () => undefined), clock: () => at.now });
}

describe('secret rotation', () => {
  it('gives each secret its due date under the 90-day policy or its own period', async () => {
    const secrets = await book({ now: new Date('2026-12-01T12:00:00Z') }).list();
    const byId = Object.fromEntries(secrets.map((secret) => [secret.id, secret]));
    // 2026-09-01 + 90 days = 2026-11-30: overdue since yesterday.
    expect(byId['jwt-secret']).toMatchObject({
      status: 'overdue',
      dueAt: '2026-11-30T00:00:00.000Z',
      daysLeft: -2,
      owner: 'Auth team',
    });
    // 2026-11-20 + 30 days = 2026-12-20: 18 days left.
    expect(byId['stripe-key']).toMatchObject({ status: 'ok', rotationDays: 30, daysLeft: 18 });
    expect(byId['db-password']!.status).toBe('overdue');
    expect(byId['tls-cert']).toMatchObject({ status: 'never-rotated' });
    expect(byId['tls-cert']!.dueAt).toBeUndefined();
    const soon = await book({ now: new Date('2026-12-10T12:00:00Z') }).list();
    expect(soon.find((secret) => secret.id === 'stripe-key')!.status).toBe('due-soon');
  });

  it('walks the runbook step by step; the last step completes the rotation and resets the due date', async () => {
    const at = { now: new Date('2026-12-01T09:00:00Z') };
    const rotations = book(at);
    let secrets = await rotations.check('jwt-secret', 'generate', 'new 64-byte key in the vault');
    let jwt = secrets.find((secret) => secret.id === 'jwt-secret')!;
    expect(jwt.runbook[0]).toMatchObject({
      id: 'generate',
      doneAt: '2026-12-01T09:00:00.000Z',
      by: 'Ana Release',
      note: 'new 64-byte key in the vault',
    });
    expect(jwt.status).toBe('overdue'); // not rotated until every step is done
    await expect(rotations.check('jwt-secret', 'generate')).rejects.toThrow('is already checked for this rotation');
    await expect(rotations.check('nope', 'generate')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const step of rotationRunbook.slice(1)) {
      at.now = new Date(at.now.getTime() + 10 * 60_000);
      secrets = await rotations.check('jwt-secret', step.id);
    }
    jwt = secrets.find((secret) => secret.id === 'jwt-secret')!;
    expect(jwt).toMatchObject({
      status: 'ok',
      lastRotatedAt: '2026-12-01T09:50:00.000Z',
      dueAt: '2027-03-01T09:50:00.000Z',
    });
    // The next rotation starts with an empty checklist.
    expect(jwt.runbook.every((step) => step.doneAt === undefined)).toBe(true);
  });
});
