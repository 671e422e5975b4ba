/**
 * The platform file's schema: one platform's environments, services, credentials (names only),
 * policy, communication and rollback settings. Everything platform-specific lives here, so the
 * cockpit is not hard-wired to any one platform.
 */
import { z } from 'zod';
import { keyBlob, parsePublicKey } from '../identity/sshsig';
import {
  ArgumentArray,
  BranchName,
  CalendarDate,
  ClockTime,
  DisplayText,
  HttpUrl,
  Identifier,
  lookup,
  RepositoryPath,
  reservedEnvironmentIds,
  TimeZone,
  UrlPath,
  Weekday,
} from './schema-fields';

export { Identifier } from './schema-fields';

export const CommandProvider = z.strictObject({
  provider: z.literal('command'),
  /** Placeholders: {service}, {environment}, {version}. */
  command: ArgumentArray,
  /** Stops the running instance (a level 3 rollback stops the services that use the database). */
  stopCommand: ArgumentArray.optional(),
  /** Starts the instance again at the version it ran. */
  startCommand: ArgumentArray.optional(),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  timeoutSeconds: z.number().int().positive().max(86_400).optional(),
});

export const CoolifyProvider = z.strictObject({
  provider: z.literal('coolify'),
  apiUrl: HttpUrl,
  applicationUuid: z.string().min(1, 'expected the Coolify application uuid'),
  tokenCredential: Identifier,
  /**
   * Set the version on the application before each deploy: which field, and its value
   * (placeholders {service}, {environment}, {version}), e.g. the image tag "{version}".
   */
  pin: z
    .strictObject({
      field: z.enum(['docker_registry_image_tag', 'git_commit_sha']),
      value: z.string().min(1),
    })
    .optional(),
  /** How long a deployment may run in Coolify before the step fails. */
  timeoutSeconds: z.number().int().positive().max(86_400).optional(),
  /** How often the deployment's status and logs are read. */
  pollSeconds: z.number().positive().max(60).optional(),
});

export const WebhookProvider = z.strictObject({
  provider: z.literal('webhook'),
  url: HttpUrl,
  tokenCredential: Identifier.optional(),
});

export const DeployProvider = z.discriminatedUnion('provider', [CommandProvider, CoolifyProvider, WebhookProvider]);

export const ServiceEnvironment = z.strictObject({
  /** The service's base URL in this environment. */
  url: HttpUrl,
  healthPath: UrlPath.default('/api/v1/health'),
  /** Where the running version is reported; the health endpoint by default. */
  versionPath: UrlPath.optional(),
  deploy: DeployProvider,
  /** Connection URI of the database this instance uses, without credentials (isolation check). */
  database: z.string().min(1).optional(),
  /** Connection URI of the cache this instance uses (isolation check). */
  cache: z.string().min(1).optional(),
  /** The declared credentials (API keys…) this instance uses at run time. */
  credentials: z.array(Identifier).default([]),
});

export const Service = z.strictObject({
  id: Identifier,
  name: DisplayText,
  kind: z.enum(['backend', 'frontend']).default('backend'),
  repo: z
    .strictObject({
      path: z.string().min(1).optional(),
      url: z.string().min(1).optional(),
      mainBranch: BranchName.default('main'),
      developBranch: BranchName.default('develop'),
      /** Branches whose releases are pre-releases, beyond alpha, beta, next and rc. */
      prereleaseBranches: z.array(BranchName).optional(),
    })
    .refine((repo) => repo.path !== undefined || repo.url !== undefined, {
      message: 'expected a local "path", a remote "url", or both',
    }),
  version: z
    .strictObject({
      /** `tag`: the version lives in tags only; a cut tags and never writes the file. */
      source: z.enum(['package-json', 'tag']).default('package-json'),
      file: z.string().min(1).default('package.json'),
    })
    .default({ source: 'package-json', file: 'package.json' }),
  image: z.string().min(1).optional(),
  dependsOn: z.array(Identifier).default([]),
  /** Per environment id: where the service runs and how it is deployed there. */
  environments: lookup(z.record(Identifier, ServiceEnvironment)),
});

export const Environment = z.strictObject({
  id: Identifier.refine((id) => !reservedEnvironmentIds.includes(id), {
    message: `expected another id: ${reservedEnvironmentIds.map((id) => `"${id}"`).join(' and ')} name cockpit deploy subcommands`,
  }),
  name: DisplayText,
  /** Protected environments (production) get windows, gates and approvals. */
  protected: z.boolean().default(false),
  branch: BranchName,
  baseUrl: HttpUrl.optional(),
});

export const credentialKinds = [
  'api-token',
  'api-key',
  'webhook-url',
  'password',
  'jwt-secret',
  'certificate',
  'ssh-key',
] as const;

/** A credential the cockpit keeps in the OS keychain: its name and kind only, never a value. */
export const Credential = z.strictObject({
  id: Identifier,
  kind: z.enum(credentialKinds),
  description: z.string().optional(),
  /** The environment it belongs to, when it is specific to one (isolation check). */
  environment: Identifier.optional(),
  rotationDays: z.number().int().positive().max(3650).optional(),
  owner: z.string().optional(),
});

/** A secret the platform uses (tracked for rotation, never stored by the cockpit). */
export const PlatformSecret = z.strictObject({
  id: Identifier,
  kind: z.enum(credentialKinds),
  description: z.string().optional(),
  environment: Identifier.optional(),
  owner: z.string().optional(),
  lastRotatedAt: CalendarDate.optional(),
  rotationDays: z.number().int().positive().max(3650).optional(),
});

const WindowSlot = z.strictObject({
  days: z.array(Weekday).min(1, 'expected at least one day, e.g. ["tue", "wed", "thu"]'),
  from: ClockTime,
  to: ClockTime,
});

export const Policy = z.strictObject({
  timeZone: TimeZone.default('Europe/Paris'),
  /** Allowed weekly slots per protected environment id. */
  windows: lookup(z.record(Identifier, z.array(WindowSlot))).prefault({}),
  holidays: z.array(CalendarDate).default([]),
  freezes: z.array(z.strictObject({ from: CalendarDate, to: CalendarDate, reason: DisplayText })).default([]),
  gates: z
    .strictObject({
      coverageMinPercent: z.number().min(0).max(100).default(80),
      performanceRegressionMaxPercent: z.number().min(0).default(20),
      apiLatencyWarnMs: z.number().positive().default(500),
      frontendLoadWarnMs: z.number().positive().default(3000),
      resourceWarnPercent: z.number().min(0).max(100).default(80),
      errorRateWarnPercent: z.number().min(0).max(100).default(0.5),
      /**
       * Where each service's evidence is read ({repo}: the service's local repository, {service}:
       * its id): Istanbul's coverage-summary.json, `npm audit --json`, and a benchmark result with
       * its stored baseline (`{ "metrics": { "name": number } }`, higher is slower).
       */
      coverageSummary: z.string().min(1).optional(),
      /** The coverage summary of the release in production, to see coverage falling. */
      coverageBaseline: z.string().min(1).optional(),
      auditReport: z.string().min(1).optional(),
      /** `npm outdated --json`: dependencies a major version behind warn. */
      outdatedReport: z.string().min(1).optional(),
      benchmarkResult: z.string().min(1).optional(),
      benchmarkBaseline: z.string().min(1).optional(),
    })
    .prefault({}),
  rotationDays: z.number().int().positive().max(3650).default(90),
  /**
   * A hotfix exception or gate override on a protected environment must be approved by a second
   * person; unset, on when a team ledger mirror is configured.
   */
  fourEyes: z.boolean().optional(),
  /** How long a deploy's team lock (a ref in the ledger mirror) holds without being renewed. */
  teamLockLeaseSeconds: z.number().int().min(30).max(3_600).default(120),
  /** A finished rollback holds its service in that environment, with the rollback's reason. */
  holdAfterRollback: z.boolean().default(true),
  releaseCalendar: z
    .strictObject({
      productionWeekday: Weekday.default('thu'),
      productionEveryWeeks: z.number().int().positive().max(12).default(2),
      anchorDate: CalendarDate.optional(),
      hotfixMaxHours: z.number().positive().default(4),
    })
    .prefault({}),
});

/** What a role may approve or do. */
export const permissions = [
  'production-deploy',
  'gate-override',
  'hotfix-exception',
  'rollback-level-3',
  'signoff',
] as const;
export type Permission = (typeof permissions)[number];

/** The manual's roles and what each may do, when the platform file does not say otherwise. */
export const defaultRoles: Record<string, Permission[]> = {
  'release-manager': ['production-deploy', 'gate-override', 'hotfix-exception', 'signoff'],
  'tech-lead': ['gate-override', 'hotfix-exception', 'rollback-level-3', 'signoff'],
  devops: ['production-deploy', 'rollback-level-3'],
  qa: ['signoff'],
};

const SigningKey = z.string().superRefine((text, context) => {
  try {
    parsePublicKey(text);
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message: `not an OpenSSH public key (${(error as Error).message}): paste the line of the person's .pub file`,
    });
  }
});

export const Roster = z
  .strictObject({
    /** Role → what it may do. */
    roles: lookup(z.record(Identifier, z.array(z.enum(permissions)))).prefault(defaultRoles),
    /** People, recognised by git e-mail, git name or OS user. */
    people: z
      .array(
        z.strictObject({
          name: DisplayText,
          email: z.string().min(3).optional(),
          osUser: z.string().min(1).optional(),
          roles: z.array(Identifier).min(1, 'expected at least one role, e.g. ["release-manager"]'),
          /** OpenSSH public keys the person signs with (as in git's allowed-signers file). */
          signingKeys: z.array(SigningKey).max(20).default([]),
          /** The day the person left the team: what they signed before stays valid, nothing after. */
          leftOn: CalendarDate.optional(),
        }),
      )
      .default([]),
  })
  .superRefine((roster, context) => {
    roster.people.forEach((person, index) =>
      person.roles.forEach((role, roleIndex) => {
        if (!roster.roles[role])
          context.addIssue({
            code: 'custom',
            path: ['people', index, 'roles', roleIndex],
            message: `unknown role "${role}"; expected one of ${Object.keys(roster.roles).join(', ')}`,
          });
      }),
    );
    const owners = new Map<string, string>();
    roster.people.forEach((person, index) =>
      person.signingKeys.forEach((key, keyIndex) => {
        const blob = keyBlob(key);
        const owner = owners.get(blob);
        if (owner !== undefined && owner !== person.name)
          context.addIssue({
            code: 'custom',
            path: ['people', index, 'signingKeys', keyIndex],
            message: `this key is already ${owner}'s: each key belongs to one person`,
          });
        owners.set(blob, person.name);
      }),
    );
  });

export const Comms = z.strictObject({
  slack: z
    .array(z.strictObject({ id: Identifier, webhookCredential: Identifier, purpose: z.string().optional() }))
    .default([]),
  templates: lookup(z.record(z.string(), z.string())).prefault({}),
});

export const Rollback = z.strictObject({
  backups: z.strictObject({ path: z.string().min(1), pattern: z.string().optional() }).optional(),
  /** Placeholders: {backup}, {environment}. */
  restoreCommand: ArgumentArray.optional(),
  integrityChecks: z.array(z.strictObject({ name: DisplayText, command: ArgumentArray })).default([]),
});

export const CiSettings = z.discriminatedUnion('provider', [
  z.strictObject({ provider: z.literal('none') }),
  z.strictObject({
    provider: z.literal('github'),
    apiUrl: HttpUrl.default('https://api.github.com'),
    /** The account or organization owning the repositories and GHCR packages. */
    owner: z.string().regex(/^[A-Za-z0-9-]+$/, 'expected a GitHub account or organization name'),
    packageOwnerType: z.enum(['user', 'org']).default('user'),
    tokenCredential: Identifier.optional(),
  }),
]);

export const Platform = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1, 'expected version: 1 (the only platform file format so far)'),
  id: Identifier,
  name: DisplayText,
  /** Link template for issue references, e.g. "https://github.com/org/{repo}/issues/{id}". */
  issueUrl: z.string().min(1).optional(),
  environments: z.array(Environment).min(1, 'expected at least one environment'),
  services: z.array(Service).min(1, 'expected at least one service'),
  credentials: z.array(Credential).default([]),
  secrets: z.array(PlatformSecret).default([]),
  policy: Policy.prefault({}),
  roster: Roster.prefault({}),
  comms: Comms.prefault({}),
  rollback: Rollback.prefault({}),
  metrics: z
    .strictObject({
      prometheusUrl: HttpUrl.optional(),
      /** How long latency and errors are watched after a production deploy (R21). */
      watchHours: z.number().positive().max(168).default(24),
    })
    .prefault({}),
  ci: CiSettings.default({ provider: 'none' }),
  ledger: z
    .strictObject({
      /** A git repository the team shares the audit trail through. */
      mirror: z
        .strictObject({
          repo: z.string().min(1, 'expected the mirror repository: a URL or a local path'),
          branch: BranchName.default('ledger'),
          file: RepositoryPath.refine((file) => file.endsWith('.jsonl'), 'expected a path ending in .jsonl').optional(),
        })
        .optional(),
    })
    .prefault({}),
});

export type Platform = z.output<typeof Platform>;
export type PlatformService = z.output<typeof Service>;
export type PlatformEnvironment = z.output<typeof Environment>;
export type PlatformCredential = z.output<typeof Credential>;
export type ServiceEnvironmentConfig = z.output<typeof ServiceEnvironment>;
export type DeployProviderConfig = z.output<typeof DeployProvider>;
