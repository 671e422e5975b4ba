/**
 * The ledger's commands (query, verify, export, sync) and the figures drawn from it: an
 * environment's metrics and the monthly report.
 */
import path from 'node:path';
import type { CockpitContext, HandlersOf } from '../cockpit-context';
import { CockpitError } from '../errors';
import { createLedgerCommands } from './ledger-commands';
import { platformMetrics } from './platform-metrics';
import { writeMonthlyReport } from './write-report';

/** The `ledger:*`, `metrics:*` and `report:*` commands over the open platform's ledger. */
export function createLedgerHandlers(context: CockpitContext): HandlersOf<'ledger' | 'metrics' | 'report'> {
  const { options, clock, events, services } = context;
  const ledgerCommands = createLedgerCommands(() => {
    const current = context.requireAudit();
    return {
      ledger: current.audit.ledger,
      platform: current.platform,
      dataDir: options.dataDir,
      clock,
      lastVerification: () => services.lastVerification,
      onVerified: (verification) => {
        services.lastVerification = verification;
        events.emit('ledger:verified', verification);
      },
    };
  });
  return {
    'ledger:query': (input) => ledgerCommands.query(input),
    'ledger:verify': () => ledgerCommands.verify(),
    'ledger:export': (input) => ledgerCommands.export(input),
    'ledger:sync': () => ledgerCommands.sync(),
    'metrics:report': async ({ environment, sinceDays }) => {
      const { audit: trail, platform: loaded } = context.requireAudit();
      if (!loaded.environments.some((candidate) => candidate.id === environment))
        throw new CockpitError('NOT_FOUND', `${loaded.name} has no environment "${environment}".`);
      const to = clock();
      const period = { from: new Date(to.getTime() - sinceDays * 86_400_000), to };
      return platformMetrics(loaded, await trail.ledger.readAll(), environment, period);
    },
    'report:monthly': async ({ month }) => {
      const { audit: trail, platform: loaded } = context.requireAudit();
      return writeMonthlyReport({
        platform: loaded,
        records: await trail.ledger.readAll(),
        month,
        folder: path.join(options.dataDir, 'reports'),
        now: clock(),
        printPdf: options.printPdf,
      });
    },
  };
}
