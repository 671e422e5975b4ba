/**
 * The platform file of a demo platform: the sample's services on loopback ports, deployed by the
 * `command` provider through `cockpit demo deploy`.
 */
import { stringify } from 'yaml';
import { demoEnvironments, demoServices } from './catalog';
import type { DemoLayout } from './layout';

export interface DemoPlatformFileOptions {
  layout: DemoLayout;
  ports: Record<string, Record<string, number>>;
  /** The command that runs the cockpit CLI, e.g. [node, /path/bin/cockpit.js]. */
  cliCommand: string[];
  prometheusUrl?: string;
  /** Who runs the demo: every role, so each feature can be tried (recognised by git or OS identity). */
  operator?: { name: string; email?: string; osUser?: string; signingKeys?: string[] };
}

/** The YAML text of the demo's platform file. */
export function demoPlatformYaml(options: DemoPlatformFileOptions): string {
  const { layout, ports, cliCommand } = options;
  const demo = (...args: string[]) => [...cliCommand, 'demo', ...args, '--dir', layout.root];
  const platform = {
    version: 1,
    id: 'penpal-ai-demo',
    name: 'Penpal AI (demo)',
    environments: [
      {
        id: 'staging',
        name: 'Staging',
        protected: false,
        branch: 'develop',
        baseUrl: `http://127.0.0.1:${ports.staging!['frontend']}`,
      },
      {
        id: 'production',
        name: 'Production',
        protected: true,
        branch: 'main',
        baseUrl: `http://127.0.0.1:${ports.production!['frontend']}`,
      },
    ],
    services: demoServices.map((service) => ({
      id: service.id,
      name: service.name,
      kind: service.kind,
      repo: { path: layout.work(service.id), url: layout.origin(service.id) },
      dependsOn: service.dependsOn,
      environments: Object.fromEntries(
        demoEnvironments.map((environment) => [
          environment,
          {
            url: `http://127.0.0.1:${ports[environment]![service.id]}`,
            healthPath: '/api/v1/health',
            deploy: {
              provider: 'command',
              command: demo(
                'deploy',
                '--service',
                '{service}',
                '--environment',
                '{environment}',
                '--version',
                '{version}',
              ),
              stopCommand: demo('stop', '--service', '{service}', '--environment', '{environment}'),
              startCommand: demo('start', '--service', '{service}', '--environment', '{environment}'),
              // Lets the command run under Electron's own binary too (a no-op under Node).
              env: { ELECTRON_RUN_AS_NODE: '1' },
              timeoutSeconds: 120,
            },
            ...(service.id === 'db-service' ? { database: `file://${layout.data(environment)}` } : {}),
          },
        ]),
      ),
    })),
    credentials: [
      {
        id: 'slack-releases-webhook',
        kind: 'webhook-url',
        description: 'Slack incoming webhook for release announcements',
      },
      {
        id: 'slack-incidents-webhook',
        kind: 'webhook-url',
        description: 'Slack incoming webhook for rollback notices',
      },
      { id: 'github-token', kind: 'api-token', description: 'GitHub token for CI status (unused by the demo)' },
    ],
    policy: {
      timeZone: 'Europe/Paris',
      windows: { production: [{ days: ['tue', 'wed', 'thu'], from: '14:00', to: '16:00' }] },
      rotationDays: 90,
      releaseCalendar: {
        productionWeekday: 'thu',
        productionEveryWeeks: 2,
        anchorDate: '2025-01-09',
        hotfixMaxHours: 4,
      },
    },
    roster: {
      people: [
        ...(options.operator ? [{ ...options.operator, roles: ['release-manager', 'tech-lead', 'devops', 'qa'] }] : []),
        { name: 'Tess Tech-Lead', email: 'tess@penpal-ai.example', roles: ['tech-lead'] },
        { name: 'Quinn QA', email: 'quinn@penpal-ai.example', roles: ['qa'] },
      ],
    },
    comms: {
      slack: [
        { id: 'releases', webhookCredential: 'slack-releases-webhook', purpose: 'Release announcements' },
        { id: 'incidents', webhookCredential: 'slack-incidents-webhook', purpose: 'Rollback and maintenance notices' },
      ],
    },
    rollback: {
      backups: { path: `${layout.root}/backups/{environment}` },
      restoreCommand: demo('restore', '--environment', '{environment}', '--backup', '{backup}'),
      integrityChecks: [
        { name: 'Collections match their manifest', command: demo('check-data', '--environment', '{environment}') },
      ],
    },
    metrics: options.prometheusUrl ? { prometheusUrl: options.prometheusUrl } : {},
  };
  return `# The embedded demo platform, written by \`cockpit demo up\`. Safe to delete with \`cockpit demo down --purge\`.\n${stringify(platform, { lineWidth: 0 })}`;
}
