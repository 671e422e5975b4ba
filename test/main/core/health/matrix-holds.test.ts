/**
 * The matrix shows who holds what: a service's own hold on its cell in that environment, an
 * environment's hold on every cell there, lifted holds nowhere.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MatrixModel } from '../../../../src/main/core/health/matrix-model';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { loadPlatformFile } from '../../../../src/main/core/platform/load';
import { samplePlatformFile, temporaryDataDir } from '../../../helpers/cockpit-builder';

describe('holds in the matrix', () => {
  it('marks the held cells with who holds them and why', async () => {
    const loaded = await loadPlatformFile(samplePlatformFile);
    if (!loaded.ok) throw new Error('the sample platform does not load');
    const ledger = new Ledger({
      folder: path.join(temporaryDataDir(), 'ledger'),
      platformId: 'penpal-ai',
      actor: { name: 'Dana DevOps', source: 'roster' },
    });
    const hold = (action: 'hold.placed' | 'hold.lifted', environment: string, service?: string) => ({
      action,
      status: 'info' as const,
      environment,
      ...(service ? { services: [service] } : {}),
      summary: 'hold',
      details: { reason: 'payments incident' },
    });
    await ledger.append([
      hold('hold.placed', 'staging', 'payment-service'),
      hold('hold.placed', 'production'),
      hold('hold.placed', 'staging', 'auth-service'),
      hold('hold.lifted', 'staging', 'auth-service'),
    ]);
    const model = new MatrixModel(loaded.platform);
    model.applyLedger(await ledger.readAll());
    const held = model
      .snapshot()
      .cells.filter((cell) => cell.marks?.hold)
      .map((cell) => `${cell.environment}/${cell.service}: ${cell.marks!.hold!.holder} — ${cell.marks!.hold!.reason}`)
      .sort();
    expect(held).toEqual(
      [
        ...loaded.platform.services
          .filter((service) => service.environments.production)
          .map((service) => `production/${service.id}: Dana DevOps — payments incident`),
        'staging/payment-service: Dana DevOps — payments incident',
      ].sort(),
    );
  });
});
