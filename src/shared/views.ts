/**
 * The cockpit's views in navigation order, with their names: one list for the renderer's
 * navigation and the desktop app's View menu (Ctrl/⌘ + the view's place in it).
 */

export const viewIds = ['matrix', 'releases', 'deploy', 'rollback', 'ledger', 'metrics', 'settings'] as const;
export type ViewId = (typeof viewIds)[number];

export const viewLabels: Record<ViewId, string> = {
  matrix: 'Matrix',
  releases: 'Releases',
  deploy: 'Deploy',
  rollback: 'Rollback',
  ledger: 'Ledger',
  metrics: 'Metrics',
  settings: 'Settings',
};
