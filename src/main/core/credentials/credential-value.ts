/**
 * Whether a value can be a secret at all. Every credential value is masked wherever it appears,
 * so a value such as `production` or `succeeded` would blank real words out of every log and
 * error: such values are refused when set, and never masked when an older version stored them.
 */
import { ledgerActions, ledgerStatuses } from '../../../shared/ledger-actions';
import { isLoopbackHost } from '../health/prober';
import type { Platform } from '../platform/schema';

/** Shorter than this, a value is a placeholder rather than a credential. */
export const minimumCredentialLength = 8;

/** Words the cockpit itself writes in records, statuses and commands. */
const productWords = [
  ...ledgerActions,
  ...ledgerActions.flatMap((action) => action.split('.')),
  ...ledgerStatuses,
  ...['pending', 'running', 'verifying', 'succeeded', 'failed', 'skipped', 'not-started', 'intent', 'triggered'],
  ...['needs-reconciling', 'abandoned', 'waiting', 'unreachable', 'degraded', 'unknown', 'success', 'failure'],
  ...['major', 'minor', 'patch', 'hotfix', 'rollback', 'release', 'deploy', 'staging', 'production', 'develop'],
  ...['security', 'data-corruption', 'functional-bug', 'service-loss', 'security-breach', 'password', 'undefined'],
  ...['release-manager', 'tech-lead', 'devops', 'production-deploy', 'gate-override', 'hotfix-exception'],
  ...['rollback-level-3', 'signoff', 'localhost', 'changeme', 'placeholder', 'credential', 'anonymous'],
];

/** The words a platform uses: ids, names, branches, roles and permissions. */
function platformWords(platform: Platform): string[] {
  return [
    platform.id,
    platform.name,
    ...platform.environments.flatMap((environment) => [environment.id, environment.name, environment.branch]),
    ...platform.services.flatMap((service) => [
      service.id,
      service.name,
      service.repo.mainBranch,
      service.repo.developBranch,
    ]),
    ...platform.credentials.map((credential) => credential.id),
    ...Object.keys(platform.roster.roles),
    ...Object.values(platform.roster.roles).flat(),
  ];
}

/** Why `value` cannot be a credential of `platform`, or `undefined` when it can be one. */
export function weakCredentialReason(value: string, platform: Platform): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length < minimumCredentialLength) {
    return `it is ${trimmed.length} character${trimmed.length === 1 ? '' : 's'} long; a credential has at least ${minimumCredentialLength}`;
  }
  const lower = trimmed.toLowerCase();
  const word = [...productWords, ...platformWords(platform)].find((candidate) => candidate.toLowerCase() === lower);
  if (word !== undefined) {
    return `it is "${word}", a word the cockpit and ${platform.name} use in records and messages, so it would be masked everywhere`;
  }
  return undefined;
}

/**
 * Why `value` is not a credential of this kind (a webhook that is not an https URL, a certificate
 * that is not PEM…), in words that say what to paste instead; `undefined` when it fits.
 */
export function kindMismatchReason(value: string, kind: string): string | undefined {
  const trimmed = value.trim();
  switch (kind) {
    case 'webhook-url': {
      let url: URL | undefined;
      try {
        url = new URL(trimmed);
      } catch {
        url = undefined;
      }
      // Plain http only to this machine (a local stand-in, the demo).
      const isLocal = url?.protocol === 'http:' && isLoopbackHost(url.hostname);
      if (!url || (url.protocol !== 'https:' && !isLocal))
        return 'a webhook is an https URL (for Slack, https://hooks.slack.com/services/…)';
      return undefined;
    }
    case 'certificate':
      return /-----BEGIN [A-Z ]+-----/.test(trimmed)
        ? undefined
        : 'a certificate is PEM text, starting with -----BEGIN';
    case 'ssh-key':
      return /-----BEGIN (OPENSSH|RSA|EC|DSA) PRIVATE KEY-----|^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com) /.test(
        trimmed,
      )
        ? undefined
        : 'an SSH key is an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----) or a public key line (ssh-ed25519 …)';
    case 'api-token':
    case 'api-key':
      return /\s/.test(trimmed) ? 'a token is one word: it holds no spaces or line breaks' : undefined;
    default:
      return undefined;
  }
}
