/**
 * `cockpit window <environment> --platform <file> [--at <ISO time>] [--json]`: whether deploying
 * to the environment is allowed at that moment (now by default), why, and when the next window
 * opens. Exit 0 when open, 1 when closed.
 */
import { DateTime } from 'luxon';
import { checkAuthorityRecords } from '../core/identity/authority';
import { approvalsOf } from '../core/policy/approvals';
import { activeHotfixException } from '../core/policy/deploy-permission';
import { windowState } from '../core/policy/deployment-window';
import { cliMoment, exitCodes, openLedgerForCli, parseOptions, platformEnvironmentForCli, type CliIo } from './cli-io';

const usage = 'Usage: cockpit window <environment> --platform <file> [--at <ISO time>] [--json]\n';

export async function runWindow(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(
    { options: { platform: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean' } } },
    args,
    io,
  );
  if (!options) {
    io.err(usage);
    return exitCodes.usage;
  }
  const at = options.values.at === undefined ? new Date() : DateTime.fromISO(options.values.at, { setZone: true });
  if (at instanceof DateTime && !at.isValid) {
    io.err(`cockpit window: --at "${options.values.at}" is not an ISO time, e.g. 2026-11-24T15:00:00+01:00.\n`);
    return exitCodes.usage;
  }
  const target = await platformEnvironmentForCli('window', options, usage, io);
  if (!target) return exitCodes.usage;
  const { platform, environment } = target;
  const moment = at instanceof DateTime ? at.toJSDate() : at;
  const state = windowState(platform, environment, moment);
  // A hotfix exception approved in the ledger (signed, by another person) opens it for its services.
  const { ledger } = await openLedgerForCli(platform, io);
  const records = await ledger.readAll().catch(() => []);
  const exception = activeHotfixException(
    approvalsOf(records, checkAuthorityRecords(records, platform), platform, moment),
    environment,
  );
  if (options.values.json)
    io.out(`${JSON.stringify({ ...state, ...(exception ? { hotfixException: exception } : {}) }, null, 2)}\n`);
  else {
    const lines = [`${environment}: ${state.reason}`];
    if (exception)
      lines.push(
        `A hotfix exception is open until ${cliMoment(exception.expiresAt, platform, moment)} (${exception.category}, approved by ${exception.approvedBy}${exception.services ? `; for ${exception.services.join(', ')}` : ''}): ${exception.reason}`,
      );
    if (state.closesAt) lines.push(`Closes at ${cliMoment(state.closesAt, platform, moment)}.`);
    if (state.nextOpensAt) lines.push(`Next window opens at ${cliMoment(state.nextOpensAt, platform, moment)}.`);
    else if (!state.isOpen) lines.push('No window opens in the next 400 days.');
    if (state.slots.length > 0) lines.push(`Windows: ${state.slots.join('; ')} (${state.timeZone}).`);
    io.out(`${lines.join('\n')}\n`);
  }
  return state.isOpen ? exitCodes.ok : exitCodes.failed;
}
