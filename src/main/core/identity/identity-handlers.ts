/**
 * Who acts here, as the renderer sees it (name, email, signing key and whether the team's roster
 * knows it), and the choice of the key that signs this laptop's records.
 */
import type { IdentityView } from '../../../shared/contract';
import type { LedgerActor } from '../../../shared/ledger-record';
import type { CockpitContext, HandlersOf } from '../cockpit-context';
import type { Platform } from '../platform/schema';
import type { PolicyService } from '../policy/policy-service';
import { readSettings, writeSettings } from '../settings';
import { identityReport, type IdentityReport } from './identity';
import { loadSigningKey } from './signing-key';

/** The `identity:*` commands: the signing key chosen in the settings. */
export function createIdentityHandlers(context: CockpitContext): HandlersOf<'identity'> {
  const { options, services } = context;
  return {
    'identity:set-signing-key': async ({ key }) => {
      const value = key.trim();
      if (value) await loadSigningKey({ source: 'settings', value });
      const settings = await readSettings(options.dataDir);
      const { signingKey: _previous, ...rest } = settings;
      await writeSettings(options.dataDir, value ? { ...rest, signingKey: value } : rest);
      services.settingsKey = value || undefined;
      return context.whenLoaded(services.identityView)();
    },
  };
}

/**
 * The identity view of a platform's session. Who signs here changes only with the settings or
 * git's config: asked again at most every 30 s.
 */
export function createIdentityView(
  context: CockpitContext,
  platform: Platform,
  actor: LedgerActor,
  policy: PolicyService,
): () => Promise<IdentityView> {
  let identityCache: { at: number; key: string | undefined; report: Promise<IdentityReport> } | undefined;
  return async () => {
    const { settingsKey } = context.services;
    if (!identityCache || identityCache.key !== settingsKey || Date.now() - identityCache.at > 30_000)
      identityCache = {
        at: Date.now(),
        key: settingsKey,
        report: identityReport(platform, actor, settingsKey),
      };
    const report = await identityCache.report;
    return {
      ...policy.identity(),
      ...(report.email ? { email: report.email } : {}),
      key: report.key,
      verified: report.verified,
      isSigningOn: report.isSigningOn,
      ...(report.problem ? { problem: report.problem } : {}),
    };
  };
}
