/**
 * The ledger's actions and statuses as plain lists, without zod, so the renderer can offer them
 * in filters without pulling the schema library (which probes `eval`, refused by our CSP).
 */

/** What happened. Actions that change something come as a `started` record and an ending one. */
export const ledgerActions = [
  'release.cut',
  'deploy.started',
  'deploy.step',
  'deploy.finished',
  'deploy.promotion',
  'deploy.resumed',
  'version.marked-bad',
  'version.marked-good',
  'rollback.started',
  'rollback.step',
  'rollback.finished',
  'gate.verdict',
  'override',
  'approval.requested',
  'approval',
  'signoff',
  'comms.queued',
  'comms.sent',
  'rotation.step',
  'watch.alert',
  'credential.set',
  'credential.deleted',
  'ledger.repaired',
  'lock.taken-over',
  'hold.placed',
  'hold.lifted',
] as const;
export type LedgerAction = (typeof ledgerActions)[number];

export const ledgerStatuses = ['started', 'succeeded', 'failed', 'cancelled', 'info'] as const;
export type LedgerStatus = (typeof ledgerStatuses)[number];
