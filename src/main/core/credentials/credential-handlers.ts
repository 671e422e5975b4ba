/**
 * The credential commands: list, set and delete, each recorded in the ledger around the change;
 * the renderer only ever sees names and dates.
 */
import type { CredentialList } from '../../../shared/contract';
import type { CockpitContext, HandlersOf } from '../cockpit-context';

/** The vault's status and every credential by name and date (never a value). */
export const credentialList = async (context: CockpitContext): Promise<CredentialList> => {
  const current = context.requireVault();
  return { status: current.status(), credentials: await current.list() };
};

/** Sends `credentials:changed` with the list as it is now. */
export const announceCredentials = async (context: CockpitContext) =>
  context.events.emit('credentials:changed', await credentialList(context));

/** The `credentials:*` commands over the open platform's vault. */
export function createCredentialHandlers(context: CockpitContext): HandlersOf<'credentials'> {
  const { logger } = context;
  return {
    'credentials:list': () => credentialList(context),
    'credentials:set': async ({ id, value }) => {
      const current = context.requireVault();
      const summary = await context.requireAudit().audit.around(
        {
          action: 'credential.set',
          summary: `Credential ${id} set (the value is kept in the keychain only)`,
          details: { credential: id },
        },
        () => current.set(id, value),
      );
      logger.info('Credential set', { credential: id });
      await announceCredentials(context);
      return summary;
    },
    'credentials:delete': async ({ id }) => {
      const current = context.requireVault();
      const summary = await context.requireAudit().audit.around(
        {
          action: 'credential.deleted',
          summary: `Credential ${id} deleted from the keychain`,
          details: { credential: id },
        },
        () => current.delete(id),
      );
      logger.info('Credential deleted', { credential: id });
      await announceCredentials(context);
      return summary;
    },
  };
}
