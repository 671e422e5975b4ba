/**
 * The contract between the renderer and the core: every command and event, declared once.
 *
 * Main validates every input against these schemas before a handler runs, the preload exposes
 * exactly these channels, and the renderer client is typed from them. Adding a capability means
 * adding an entry here, a core handler, a store and a view.
 */
import { z } from 'zod';
import type { CommandChannel, EventChannel } from './channels';
import { LedgerRecord, LedgerVerification, ledgerActions } from './ledger-record';
import { healthStatuses } from './matrix';

/** A command: what it accepts and what it answers. */
export interface CommandSpec<I extends z.ZodType, O extends z.ZodType> {
  summary: string;
  input: I;
  output: O;
}

/** An event: what it carries. */
export interface EventSpec<P extends z.ZodType> {
  summary: string;
  payload: P;
}

const noInput = z.strictObject({});

export const AppInfo = z.strictObject({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  runtime: z.enum(['electron', 'web', 'cli', 'test']),
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Heartbeat = z.strictObject({
  sequence: z.number().int().nonnegative(),
  sentAt: z.iso.datetime(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

const EntityId = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'expected a lowercase id such as "slack-releases-webhook"');

export const PlatformSummary = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** The platform file it was read from. */
  file: z.string(),
  source: z.enum(['file', 'demo']),
  /** The platform's zone (`policy.timeZone`): times are shown in it and in the reader's own. */
  timeZone: z.string(),
  environments: z.array(z.strictObject({ id: z.string(), name: z.string(), isProtected: z.boolean() })),
  services: z.array(z.strictObject({ id: z.string(), name: z.string(), dependsOn: z.array(z.string()) })),
  /** The Slack channels messages can be queued for. */
  slackChannels: z.array(z.strictObject({ id: z.string(), purpose: z.string().optional() })),
});
export type PlatformSummary = z.infer<typeof PlatformSummary>;

/** A problem of a platform file, with the text of the line it points at. */
export const PlatformProblemDetail = z.strictObject({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  path: z.string(),
  message: z.string(),
  lineText: z.string(),
});
export type PlatformProblemDetail = z.infer<typeof PlatformProblemDetail>;

export const PlatformState = z.strictObject({
  /** The platform running; while `problems` name another file (or a broken save), the last good one. */
  platform: PlatformSummary.nullable(),
  /** Why no platform (or not the one asked for) is loaded, as `file:line:column: message` lines. */
  problems: z.array(z.string()),
  problemDetails: z.array(PlatformProblemDetail).optional(),
  /** The file the problems are in. */
  problemsFile: z.string().optional(),
  /** The file changed during a deploy or rollback: it is reloaded when that ends. */
  isReloadPending: z.boolean().optional(),
  /** A platform is on its way (the demo starting). */
  isOpening: z.boolean().optional(),
});
export type PlatformState = z.infer<typeof PlatformState>;

export const VaultStatus = z.strictObject({
  backend: z.enum(['os-keychain', 'session-memory']),
  /** False when values last only as long as this session. */
  isPersistent: z.boolean(),
  message: z.string(),
  fix: z.string().optional(),
});
export type VaultStatus = z.infer<typeof VaultStatus>;

/** A credential as the renderer may see it: never its value. */
export const CredentialSummary = z.strictObject({
  id: z.string(),
  kind: z.string(),
  description: z.string().optional(),
  environment: z.string().optional(),
  isSet: z.boolean(),
  lastSetAt: z.iso.datetime().optional(),
  rotationDays: z.number().int().positive(),
  rotationDueAt: z.iso.datetime().optional(),
  isRotationDue: z.boolean(),
  /** Why the stored value cannot be a secret (an older version accepted it): replace it. */
  problem: z.string().optional(),
});
export type CredentialSummary = z.infer<typeof CredentialSummary>;

export const CredentialList = z.strictObject({
  status: VaultStatus,
  credentials: z.array(CredentialSummary),
});
export type CredentialList = z.infer<typeof CredentialList>;

const ShortText = z.string().max(200);

export const LedgerFilterInput = z.strictObject({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  environment: ShortText.optional(),
  service: ShortText.optional(),
  action: z.enum(ledgerActions).optional(),
  search: ShortText.optional(),
});

export const LedgerPage = z.strictObject({
  /** Newest first. */
  records: z.array(LedgerRecord),
  /** How many records match the filter in all. */
  matched: z.number().int().nonnegative(),
  /** How many records the ledger holds. */
  total: z.number().int().nonnegative(),
  verification: LedgerVerification,
});
export type LedgerPage = z.infer<typeof LedgerPage>;

export const RepoState = z.strictObject({
  checkedAt: z.iso.datetime(),
  /** The version in the working tree's package.json. */
  currentVersion: z.string().optional(),
  latestTag: z.string().optional(),
  commitsSinceTag: z.number().int().nonnegative().optional(),
  developAheadOfMain: z.number().int().nonnegative().optional(),
  isDirty: z.boolean().optional(),
  branch: z.string().optional(),
  lastFetchAt: z.iso.datetime().optional(),
  error: z.string().optional(),
  /** A clone the cockpit manages (the service names only a repo.url). */
  isManaged: z.boolean().optional(),
  /** Its first clone is being made. */
  isCloning: z.boolean().optional(),
  /** Why the last fetch failed: what is shown comes from the last good one. */
  fetchProblem: z.string().optional(),
  /** What fetching left alone (local commits, uncommitted changes). */
  notes: z.array(z.string()).optional(),
});
export type RepoState = z.infer<typeof RepoState>;

export const RepoTag = z.strictObject({ name: z.string(), date: z.string(), commit: z.string() });
export type RepoTag = z.infer<typeof RepoTag>;
export const RepoCommit = z.strictObject({
  hash: z.string(),
  author: z.string(),
  date: z.string(),
  subject: z.string(),
});
export type RepoCommit = z.infer<typeof RepoCommit>;

export const MatrixCell = z.strictObject({
  service: z.string(),
  environment: z.string(),
  url: z.string(),
  status: z.enum(healthStatuses),
  httpStatus: z.number().int().optional(),
  latencyMs: z.number().nonnegative().optional(),
  /** Latencies of the last probes that answered, oldest first. */
  latencyHistory: z.array(z.number().nonnegative()),
  /** What the service reports running; when unreachable, the last version it reported. */
  deployedVersion: z.string().optional(),
  commit: z.string().optional(),
  checkedAt: z.iso.datetime().optional(),
  lastUpAt: z.iso.datetime().optional(),
  /** The version shown comes from an earlier probe (the service does not answer now). */
  isLastKnown: z.boolean(),
  isBehindLatestTag: z.boolean(),
  error: z.string().optional(),
  /** What the health endpoint answered last (indented JSON or text, redacted, at most 2,000 characters). */
  payload: z.string().optional(),
  /** What the ledger says of this cell's versions: rolled back from, marked bad, deployed from elsewhere. */
  marks: z
    .strictObject({
      rolledBackFrom: z.string().optional(),
      badVersions: z.array(z.strictObject({ version: z.string(), markedBy: z.string(), reason: z.string() })),
      isNotDeployedHere: z.boolean(),
      /** A hold stops deploys of this service here (the service's own or the environment's). */
      hold: z.strictObject({ holder: z.string(), reason: z.string(), since: z.string() }).optional(),
    })
    .optional(),
});
export type MatrixCell = z.infer<typeof MatrixCell>;

export const MatrixRow = z.strictObject({
  service: z.string(),
  name: z.string(),
  dependsOn: z.array(z.string()),
  repo: RepoState.optional(),
  /** Staging and production run different versions: a promotion is pending. */
  hasPromotionPending: z.boolean(),
});
export type MatrixRow = z.infer<typeof MatrixRow>;

export const HostReachability = z.strictObject({
  host: z.string(),
  reachable: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type HostReachability = z.infer<typeof HostReachability>;

export const MatrixSnapshot = z.strictObject({
  platformId: z.string(),
  environments: z.array(z.strictObject({ id: z.string(), name: z.string(), isProtected: z.boolean() })),
  /** In dependency order. */
  rows: z.array(MatrixRow),
  cells: z.array(MatrixCell),
  /** When the newest probe was taken. */
  asOf: z.iso.datetime().optional(),
  /** Loaded from the last session's cache, not probed yet. */
  isFromCache: z.boolean(),
  connectivity: z.array(HostReachability),
});
export type MatrixSnapshot = z.infer<typeof MatrixSnapshot>;

export const ServiceDetails = z.strictObject({
  service: z.string(),
  commitsSinceTag: z.array(RepoCommit),
  tags: z.array(RepoTag),
  deployments: z.array(LedgerRecord),
  error: z.string().optional(),
});
export type ServiceDetails = z.infer<typeof ServiceDetails>;

export const PreparationCheck = z.strictObject({
  id: z.enum(['branch', 'fetch', 'up-to-date', 'clean', 'tag-free', 'above-tags']),
  label: z.string(),
  status: z.enum(['pass', 'fail', 'warn']),
  detail: z.string().optional(),
});
export type PreparationCheck = z.infer<typeof PreparationCheck>;

export const ReleaseFileChange = z.strictObject({ path: z.string(), before: z.string(), after: z.string() });
export type ReleaseFileChange = z.infer<typeof ReleaseFileChange>;

export const PlannedCommit = z.strictObject({
  hash: z.string(),
  subject: z.string(),
  author: z.string(),
  date: z.string(),
  type: z.string().optional(),
  scope: z.string().optional(),
  isBreaking: z.boolean(),
  isConventional: z.boolean(),
  /** `#123`, or `owner/repo#123` for another repository's issue. */
  issueRefs: z.array(z.string()),
  /** A merge commit (listed, but only its breaking notes reach the release notes). */
  isMerge: z.boolean().optional(),
});
export type PlannedCommit = z.infer<typeof PlannedCommit>;

const BumpKind = z.enum(['major', 'minor', 'patch']);

/**
 * Where the current version was read: package.json (a cut bumps it), or the tags (no
 * package.json, a placeholder such as `0.0.0-development`, or a platform saying so: a cut only tags).
 */
const VersionSource = z.enum(['package.json', 'tags']);

export const ReleasePlan = z.strictObject({
  service: z.string(),
  currentVersion: z.string(),
  versionSource: VersionSource.optional(),
  latestTag: z.string().optional(),
  commits: z.array(PlannedCommit),
  suggestedBump: BumpKind.optional(),
  nextVersions: z.strictObject({ major: z.string(), minor: z.string(), patch: z.string() }),
  branch: z.string(),
  recentLog: z.array(z.strictObject({ hash: z.string(), subject: z.string(), author: z.string(), date: z.string() })),
});
export type ReleasePlan = z.infer<typeof ReleasePlan>;

export const ReleasePreview = z.strictObject({
  service: z.string(),
  bump: BumpKind,
  currentVersion: z.string(),
  versionSource: VersionSource.optional(),
  version: z.string(),
  tag: z.string(),
  /** Absent when the version lives in tags: the cut tags HEAD and makes no commit. */
  commitMessage: z.string().optional(),
  files: z.array(ReleaseFileChange),
  notes: z.string(),
  checks: z.array(PreparationCheck),
  canCut: z.boolean(),
});
export type ReleasePreview = z.infer<typeof ReleasePreview>;

export const ReleaseHistoryEntry = z.strictObject({
  tag: z.string(),
  version: z.string(),
  /** When the tag was made. */
  date: z.string(),
  /** Who made it: the tagger of an annotated tag, else the author of the tagged commit. */
  author: z.string(),
  commit: z.string(),
  /** The tag's message (the release notes of a cut made here); empty for a lightweight tag. */
  notes: z.string(),
});
export type ReleaseHistoryEntry = z.infer<typeof ReleaseHistoryEntry>;

export const ReleaseHistory = z.strictObject({
  service: z.string(),
  releases: z.array(ReleaseHistoryEntry),
});
export type ReleaseHistory = z.infer<typeof ReleaseHistory>;

export const ReleaseResult = z.strictObject({
  service: z.string(),
  version: z.string(),
  tag: z.string(),
  commit: z.string(),
  notesFile: z.string(),
});
export type ReleaseResult = z.infer<typeof ReleaseResult>;

export const ReleaseCalendar = z.strictObject({
  timeZone: z.string(),
  /** ISO date, in the platform's time zone. */
  nextProductionRelease: z.string(),
  productionEveryWeeks: z.number().int(),
  productionWeekday: z.string(),
  staging: z.string(),
  hotfix: z.string(),
  windows: z.array(
    z.strictObject({ environment: z.string(), slots: z.array(z.string()), nextOpenings: z.array(z.string()) }),
  ),
  closedDays: z.array(z.string()),
});
export type ReleaseCalendar = z.infer<typeof ReleaseCalendar>;

export const CiStatus = z.strictObject({
  provider: z.enum(['github', 'none']),
  ref: z.string(),
  commit: z.string().optional(),
  /** success: every check passed; failure: one failed; pending: running or none yet; unknown: CI unreachable. */
  state: z.enum(['success', 'failure', 'pending', 'unknown', 'none']),
  checks: z.array(
    z.strictObject({
      name: z.string(),
      status: z.string(),
      conclusion: z.string().optional(),
      url: z.string().optional(),
    }),
  ),
  image: z
    .strictObject({ reference: z.string(), exists: z.boolean().optional(), detail: z.string().optional() })
    .optional(),
  detail: z.string().optional(),
});
export type CiStatus = z.infer<typeof CiStatus>;

export const GateVerdict = z.enum(['pass', 'warn', 'block', 'unknown']);
export type GateVerdict = z.infer<typeof GateVerdict>;

/** One check's verdict on a step, with what it saw. */
export const StepGate = z.strictObject({
  id: z.string(),
  title: z.string(),
  verdict: GateVerdict,
  evidence: z.string(),
});
export type StepGate = z.infer<typeof StepGate>;

export const DeployStepView = z.strictObject({
  service: z.string(),
  version: z.string(),
  runningVersion: z.string().optional(),
  action: z.enum(['deploy', 'skip']),
  reason: z.string(),
  /** The services of the plan this step waits for. */
  dependsOn: z.array(z.string()),
  /** The checks shown with the plan: the service's health now and the target version's CI. */
  gates: z.array(StepGate).optional(),
});
export type DeployStepView = z.infer<typeof DeployStepView>;

export const PlanWindow = z.strictObject({
  isOpen: z.boolean(),
  reason: z.string(),
  /** A hotfix exception in force, said in words. */
  exception: z.string().optional(),
  nextOpensAt: z.string().optional(),
});

export const BadVersionMarkView = z.strictObject({
  service: z.string(),
  version: z.string(),
  markedBy: z.string(),
  reason: z.string(),
  markedAt: z.string(),
});
export type BadVersionMarkView = z.infer<typeof BadVersionMarkView>;

/** A reviewed plan: what starting it will do, exactly, and everything it was computed from. */
export const DeployPlanView = z.strictObject({
  planId: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  environment: z.string(),
  isProtected: z.boolean(),
  /** For display; the scheduler starts each step once its own dependencies are verified. */
  waves: z.array(z.array(DeployStepView)),
  /** Every gate the deploy meets now, the same list as `cockpit gates`. */
  gates: z.array(StepGate),
  window: PlanWindow,
  /** Bad-version marks that shaped the plan. */
  marks: z.array(BadVersionMarkView),
});
export type DeployPlanView = z.infer<typeof DeployPlanView>;

export const DeployHistoryRun = z.strictObject({
  runId: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
  actor: z.strictObject({ name: z.string(), email: z.string().optional() }),
  steps: z.array(
    z.strictObject({ service: z.string(), from: z.string().optional(), to: z.string(), status: z.string() }),
  ),
});
export type DeployHistoryRun = z.infer<typeof DeployHistoryRun>;

export const DeployHistory = z.strictObject({ environment: z.string(), runs: z.array(DeployHistoryRun) });
export type DeployHistory = z.infer<typeof DeployHistory>;

export const DeployStepProgress = z.strictObject({
  service: z.string(),
  version: z.string(),
  status: z.enum(['pending', 'running', 'verifying', 'succeeded', 'failed', 'skipped', 'not-started']),
  detail: z.string(),
  durationMs: z.number().nonnegative().optional(),
});
export type DeployStepProgress = z.infer<typeof DeployStepProgress>;

const Reason = z.string().trim().min(1, 'expected a reason').max(500);

const DeployRequest = z.strictObject({
  environment: EntityId,
  services: z.array(EntityId).max(200).optional(),
  versions: z
    .record(EntityId, z.string().regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'expected a version such as 1.2.3'))
    .optional(),
  /** Deploy a version marked bad anyway, for this reason (recorded). */
  allowBad: Reason.optional(),
});

const RunId = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'expected a deploy run id');

export const JournaledStepView = z.strictObject({
  service: z.string(),
  version: z.string(),
  /** The step's last state the journal recorded before the interruption. */
  state: z.enum(['pending', 'intent', 'triggered', 'succeeded', 'failed', 'skipped']),
});
export type JournaledStepView = z.infer<typeof JournaledStepView>;

export const DeployRuns = z.strictObject({
  running: z.array(z.strictObject({ runId: z.string(), environment: z.string() })),
  /** Runs the journal shows started and never finished: the cockpit stopped mid-deploy. */
  interrupted: z.array(
    z.strictObject({
      runId: z.string(),
      environment: z.string(),
      startedAt: z.string(),
      steps: z.array(JournaledStepView),
    }),
  ),
});
export type DeployRuns = z.infer<typeof DeployRuns>;

export const PromotionOffer = z.strictObject({
  isOffered: z.boolean(),
  /** Why it is offered or not, in plain words. */
  reason: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  /** Service → version that staging runs and that its last successful run deployed. */
  versions: z.record(z.string(), z.string()),
  stagingRunId: z.string().optional(),
});
export type PromotionOffer = z.infer<typeof PromotionOffer>;

export const WindowState = z.strictObject({
  environment: z.string(),
  timeZone: z.string(),
  hasWindows: z.boolean(),
  isOpen: z.boolean(),
  reason: z.string(),
  closesAt: z.string().optional(),
  secondsLeft: z.number().int().nonnegative().optional(),
  nextOpensAt: z.string().optional(),
  slots: z.array(z.string()),
});

export const HotfixException = z.strictObject({
  approvedBy: z.string(),
  category: z.enum(['security', 'data-corruption']),
  reason: z.string(),
  approvedAt: z.string(),
  expiresAt: z.string(),
  /** The services it opens the window for (absent: every service). */
  services: z.array(z.string()).optional(),
  versions: z.record(z.string(), z.string()).optional(),
  /** Approved by someone other than the requester (four eyes). */
  isIndependent: z.boolean(),
  requestedBy: z.string().optional(),
});
export type HotfixException = z.infer<typeof HotfixException>;

export const WindowView = WindowState.extend({
  /** A hotfix exception in force: the environment is open outside its windows until it expires. */
  hotfixException: HotfixException.optional(),
  /** Exceptions and overrides here are requests a second person approves. */
  fourEyes: z.boolean().optional(),
});
export type WindowState = z.infer<typeof WindowView>;

/** One step of a level's runbook: what it does, what it touches, whether it needs the network. */
export const RunbookStep = z.strictObject({
  id: z.string(),
  title: z.string(),
  touches: z.string(),
  needsNetwork: z.boolean(),
  changesSomething: z.boolean(),
});
export type RunbookStep = z.infer<typeof RunbookStep>;

export const RollbackTriage = z.strictObject({
  service: z.string(),
  environment: z.string(),
  symptom: z.string(),
  health: z.strictObject({ status: z.string(), version: z.string().optional(), detail: z.string().optional() }),
  /** The matrix's last-known state, when the service does not answer now. */
  lastKnown: z
    .strictObject({ version: z.string().optional(), lastUpAt: z.string().optional(), checkedAt: z.string().optional() })
    .optional(),
  previousStable: z.string().optional(),
  lastDeployments: z.array(
    z.strictObject({
      at: z.string(),
      from: z.string().optional(),
      to: z.string().optional(),
      status: z.string(),
      by: z.string(),
    }),
  ),
  recommendedLevel: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  why: z.string(),
  levels: z.array(
    z.strictObject({
      level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      title: z.string(),
      targetMinutes: z.number(),
      isAvailable: z.boolean(),
      note: z.string(),
      /** What the level does, step by step: readable offline. */
      runbook: z.array(RunbookStep),
    }),
  ),
});
export type RollbackTriage = z.infer<typeof RollbackTriage>;

/** What a level 2 or 3 rollback can choose from: the commits of the bad range, or the backups. */
export const RollbackChoices = z.strictObject({
  level: z.union([z.literal(2), z.literal(3)]),
  running: z.string().optional(),
  goodVersion: z.string().optional(),
  commits: z
    .array(z.strictObject({ hash: z.string(), subject: z.string(), author: z.string(), date: z.string() }))
    .optional(),
  backups: z.array(z.strictObject({ id: z.string(), takenAt: z.string(), sizeBytes: z.number() })).optional(),
  /** Level 3: the services stopped and restarted, in dependency order. */
  affected: z.array(z.string()).optional(),
  /** Why nothing can be chosen (no ledger history, no backup folder…), with what to do. */
  problem: z.string().optional(),
});
export type RollbackChoices = z.infer<typeof RollbackChoices>;

/** KPIs and DORA metrics of one environment over a period (formulas: `core/ledger/metrics.ts`). */
export const MetricsReport = z.strictObject({
  environment: z.string(),
  from: z.string(),
  to: z.string(),
  kpis: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      value: z.number().optional(),
      unit: z.string(),
      target: z.string().optional(),
      isMet: z.boolean().optional(),
      detail: z.string(),
      caveat: z.string().optional(),
    }),
  ),
  services: z.array(
    z.strictObject({
      service: z.string(),
      deploys: z.number(),
      succeeded: z.number(),
      failed: z.number(),
      successRate: z.number().optional(),
      meanStepMinutes: z.number().optional(),
      rollbacks: z.number(),
    }),
  ),
  weeks: z.array(
    z.strictObject({
      weekStart: z.string(),
      deploys: z.number(),
      succeeded: z.number(),
      failed: z.number(),
      rollbacks: z.number(),
      meanDeployMinutes: z.number().optional(),
    }),
  ),
});
export type MetricsReport = z.infer<typeof MetricsReport>;

/** A message in the outbox, as the renderer sees it (the webhook URL never leaves the vault). */
export const OutboxMessage = z.strictObject({
  id: z.string(),
  channel: z.string(),
  kind: z.string(),
  text: z.string(),
  queuedAt: z.string(),
  correlationId: z.string().optional(),
  state: z.enum(['queued', 'sending', 'retrying', 'sent', 'rejected', 'cancelled', 'uncertain']),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.string().optional(),
  sentAt: z.string().optional(),
  lastError: z.string().optional(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;

/** A platform secret's rotation: due date under the policy, and the runbook under way. */
export const SecretRotation = z.strictObject({
  id: z.string(),
  kind: z.string(),
  description: z.string().optional(),
  environment: z.string().optional(),
  owner: z.string().optional(),
  rotationDays: z.number(),
  lastRotatedAt: z.string().optional(),
  dueAt: z.string().optional(),
  daysLeft: z.number().optional(),
  status: z.enum(['ok', 'due-soon', 'overdue', 'never-rotated']),
  runbook: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      doneAt: z.string().optional(),
      by: z.string().optional(),
      note: z.string().optional(),
    }),
  ),
});
export type SecretRotation = z.infer<typeof SecretRotation>;

export const WatchAlert = z.strictObject({
  service: z.string(),
  metric: z.enum(['latency', 'errors']),
  baseline: z.number(),
  current: z.number(),
  factor: z.number(),
  message: z.string(),
});

/** A post-deploy watch: the environment watched since a deploy, until when, and its last reading. */
export const DeployWatch = z.strictObject({
  runId: z.string(),
  environment: z.string(),
  startedAt: z.string(),
  until: z.string(),
  last: z
    .strictObject({ checkedAt: z.string(), alerts: z.array(WatchAlert), problem: z.string().optional() })
    .optional(),
});
export type DeployWatch = z.infer<typeof DeployWatch>;

export const RollbackStepProgress = RunbookStep.extend({
  state: z.enum(['pending', 'waiting', 'running', 'succeeded', 'failed', 'abandoned']),
  detail: z.string().optional(),
  elapsedMs: z.number().nonnegative().optional(),
});
export type RollbackStepProgress = z.infer<typeof RollbackStepProgress>;

export const SignoffChecklist = z.strictObject({
  release: z.string(),
  items: z.array(
    z.strictObject({
      id: z.string(),
      section: z.string(),
      title: z.string(),
      signedBy: z.string().optional(),
      signedAt: z.string().optional(),
      note: z.string().optional(),
      /** The sign-off is signed by the person's roster key. */
      verified: z.boolean().optional(),
    }),
  ),
  isComplete: z.boolean(),
});
export type SignoffChecklist = z.infer<typeof SignoffChecklist>;

const ReleaseName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected a release name such as 2026-12-03');

export const IdentityView = z.strictObject({
  name: z.string(),
  email: z.string().optional(),
  isInRoster: z.boolean(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  /** The signing key in use: where it was found and its fingerprint. */
  key: z.strictObject({ source: z.enum(['settings', 'git', 'none']), fingerprint: z.string().optional() }).optional(),
  /** The key is this person's key in the roster: their approvals and sign-offs count. */
  verified: z.boolean().optional(),
  /** Whether the roster lists signing keys (authority records must be signed). */
  isSigningOn: z.boolean().optional(),
  problem: z.string().optional(),
});
export type IdentityView = z.infer<typeof IdentityView>;

/** How this laptop stands with the team's mirror. */
/** A deploy lock of the team: who deploys an environment, for which run, until when. */
export const TeamDeployLock = z.strictObject({
  environment: z.string(),
  holder: z.strictObject({ name: z.string(), email: z.string().optional() }),
  runId: z.string(),
  since: z.string(),
  leaseUntil: z.string(),
});
export type TeamDeployLock = z.infer<typeof TeamDeployLock>;

export const TeamSyncView = z.strictObject({
  isConfigured: z.boolean(),
  lastSyncedAt: z.string().optional(),
  offlineSince: z.string().optional(),
  toShare: z.number().int().nonnegative(),
  problem: z.string().optional(),
  /** Who deploys where, as of the last good sync. */
  deployLocks: z.array(TeamDeployLock).optional(),
});
export type TeamSyncView = z.infer<typeof TeamSyncView>;

export const TeamLocksView = z.strictObject({
  deployLocks: z.array(TeamDeployLock),
  holds: z.array(
    z.strictObject({
      environment: z.string(),
      service: z.string().optional(),
      holder: z.strictObject({ name: z.string(), email: z.string().optional() }),
      reason: z.string(),
      since: z.string(),
      rollbackId: z.string().optional(),
    }),
  ),
  /** Why the deploy locks could not be read from the mirror. */
  problem: z.string().optional(),
});
export type TeamLocksView = z.infer<typeof TeamLocksView>;

const GateId = z.string().regex(/^[a-z]+:[a-z0-9-]{1,63}$/, 'expected a gate id such as "ci:auth-service"');

/** A four-eyes request (hotfix exception or gate override), or a direct one-person approval. */
export const ApprovalView = z.strictObject({
  id: z.string(),
  kind: z.enum(['hotfix-exception', 'gate-override']),
  environment: z.string(),
  services: z.array(z.string()),
  versions: z.record(z.string(), z.string()),
  gates: z.array(z.string()),
  category: z.string().optional(),
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  status: z.enum(['pending', 'approved', 'rejected', 'expired']),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  decisionReason: z.string().optional(),
  expiresAt: z.string(),
  verified: z.boolean(),
  isIndependent: z.boolean(),
  requestHash: z.string(),
});
export type ApprovalView = z.infer<typeof ApprovalView>;

const DeployStarted = z.strictObject({ runId: z.string(), plan: DeployPlanView, logFile: z.string() });

/** Every command, by channel. */
export const commands = {
  'app:info': {
    summary: 'Name, version and host of the running cockpit, for the status bar and bug reports.',
    input: noInput,
    output: AppInfo,
  },
  'platform:current': {
    summary: 'The platform the cockpit is working on, or why none could be loaded.',
    input: noInput,
    output: PlatformState,
  },
  'platform:open': {
    summary:
      'Opens a platform file (or the embedded demo) and remembers it; a file with problems leaves the current platform running.',
    input: z.union([
      z.strictObject({ file: z.string().trim().min(1).max(4096) }),
      z.strictObject({ demo: z.literal(true) }),
    ]),
    output: PlatformState,
  },
  'platform:recent': {
    summary: 'The platform files opened before, and what this window can do with files (a dialog, an editor).',
    input: noInput,
    output: z.strictObject({
      recent: z.array(z.strictObject({ file: z.string(), name: z.string(), openedAt: z.string() })),
      canChooseFile: z.boolean(),
      canOpenInEditor: z.boolean(),
    }),
  },
  'platform:choose-file': {
    summary: 'Asks for a platform file with the desktop’s open dialog (the desktop app only).',
    input: noInput,
    output: z.strictObject({ file: z.string().optional() }),
  },
  'platform:reveal': {
    summary: 'Opens the platform file in the editor, or shows it in its folder (the desktop app only).',
    input: z.strictObject({ how: z.enum(['editor', 'folder']) }),
    output: z.strictObject({}),
  },
  'platform:import-coolify': {
    summary:
      'Writes a platform file proposed from a Coolify server, opens it and keeps the token in the keychain; several projects and none chosen is BAD_INPUT listing them.',
    input: z.strictObject({
      apiUrl: z.url({ protocol: /^https?$/ }).max(2048),
      token: z.string().trim().min(1).max(4096),
      project: z.string().trim().min(1).max(200).optional(),
      out: z.string().trim().min(1).max(4096),
    }),
    output: z.strictObject({
      file: z.string(),
      services: z.number().int(),
      environments: z.number().int(),
      state: PlatformState,
    }),
  },
  'credentials:list': {
    summary: 'The credentials the platform declares, whether each is set, and where values are kept.',
    input: noInput,
    output: CredentialList,
  },
  'credentials:set': {
    summary: 'Stores a credential value in the keychain (write-only: it is never sent back).',
    input: z.strictObject({ id: EntityId, value: z.string().min(1).max(65_536) }),
    output: CredentialSummary,
  },
  'credentials:delete': {
    summary: 'Removes a credential value from the keychain.',
    input: z.strictObject({ id: EntityId }),
    output: CredentialSummary,
  },
  'ledger:query': {
    summary: 'Records of the audit trail, newest first, filtered; with the last verification.',
    input: LedgerFilterInput.extend({
      limit: z.number().int().min(1).max(1_000).default(200),
      /** Only records older than this sequence number (for the next page). */
      beforeSeq: z.number().int().positive().optional(),
    }),
    output: LedgerPage,
  },
  'ledger:verify': {
    summary: 'Walks the whole chain and reports the first broken link with its line.',
    input: noInput,
    output: LedgerVerification,
  },
  'ledger:export': {
    summary: 'Writes the filtered records as JSON or CSV into the data folder’s exports.',
    input: LedgerFilterInput.extend({
      format: z.enum(['json', 'csv']),
      /** Also return what was written, for a browser to download. */
      withContent: z.boolean().optional(),
    }),
    output: z.strictObject({
      file: z.string(),
      recordCount: z.number().int().nonnegative(),
      content: z.string().optional(),
    }),
  },
  'ledger:sync': {
    summary: 'Merges the ledger with its git mirror (fetch, merge, commit, push).',
    input: noInput,
    output: z.strictObject({
      received: z.number().int().nonnegative(),
      sent: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
      commit: z.string().optional(),
    }),
  },
  'matrix:get': {
    summary: 'The service matrix as last known (probed, or from the cache at start).',
    input: noInput,
    output: MatrixSnapshot,
  },
  'matrix:refresh': {
    summary: 'Probes every cell and re-reads every repository now.',
    input: noInput,
    output: MatrixSnapshot,
  },
  'matrix:details': {
    summary: 'A service’s commits since its latest tag, its tags and its last deployments.',
    input: z.strictObject({ service: EntityId }),
    output: ServiceDetails,
  },
  'deploy:plan': {
    summary: 'The steps of a deploy in dependency order, in waves, with skips for services already on target.',
    input: DeployRequest,
    output: DeployPlanView,
  },
  'deploy:start': {
    summary:
      'Starts exactly a reviewed plan (refused when anything it was computed from changed, or after 15 min); a protected environment needs its name typed. Progress and logs arrive as events.',
    input: z.strictObject({
      planId: z.string().max(100),
      confirmation: z.string().max(100).optional(),
      /** With the team's mirror out of reach: why the deploy goes without the team lock. */
      withoutTeamLock: z.string().trim().min(10, 'say why in at least 10 characters').max(500).optional(),
    }),
    output: DeployStarted,
  },
  'deploy:history': {
    summary: 'Every run to an environment, newest first: who, when, versions, duration, status.',
    input: z.strictObject({ environment: EntityId }),
    output: DeployHistory,
  },
  'deploy:read-log': {
    summary: 'A run’s full log from its file, redacted (the last 5 MB of a longer one).',
    input: z.strictObject({ runId: RunId }),
    output: z.strictObject({ runId: z.string(), text: z.string(), isTruncated: z.boolean(), file: z.string() }),
  },
  'deploy:mark': {
    summary: 'Marks a version of a service bad (never deployed again unless a person allows it) or good again.',
    input: z.strictObject({
      service: EntityId,
      version: z.string().regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'expected a version such as 1.2.3'),
      verdict: z.enum(['bad', 'good']),
      reason: Reason,
    }),
    output: z.strictObject({
      service: z.string(),
      version: z.string(),
      verdict: z.enum(['bad', 'good']),
      markedBy: z.string(),
    }),
  },
  'deploy:cancel': {
    summary: 'Cancels a running deploy: running steps finish, nothing new starts.',
    input: z.strictObject({ runId: z.string().max(100) }),
    output: z.strictObject({}),
  },
  'deploy:log-ack': {
    summary: 'The terminal has parsed this many more characters of a run’s log (flow control).',
    input: z.strictObject({ runId: RunId, characters: z.number().int().nonnegative().max(100_000_000) }),
    output: z.strictObject({}),
  },
  'deploy:runs': {
    summary: 'Deploys running now, and runs interrupted by a crash that wait for resume or abandon.',
    input: noInput,
    output: DeployRuns,
  },
  'deploy:resume': {
    summary: 'Resumes an interrupted run: re-checks each unfinished step before triggering anything.',
    input: z.strictObject({ runId: RunId, allowDowngrade: Reason.optional() }),
    output: DeployStarted,
  },
  'deploy:abandon': {
    summary: 'Closes an interrupted run without touching any service, recording what was left undone.',
    input: z.strictObject({ runId: RunId }),
    output: z.strictObject({}),
  },
  'deploy:promotion': {
    summary: 'Whether staging may be promoted to production: only after a successful staging run of the same versions.',
    input: noInput,
    output: PromotionOffer,
  },
  'deploy:promote': {
    summary:
      'Merges each promoted tag into main (--no-ff), pushes, then starts the reviewed production plan of those versions.',
    input: z.strictObject({ planId: z.string().max(100), confirmation: z.string().max(100).optional() }),
    output: DeployStarted,
  },
  'policy:window': {
    summary: 'Whether deploying to an environment is allowed now, why, and when its next window opens.',
    input: z.strictObject({ environment: EntityId }),
    output: WindowView,
  },
  'policy:identity': {
    summary: 'Who the current user is in the platform’s roster, with their roles and what they may do.',
    input: noInput,
    output: IdentityView,
  },
  'policy:override': {
    summary: 'Lets blocking gates of an environment pass for an hour; needs the gate-override role and a reason.',
    input: z.strictObject({
      environment: EntityId,
      gates: z
        .array(z.string().regex(/^[a-z]+:[a-z0-9-]{1,63}$/, 'expected a gate id such as "ci:auth-service"'))
        .min(1)
        .max(50),
      reason: z.string().trim().min(10, 'say why in at least 10 characters').max(500),
    }),
    output: z.strictObject({ approvedBy: z.string(), expiresAt: z.string() }),
  },
  'rollback:triage': {
    summary: 'From a symptom and a service: the live state, the last deployments and the recommended level.',
    input: z.strictObject({
      service: EntityId,
      environment: EntityId,
      symptom: z.enum(['functional-bug', 'service-loss', 'data-corruption', 'security-breach']),
    }),
    output: RollbackTriage,
  },
  'rollback:choices': {
    summary: 'What a level 2 or 3 rollback can choose from: the commits to revert, or the backups to restore.',
    input: z.strictObject({ service: EntityId, environment: EntityId, level: z.union([z.literal(2), z.literal(3)]) }),
    output: RollbackChoices,
  },
  'rollback:start': {
    summary: 'Starts a rollback at a level; progress, questions and output arrive as events.',
    input: z.strictObject({
      service: EntityId,
      environment: EntityId,
      level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      /** Level 1: the version to go back to (the previous stable one by default). */
      to: z
        .string()
        .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/)
        .optional(),
      /** Level 2: the commits to revert. */
      commits: z
        .array(z.string().regex(/^[0-9a-f]{7,40}$/i, 'expected a commit hash (7 to 40 hexadecimal digits)'))
        .min(1)
        .max(20)
        .optional(),
      /** Level 3: the backup's id (its name in the backup folder) and the environment's name, typed. */
      backup: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}$/, 'expected a backup name from the list')
        .optional(),
      confirmation: z.string().max(100).optional(),
      /** What went wrong, for the notices and the ledger. */
      reason: z.string().trim().max(500).optional(),
    }),
    output: z.strictObject({ rollbackId: z.string() }),
  },
  'rollback:decide': {
    summary: 'Answers the running rollback: go on with the step it shows, retry the failed step, or abandon.',
    input: z.strictObject({
      rollbackId: z.string().regex(/^rollback-[0-9A-Za-z-]{1,80}$/),
      decision: z.enum(['continue', 'retry', 'abandon']),
    }),
    output: z.strictObject({ detail: z.string() }),
  },
  'metrics:report': {
    summary: 'The KPIs and DORA metrics of an environment over the last days, from the ledger and git.',
    input: z.strictObject({ environment: EntityId, sinceDays: z.number().int().min(1).max(366).default(30) }),
    output: MetricsReport,
  },
  'rotation:list': {
    summary: 'The platform’s secrets with their last rotation, due date and the rotation under way.',
    input: z.strictObject({}),
    output: z.strictObject({ secrets: z.array(SecretRotation) }),
  },
  'rotation:check': {
    summary: 'Checks one step of a secret’s rotation runbook (recorded in the ledger).',
    input: z.strictObject({
      secretId: EntityId,
      step: z.enum(['generate', 'staging', 'production', 'deploy', 'validate', 'revoke']),
      note: z.string().trim().max(300).optional(),
    }),
    output: z.strictObject({ secrets: z.array(SecretRotation) }),
  },
  'postmortem:draft': {
    summary: 'A post-mortem draft in the manual’s template from the ledger’s record of a rollback.',
    input: z.strictObject({ rollbackId: z.string().regex(/^rollback-[0-9A-Za-z-]{1,80}$/) }),
    output: z.strictObject({ markdown: z.string() }),
  },
  'comms:deploy-notices': {
    summary: 'The notices of a deploy run (started, finished, release announcement), filled from the ledger.',
    input: z.strictObject({ runId: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._:-]{0,99}$/) }),
    output: z.strictObject({
      started: z.string(),
      finished: z.string().optional(),
      announcement: z.string().optional(),
    }),
  },
  'watch:list': {
    summary: 'The post-deploy watches under way, with their last reading.',
    input: z.strictObject({}),
    output: z.strictObject({ watches: z.array(DeployWatch) }),
  },
  'report:monthly': {
    summary:
      'Writes the monthly compliance report (Markdown, HTML, PDF) into the data folder and returns the Markdown.',
    input: z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month such as 2026-11') }),
    output: z.strictObject({
      markdown: z.string(),
      files: z.strictObject({ markdown: z.string(), html: z.string(), pdf: z.string().optional() }),
      pdfProblem: z.string().optional(),
    }),
  },
  'comms:outbox': {
    summary: 'The messages of the outbox: waiting, sent, refused, cancelled or uncertain.',
    input: z.strictObject({}),
    output: z.strictObject({ messages: z.array(OutboxMessage) }),
  },
  'comms:cancel': {
    summary: 'Cancels a message not sent yet.',
    input: z.strictObject({ messageId: z.uuid() }),
    output: z.strictObject({ messages: z.array(OutboxMessage) }),
  },
  'comms:resolve': {
    summary:
      'A person’s word on a message whose sending was cut short (send it again, or it did arrive), or on a rejected one (send it again).',
    input: z.strictObject({ messageId: z.uuid(), resolution: z.enum(['resend', 'mark-sent']) }),
    output: z.strictObject({ messages: z.array(OutboxMessage) }),
  },
  'comms:test-channel': {
    summary: 'Posts a test message to a Slack channel’s webhook now, to check it is set up right (recorded).',
    input: z.strictObject({ channel: EntityId }),
    output: z.strictObject({ channel: z.string(), isSent: z.boolean(), detail: z.string() }),
  },
  'comms:queue': {
    summary: 'Queues a message for a Slack channel of the platform (the outbox sends it when it can).',
    input: z.strictObject({
      channel: EntityId,
      kind: z.enum(['rollback-notice', 'maintenance-notice', 'deploy-notice', 'release-announcement']),
      text: z.string().trim().min(1).max(4_000),
      correlationId: z.string().max(100).optional(),
    }),
    output: z.strictObject({ messageId: z.string(), queuedAt: z.string() }),
  },
  'signoff:checklist': {
    summary: 'The staging acceptance checklist of a release (the next production release by default).',
    input: z.strictObject({ release: ReleaseName.optional() }),
    output: SignoffChecklist,
  },
  'signoff:sign': {
    summary: 'Signs one checklist item as the current user (signoff role), with an optional note.',
    input: z.strictObject({
      release: ReleaseName.optional(),
      item: z.string().regex(/^[a-z0-9-]{1,64}$/),
      note: z.string().trim().max(500).optional(),
    }),
    output: SignoffChecklist,
  },
  'signoff:revoke': {
    summary: 'Withdraws a sign-off of the checklist (signoff role): the item is unsigned again; a reason is required.',
    input: z.strictObject({
      release: ReleaseName.optional(),
      item: z.string().regex(/^[a-z0-9-]{1,64}$/),
      reason: z.string().trim().min(1).max(500),
    }),
    output: SignoffChecklist,
  },
  'team:status': {
    summary: 'How this laptop stands with the team’s mirror: last sync, offline since, records to share.',
    input: noInput,
    output: TeamSyncView,
  },
  'team:sync': {
    summary: 'Merges this laptop’s ledger with the team’s mirror now (every git call has a deadline).',
    input: noInput,
    output: TeamSyncView,
  },
  'team:locks': {
    summary: 'Who deploys where now (the team’s deploy locks, read from the mirror) and every hold.',
    input: noInput,
    output: TeamLocksView,
  },
  'team:hold': {
    summary:
      'Places (any roster person) or lifts (gate-override) a hold on an environment or one service there, with a reason.',
    input: z.strictObject({
      environment: EntityId,
      service: EntityId.optional(),
      lift: z.boolean().optional(),
      reason: z.string().trim().min(3, 'say why').max(500),
    }),
    output: TeamLocksView,
  },
  'identity:set-signing-key': {
    summary:
      'Chooses the SSH key approvals and sign-offs are signed with (a key file, or a public key an agent holds); empty uses git’s.',
    input: z.strictObject({ key: z.string().max(2_000) }),
    output: IdentityView,
  },
  'approvals:list': {
    summary: 'Every hotfix exception and gate override request, newest first, with its state (four eyes).',
    input: noInput,
    output: z.strictObject({ approvals: z.array(ApprovalView) }),
  },
  'approvals:request-exception': {
    summary: 'Asks for a hotfix exception for some services (and versions); another person with the role approves it.',
    input: z.strictObject({
      environment: EntityId,
      category: z.enum(['security', 'data-corruption']),
      services: z.array(EntityId).min(1, 'name at least one service').max(50),
      versions: z.record(EntityId, z.string().max(100)).optional(),
      reason: z.string().trim().min(10, 'say why in at least 10 characters').max(500),
      hours: z.number().positive().max(168).optional(),
    }),
    output: ApprovalView,
  },
  'approvals:request-override': {
    summary: 'Asks for blocking gates of an environment to pass for an hour; another person with the role approves it.',
    input: z.strictObject({
      environment: EntityId,
      gates: z.array(GateId).min(1).max(50),
      reason: z.string().trim().min(10, 'say why in at least 10 characters').max(500),
    }),
    output: ApprovalView,
  },
  'approvals:decide': {
    summary: 'Approves or rejects a request (not one’s own where four eyes applies); a rejection needs a reason.',
    input: z.strictObject({
      id: z.string().uuid(),
      decision: z.enum(['approved', 'rejected']),
      reason: z.string().trim().max(500).optional(),
    }),
    output: ApprovalView,
  },
  'policy:approve-hotfix': {
    summary:
      'Approves a hotfix exception (security or data corruption): the environment opens outside its windows for the hotfix hours.',
    input: z.strictObject({
      environment: EntityId,
      category: z.enum(['security', 'data-corruption']),
      reason: z.string().trim().min(10, 'say why in at least 10 characters').max(500),
    }),
    output: HotfixException,
  },
  'release:plan': {
    summary: 'Commits since the latest tag, parsed as conventional commits, with the suggested bump.',
    input: z.strictObject({ service: EntityId }),
    output: ReleasePlan,
  },
  'release:preview': {
    summary: 'Dry run of a cut: new version, file changes, commit, tag, notes and checks — nothing written.',
    input: z.strictObject({ service: EntityId, bump: BumpKind }),
    output: ReleasePreview,
  },
  'release:ci': {
    summary: 'CI state of a tag or commit (default: the latest tag) and whether its image exists.',
    input: z.strictObject({
      service: EntityId,
      ref: z
        .string()
        .regex(/^[A-Za-z0-9._/-]{1,100}$/)
        .optional(),
    }),
    output: CiStatus,
  },
  'release:history': {
    summary: 'The releases of a service, newest first: tag, date, who made it and its notes.',
    input: z.strictObject({ service: EntityId, limit: z.number().int().min(1).max(200).optional() }),
    output: ReleaseHistory,
  },
  'release:calendar': {
    summary: 'Next production release, staging cadence, hotfix rule and when deployment windows open.',
    input: noInput,
    output: ReleaseCalendar,
  },
  'release:cut': {
    summary: 'Bumps, commits, tags and pushes a release (refuses, changing nothing, if a check fails).',
    input: z.strictObject({ service: EntityId, bump: BumpKind, expectedVersion: z.string().max(50).optional() }),
    output: ReleaseResult,
  },
} satisfies { [K in CommandChannel]: CommandSpec<z.ZodType, z.ZodType> };

/** Every event, by channel. */
export const events = {
  'app:menu': {
    summary: 'The desktop app’s menu asks the window to open the platform chooser or a view.',
    payload: z.strictObject({ action: z.enum(['open-platform', 'view']), view: z.string().optional() }),
  },
  'app:heartbeat': {
    summary: 'Sent at a steady interval so the renderer can show that main is alive.',
    payload: Heartbeat,
  },
  'platform:changed': {
    summary: 'Sent when the platform is loaded or replaced, or fails to load.',
    payload: PlatformState,
  },
  'credentials:changed': {
    summary: 'Sent after a credential is set or deleted, with the new list (names and dates only).',
    payload: CredentialList,
  },
  'team:sync-changed': {
    summary: 'Sent after each sync with the team’s mirror, good or failed.',
    payload: TeamSyncView,
  },
  'ledger:appended': {
    summary: 'Sent after records are appended, with those records.',
    payload: z.strictObject({ records: z.array(LedgerRecord) }),
  },
  'ledger:verified': {
    summary: 'Sent after the chain was verified (at start, after a sync, on request).',
    payload: LedgerVerification,
  },
  'deploy:step-changed': {
    summary: 'A step of a running deploy changed state.',
    payload: z.strictObject({ runId: z.string(), step: DeployStepProgress }),
  },
  'deploy:log': {
    summary: 'A batch of (redacted) log output of a running deploy.',
    payload: z.strictObject({
      runId: z.string(),
      chunks: z.array(z.strictObject({ service: z.string(), text: z.string() })),
    }),
  },
  'deploy:finished': {
    summary: 'A deploy ended.',
    payload: z.strictObject({
      runId: z.string(),
      status: z.enum(['succeeded', 'failed', 'cancelled']),
      detail: z.string(),
    }),
  },
  'rollback:progress': {
    summary: 'A rollback step changed state, the rollback waits for an answer, or it ended.',
    payload: z.strictObject({
      rollbackId: z.string(),
      level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      service: z.string(),
      environment: z.string(),
      targetMinutes: z.number(),
      startedAt: z.iso.datetime(),
      status: z.enum(['running', 'succeeded', 'failed', 'abandoned']),
      steps: z.array(RollbackStepProgress),
      leftToDo: z.array(z.string()),
      elapsedMs: z.number().nonnegative(),
      /** The question the walk waits on: go on with a step that changes something, or retry a failed one. */
      awaiting: z
        .strictObject({ kind: z.enum(['confirm', 'retry']), stepId: z.string(), question: z.string() })
        .optional(),
      /** The notices filled from what is known so far; the maintenance notice once users are affected. */
      notices: z.strictObject({ internal: z.string(), maintenance: z.string().optional() }).optional(),
    }),
  },
  'comms:outbox-changed': {
    summary: 'A message was queued, sent, retried, refused, cancelled or became uncertain.',
    payload: z.strictObject({ messages: z.array(OutboxMessage) }),
  },
  'watch:changed': {
    summary: 'A post-deploy watch started, was read or ended.',
    payload: z.strictObject({ watches: z.array(DeployWatch) }),
  },
  'watch:alerted': {
    summary: 'After a deploy, latency or errors passed their alert level against the baseline.',
    payload: z.strictObject({ runId: z.string(), environment: z.string(), alerts: z.array(WatchAlert) }),
  },
  'rollback:output': {
    summary: 'Output of the running step (redacted), batched.',
    payload: z.strictObject({ rollbackId: z.string(), text: z.string() }),
  },
  'matrix:cells-changed': {
    summary: 'Only the cells whose state changed, with the hosts’ reachability.',
    payload: z.strictObject({
      cells: z.array(MatrixCell),
      connectivity: z.array(HostReachability),
      asOf: z.iso.datetime(),
    }),
  },
  'matrix:rows-changed': {
    summary: 'Service rows whose repository state changed.',
    payload: z.strictObject({ rows: z.array(MatrixRow) }),
  },
} satisfies { [K in EventChannel]: EventSpec<z.ZodType> };

type Commands = typeof commands;
type Events = typeof events;

/** What a command accepts (before validation, as the caller writes it). */
export type CommandInput<K extends CommandChannel> = z.input<Commands[K]['input']>;
/** What a command accepts once validated. */
export type ParsedCommandInput<K extends CommandChannel> = z.output<Commands[K]['input']>;
/** What a command answers. */
export type CommandOutput<K extends CommandChannel> = z.output<Commands[K]['output']>;
/** What an event carries. */
export type EventPayload<K extends EventChannel> = z.output<Events[K]['payload']>;

// Compile-time check that channels.ts and this file list the same names.
type SameKeys<A, B> = [Exclude<keyof A, B>, Exclude<B, keyof A>] extends [never, never] ? true : never;
const commandListsAgree: SameKeys<Commands, CommandChannel> = true;
const eventListsAgree: SameKeys<Events, EventChannel> = true;
void commandListsAgree;
void eventListsAgree;
