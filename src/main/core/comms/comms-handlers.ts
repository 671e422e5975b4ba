/**
 * The communication commands: the outbox (queue, list, cancel, resolve, a test message), the
 * notices of a deploy and the post-mortem draft of a rollback.
 */
import type { CockpitContext, HandlersOf } from '../cockpit-context';
import { CockpitError } from '../errors';
import { deployNotices } from './deploy-notices';
import { postMortemDraft } from './post-mortem';

/** The `comms:*` and `postmortem:*` commands over the open platform's outbox and ledger. */
export function createCommsHandlers(context: CockpitContext): HandlersOf<'comms' | 'postmortem'> {
  const { services, whenLoaded, requireAudit } = context;
  const requireComms = () => whenLoaded(services.comms);
  return {
    'comms:queue': async ({ channel, kind, text, correlationId }) => {
      const message = await requireComms().queue({ channel, kind, text, correlationId });
      return { messageId: message.id, queuedAt: message.queuedAt };
    },
    'comms:outbox': async () => ({ messages: await requireComms().list() }),
    'comms:cancel': async ({ messageId }) => ({ messages: await requireComms().cancel(messageId) }),
    'comms:test-channel': async ({ channel }) =>
      requireComms().sendTest(channel, (await whenLoaded(services.identityView)()).name),
    'comms:resolve': async ({ messageId, resolution }) => ({
      messages: await requireComms().resolve(messageId, resolution),
    }),
    'comms:deploy-notices': async ({ runId }) => {
      const { audit: trail, platform: loaded } = requireAudit();
      return deployNotices(loaded, await trail.ledger.readAll(), runId, (service, from, to) =>
        context.requireReleases().notes(service, from, to),
      );
    },
    'postmortem:draft': async ({ rollbackId }) => {
      const { audit: trail, platform: loaded } = requireAudit();
      const markdown = postMortemDraft(await trail.ledger.readAll(), rollbackId, loaded.policy.timeZone);
      if (!markdown) throw new CockpitError('NOT_FOUND', `The ledger has no rollback ${rollbackId}.`);
      return { markdown };
    },
  };
}
