/**
 * The demo platform's services: the sample's seven, each with a release history of conventional
 * commits and the releases running in production and staging. Production runs an older release
 * than staging, and staging an older one than the latest tag, so there is always something to
 * deploy and to promote.
 */

export type Bump = 'major' | 'minor' | 'patch';

export interface DemoRelease {
  version: string;
  /** Commit subjects (and optional bodies) that lead to this release, oldest first. */
  commits: string[];
}

export interface DemoService {
  id: string;
  name: string;
  kind: 'backend' | 'frontend';
  dependsOn: string[];
  releases: DemoRelease[];
  /** Commits on develop after the latest tag (develop ahead of main). */
  unreleased: string[];
  production: string;
  staging: string;
}

const breaking = (subject: string, note: string) => `${subject}\n\nBREAKING CHANGE: ${note}`;

export const demoServices: DemoService[] = [
  {
    id: 'db-service',
    name: 'DB Service',
    kind: 'backend',
    dependsOn: [],
    releases: [
      {
        version: '1.0.0',
        commits: ['feat: expose users and conversations collections [#101]', 'docs: describe the data model'],
      },
      {
        version: '1.1.0',
        commits: ['feat(users): paginate user listing [#112]', 'fix(users): reject duplicate emails [#115]'],
      },
      {
        version: '1.2.0',
        commits: [
          'feat(conversations): archive old conversations',
          'perf(conversations): index by user and date [#121]',
        ],
      },
      {
        version: '2.0.0',
        commits: [
          breaking('feat(api)!: move every route under /api/v1 [#130]', 'routes without the /api/v1 prefix are gone'),
          'refactor(storage): split repositories per collection',
        ],
      },
      {
        version: '2.0.1',
        commits: [
          'fix(conversations): keep message order on concurrent writes [#134]',
          'security: sanitize sort parameters [#136]',
        ],
      },
      {
        version: '2.1.0',
        commits: ['feat(users): soft-delete accounts [#140]', 'fix: close cursors on aborted requests'],
      },
    ],
    unreleased: ['feat(payments): store invoices [#144]', 'chore(deps): update mongodb driver'],
    production: '2.0.0',
    staging: '2.0.1',
  },
  {
    id: 'auth-service',
    name: 'Auth Service',
    kind: 'backend',
    dependsOn: ['db-service'],
    releases: [
      { version: '1.0.0', commits: ['feat: sign in with email and password [#201]', 'feat: issue JWT access tokens'] },
      { version: '1.1.0', commits: ['feat: refresh tokens [#207]', 'fix: expire reset links after one hour [#209]'] },
      {
        version: '2.0.0',
        commits: [
          breaking(
            'feat!: rotate signing keys with kid headers [#215]',
            'tokens signed with the old single key are refused',
          ),
          'Update README',
        ],
      },
      {
        version: '2.0.1',
        commits: ['security: constant-time password comparison [#219]', 'fix: lowercase emails before lookup'],
      },
      { version: '2.1.0', commits: ['feat: sign in with Google [#224]', 'perf: cache JWKS for ten minutes'] },
    ],
    unreleased: [
      'feat: two-factor authentication [#230]',
      'test: cover refresh token reuse',
      'fix: clearer lockout message',
    ],
    production: '2.0.0',
    staging: '2.0.1',
  },
  {
    id: 'notify-service',
    name: 'Notify Service',
    kind: 'backend',
    dependsOn: [],
    releases: [
      { version: '0.9.0', commits: ['feat: send welcome emails through SendGrid [#301]'] },
      {
        version: '1.0.0',
        commits: [
          breaking('feat!: templated emails [#305]', 'the send endpoint takes a template id instead of raw HTML'),
          'docs: list templates',
        ],
      },
      { version: '1.0.1', commits: ['fix: retry on SendGrid 429 [#309]', 'fix: unsubscribe link in footer'] },
      { version: '1.1.0', commits: ['feat: digest emails [#312]', 'perf: batch recipients by 500'] },
    ],
    unreleased: ['feat: push notifications [#318]'],
    production: '1.0.0',
    staging: '1.0.1',
  },
  {
    id: 'payment-service',
    name: 'Payment Service',
    kind: 'backend',
    dependsOn: ['db-service'],
    releases: [
      { version: '0.1.0', commits: ['feat: Stripe checkout sessions [#401]'] },
      { version: '0.2.0', commits: ['feat: webhooks for payment events [#404]', 'fix: idempotency keys on retries'] },
      {
        version: '1.0.0',
        commits: [
          breaking('feat!: subscriptions replace one-off payments [#410]', 'the /charge endpoint is removed'),
          'refactor: money as integer cents',
        ],
      },
      {
        version: '1.0.1',
        commits: ['security: verify Stripe webhook signatures [#414]', 'fix: currency rounding [#415]'],
      },
      { version: '1.1.0', commits: ['feat: invoices as PDF [#419]', 'fix: handle card_declined gracefully'] },
    ],
    unreleased: ['feat: coupons [#423]', 'Merge branch feature/coupons'],
    production: '1.0.0',
    staging: '1.0.1',
  },
  {
    id: 'ai-service',
    name: 'AI Service (Asimov)',
    kind: 'backend',
    dependsOn: ['db-service'],
    releases: [
      { version: '1.0.0', commits: ['feat: conversational tutor with OpenAI [#501]'] },
      {
        version: '1.1.0',
        commits: ['feat: streaming answers [#506]', 'fix: trim history to the context window [#508]'],
      },
      {
        version: '2.0.0',
        commits: [
          breaking('feat!: conversation memory per learner [#512]', 'the /chat payload requires learnerId'),
          'perf: reuse HTTP agent for OpenAI',
        ],
      },
      {
        version: '2.0.1',
        commits: ['fix: retry on 5xx from the model provider [#517]', 'security: strip prompts from logs [#518]'],
      },
      { version: '2.1.0', commits: ['feat: pronunciation feedback [#522]', 'perf: cache embeddings [#524]'] },
    ],
    unreleased: ['feat: lesson plans [#528]', 'refactor: prompt templates in files'],
    production: '2.0.0',
    staging: '2.0.1',
  },
  {
    id: 'monitoring-service',
    name: 'Monitoring Service',
    kind: 'backend',
    dependsOn: ['db-service', 'auth-service', 'notify-service', 'payment-service', 'ai-service'],
    releases: [
      { version: '1.0.0', commits: ['feat: collect service health [#601]'] },
      {
        version: '2.0.0',
        commits: [
          breaking('feat!: Prometheus exposition format [#605]', 'the JSON /stats endpoint is removed'),
          'docs: Grafana dashboards',
        ],
      },
      { version: '2.0.1', commits: ['fix: label cardinality of route metrics [#609]'] },
      { version: '2.0.2', commits: ['fix: scrape timeout below interval [#611]', 'perf: reuse registries'] },
      { version: '2.1.0', commits: ['feat: deployment annotations [#615]', 'fix: alert on stale scrapes'] },
    ],
    unreleased: ['feat: SLO burn-rate alerts [#619]'],
    production: '2.0.1',
    staging: '2.0.2',
  },
  {
    id: 'frontend',
    name: 'Frontend (Next.js)',
    kind: 'frontend',
    dependsOn: ['auth-service', 'notify-service', 'payment-service', 'ai-service', 'monitoring-service'],
    releases: [
      { version: '1.0.0', commits: ['feat: landing page and sign-in [#701]'] },
      { version: '1.1.0', commits: ['feat: chat screen [#705]', 'fix: mobile keyboard covers input [#707]'] },
      {
        version: '2.0.0',
        commits: [
          breaking('feat!: app router and new design system [#712]', 'old /app/* URLs redirect to new routes'),
          'perf: lazy-load chat history',
        ],
      },
      { version: '2.1.0', commits: ['feat: subscription page [#716]', 'fix: dark mode contrast [#718]'] },
      { version: '2.2.0', commits: ['feat: pronunciation practice [#722]', 'security: tighten CSP [#724]'] },
    ],
    unreleased: ['feat: offline lessons [#728]', 'style: spacing on cards'],
    production: '2.0.0',
    staging: '2.1.0',
  },
];

export const demoEnvironments = ['staging', 'production'] as const;
export type DemoEnvironment = (typeof demoEnvironments)[number];

/** The latest tag of a demo service. */
export function latestVersion(service: DemoService): string {
  return service.releases[service.releases.length - 1]!.version;
}
