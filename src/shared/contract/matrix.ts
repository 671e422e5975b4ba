/**
 * The matrix: every service in every environment, its health and version, refreshed live.
 */
import { z } from 'zod';
import type { CommandChannel, EventChannel } from '../channels';
import { LedgerRecord } from '../ledger-record';
import { healthStatuses } from '../matrix';
import { EntityId, noInput, type CommandSpec, type EventSpec } from './common';
import { RepoCommit, RepoState, RepoTag } from './release';

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

/** The commands of this domain, by channel. */
export const matrixCommands = {
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
} satisfies Partial<Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>>;

/** The events of this domain, by channel. */
export const matrixEvents = {
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
} satisfies Partial<Record<EventChannel, EventSpec<z.ZodType>>>;
