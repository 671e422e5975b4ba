/**
 * The cockpit's views, in navigation order, with their keyboard shortcuts.
 */

import { viewLabels, type ViewId } from '../../../shared/views';

export { viewIds, type ViewId } from '../../../shared/views';

export interface ViewDescription {
  id: ViewId;
  label: string;
  /** The digit pressed with Ctrl (⌘ on macOS) to open it. */
  shortcutDigit: number;
  /** What the view is for, shown while it is being built. */
  purpose: string;
  /** What is coming, for the placeholder. */
  upcoming: string[];
}

export const views: ViewDescription[] = [
  {
    id: 'matrix',
    label: viewLabels.matrix,
    shortcutDigit: 1,
    purpose: 'Every service × environment at a glance: what runs where, whether it is healthy, what waits to ship.',
    upcoming: [
      'Live health and versions per environment',
      'Drift between tags, staging and production',
      'Last-known state when offline',
    ],
  },
  {
    id: 'releases',
    label: viewLabels.releases,
    shortcutDigit: 2,
    purpose: 'Plan and cut versions of each service, with preparation checks and a dry-run preview.',
    upcoming: [
      'Suggested bump from conventional commits',
      'Release notes in the manual’s format',
      'CI and image status per tag',
    ],
  },
  {
    id: 'deploy',
    label: viewLabels.deploy,
    shortcutDigit: 3,
    purpose: 'Deploy services to an environment in dependency order, each step gated on health, with live logs.',
    upcoming: ['Plan with waves and gates', 'Live logs in the terminal', 'Deployment window and countdown'],
  },
  {
    id: 'rollback',
    label: viewLabels.rollback,
    shortcutDigit: 4,
    purpose: 'A guided rollback from the symptom to a verified recovery, also offline.',
    upcoming: [
      'Level 1: redeploy the previous stable version',
      'Level 2: revert and redeploy',
      'Level 3: database restore',
    ],
  },
  {
    id: 'ledger',
    label: viewLabels.ledger,
    shortcutDigit: 5,
    purpose: 'The tamper-evident audit trail of every deploy, rollback, release and override.',
    upcoming: ['Searchable timeline', 'Chain verification', 'Exports'],
  },
  {
    id: 'metrics',
    label: viewLabels.metrics,
    shortcutDigit: 6,
    purpose: 'Delivery KPIs and DORA metrics from the ledger, against the manual’s targets.',
    upcoming: ['Success rate, deploy time, rollbacks, MTTR, change failure rate', 'Weekly trends', 'Monthly report'],
  },
  {
    id: 'settings',
    label: viewLabels.settings,
    shortcutDigit: 7,
    purpose: 'The platform file, the credentials kept in the OS keychain, and preferences.',
    upcoming: ['Platform file and validation', 'Credentials (write-only)', 'Secret rotation due dates'],
  },
];
