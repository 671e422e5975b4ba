/**
 * The names of the contract's channels, and nothing else.
 *
 * The preload imports this file (a sandboxed preload cannot `require` zod), so it stays free of
 * imports. `contract/index.ts` checks at compile time that these lists and its schemas agree.
 */

/** Every command the renderer may invoke, `domain:verb`. */
export const commandChannels = [
  'app:info',
  'platform:current',
  'platform:open',
  'platform:recent',
  'platform:choose-file',
  'platform:reveal',
  'platform:import-coolify',
  'credentials:list',
  'credentials:set',
  'credentials:delete',
  'ledger:query',
  'ledger:verify',
  'ledger:export',
  'ledger:sync',
  'matrix:get',
  'matrix:refresh',
  'matrix:details',
  'deploy:plan',
  'deploy:start',
  'deploy:cancel',
  'deploy:log-ack',
  'deploy:runs',
  'deploy:resume',
  'deploy:abandon',
  'deploy:promotion',
  'deploy:promote',
  'deploy:history',
  'deploy:read-log',
  'deploy:mark',
  'policy:window',
  'policy:identity',
  'policy:approve-hotfix',
  'team:status',
  'team:sync',
  'team:locks',
  'team:hold',
  'identity:set-signing-key',
  'approvals:list',
  'approvals:request-exception',
  'approvals:request-override',
  'approvals:decide',
  'policy:override',
  'rollback:triage',
  'rollback:start',
  'rollback:choices',
  'rollback:decide',
  'comms:queue',
  'comms:test-channel',
  'postmortem:draft',
  'comms:deploy-notices',
  'watch:list',
  'report:monthly',
  'comms:outbox',
  'rotation:list',
  'rotation:check',
  'comms:cancel',
  'comms:resolve',
  'metrics:report',
  'signoff:checklist',
  'signoff:sign',
  'signoff:revoke',
  'release:plan',
  'release:preview',
  'release:cut',
  'release:calendar',
  'release:history',
  'release:ci',
] as const;

/** Every event main may send, `domain:noun` or `domain:past-tense`. */
export const eventChannels = [
  'app:menu',
  'app:heartbeat',
  'platform:changed',
  'credentials:changed',
  'team:sync-changed',
  'ledger:appended',
  'ledger:verified',
  'deploy:step-changed',
  'deploy:log',
  'deploy:finished',
  'rollback:progress',
  'rollback:output',
  'watch:changed',
  'watch:alerted',
  'comms:outbox-changed',
  'matrix:cells-changed',
  'matrix:rows-changed',
] as const;

export type CommandChannel = (typeof commandChannels)[number];
export type EventChannel = (typeof eventChannels)[number];

/** Whether `name` is one of the contract's commands. */
export function isCommandChannel(name: unknown): name is CommandChannel {
  return typeof name === 'string' && (commandChannels as readonly string[]).includes(name);
}

/** Whether `name` is one of the contract's events. */
export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && (eventChannels as readonly string[]).includes(name);
}
