/**
 * The matrix's state, pure: cells (service × environment) updated by probe results, rows updated
 * by repository reads, drift derived from both. Each update says what changed, so only that
 * crosses to the renderer.
 */
import type { HostReachability, MatrixCell, MatrixRow, MatrixSnapshot, RepoState } from '../../../shared/contract';
import { dependencyOrder } from '../platform/dependency-order';
import type { Platform } from '../platform/schema';
import type { ProbeResult } from './prober';
import type { LedgerRecord } from '../../../shared/ledger-record';
import { badVersions, rolledBackFrom, type BadVersions } from '../deploy/version-marks';
import { holdsOf, holdsStopping, type Hold } from '../policy/holds';

const historyLength = 30;

export function cellKey(service: string, environment: string): string {
  return `${service}/${environment}`;
}

/** The health URL of a service in an environment. */
export function healthUrl(base: string, healthPath: string): string {
  return new URL(healthPath, base.endsWith('/') ? base : `${base}/`).toString();
}

export class MatrixModel {
  private readonly cells = new Map<string, MatrixCell>();
  private readonly rows = new Map<string, MatrixRow>();
  private readonly rowOrder: string[];
  private readonly environments: MatrixSnapshot['environments'];
  private isFromCache = false;
  private asOf?: string;
  /** What the ledger says of versions, once it has been read. */
  private facts?: { bad: BadVersions; rolledBackFrom: Map<string, string>; deployed: Set<string>; holds: Hold[] };

  constructor(
    private readonly platform: Platform,
    cached?: MatrixSnapshot,
  ) {
    this.environments = platform.environments.map((environment) => ({
      id: environment.id,
      name: environment.name,
      isProtected: environment.protected,
    }));
    this.rowOrder = dependencyOrder(platform.services).map((service) => service.id);
    for (const service of platform.services) {
      const cachedRow = cached?.rows.find((row) => row.service === service.id);
      this.rows.set(service.id, {
        service: service.id,
        name: service.name,
        dependsOn: [...service.dependsOn],
        repo: cachedRow?.repo,
        hasPromotionPending: false,
      });
      for (const [environment, config] of Object.entries(service.environments)) {
        const url = healthUrl(config.url, config.healthPath);
        const previous = cached?.cells.find((cell) => cell.service === service.id && cell.environment === environment);
        this.cells.set(
          cellKey(service.id, environment),
          previous && previous.url === url
            ? { ...previous, isLastKnown: previous.deployedVersion !== undefined }
            : {
                service: service.id,
                environment,
                url,
                status: 'unknown',
                latencyHistory: [],
                isLastKnown: false,
                isBehindLatestTag: false,
              },
        );
      }
    }
    if (cached && cached.platformId === platform.id) {
      this.isFromCache = true;
      this.asOf = cached.asOf;
    }
    for (const service of this.rowOrder) this.refreshDerived(service);
  }

  /** The probe targets: every cell's health URL. */
  targets(): { key: string; url: string }[] {
    return [...this.cells.entries()].map(([key, cell]) => ({ key, url: cell.url }));
  }

  /** Applies a probe; returns the probed cell, the cells whose drift moved, and the row if it changed. */
  /** The status a cell shows now (undefined for an unknown key). */
  statusOf(key: string): MatrixCell['status'] | undefined {
    return this.cells.get(key)?.status;
  }

  applyProbe(key: string, result: ProbeResult): { cells: MatrixCell[]; row?: MatrixRow } {
    const cell = this.cells.get(key);
    if (!cell) return { cells: [] };
    const answered = result.status !== 'unreachable';
    const next: MatrixCell = {
      ...cell,
      status: result.status,
      httpStatus: result.httpStatus,
      latencyMs: result.latencyMs,
      latencyHistory:
        result.latencyMs === undefined
          ? cell.latencyHistory
          : [...cell.latencyHistory, result.latencyMs].slice(-historyLength),
      deployedVersion: result.version ?? (answered ? undefined : cell.deployedVersion),
      commit: result.commit ?? (answered ? undefined : cell.commit),
      checkedAt: result.checkedAt,
      lastUpAt: result.status === 'up' || result.status === 'degraded' ? result.checkedAt : cell.lastUpAt,
      isLastKnown: result.version === undefined && !answered && cell.deployedVersion !== undefined,
      error: result.error,
      payload: result.payload,
    };
    next.marks = this.marksOf(next);
    this.cells.set(key, next);
    this.isFromCache = false;
    if (!this.asOf || result.checkedAt > this.asOf) this.asOf = result.checkedAt;
    const derived = this.refreshDerived(next.service);
    const probed = this.cells.get(key)!;
    const others = derived.cells.filter((changed) => cellKey(changed.service, changed.environment) !== key);
    return { cells: [probed, ...others], row: derived.row };
  }

  /** Applies a repository read; returns the row if it changed, with the cells whose drift moved. */
  applyRepo(service: string, repo: RepoState): { row?: MatrixRow; cells: MatrixCell[] } {
    const row = this.rows.get(service);
    if (!row) return { cells: [] };
    const changed =
      JSON.stringify({ ...row.repo, checkedAt: undefined }) !== JSON.stringify({ ...repo, checkedAt: undefined });
    this.rows.set(service, { ...row, repo });
    const derived = this.refreshDerived(service);
    return { row: changed || derived.row ? this.rows.get(service) : undefined, cells: derived.cells };
  }

  /**
   * Reads what the ledger says of each cell — rolled back from, versions marked bad, a running
   * version the cockpit never deployed; returns the cells whose marks changed.
   */
  applyLedger(records: readonly LedgerRecord[]): MatrixCell[] {
    const deployed = new Set<string>();
    for (const record of records)
      if (record.action === 'deploy.step' && record.status === 'succeeded' && record.environment && record.versionTo)
        for (const service of record.services ?? [])
          deployed.add(`${cellKey(service, record.environment)}@${record.versionTo}`);
    const rolledBack = new Map<string, string>();
    for (const cell of this.cells.values()) {
      const found = rolledBackFrom(records, cell.service, cell.environment);
      if (found) rolledBack.set(cellKey(cell.service, cell.environment), found.version);
    }
    this.facts = { bad: badVersions(records), rolledBackFrom: rolledBack, deployed, holds: holdsOf(records) };
    const changed: MatrixCell[] = [];
    for (const [key, cell] of this.cells) {
      const marks = this.marksOf(cell);
      if (JSON.stringify(marks) === JSON.stringify(cell.marks)) continue;
      const next = { ...cell, marks };
      this.cells.set(key, next);
      changed.push(next);
    }
    return changed;
  }

  private marksOf(cell: MatrixCell): MatrixCell['marks'] {
    if (!this.facts) return cell.marks;
    const key = cellKey(cell.service, cell.environment);
    const hold = holdsStopping(this.facts.holds, cell.environment, [cell.service])[0];
    return {
      ...(this.facts.rolledBackFrom.has(key) ? { rolledBackFrom: this.facts.rolledBackFrom.get(key) } : {}),
      badVersions: [...(this.facts.bad.get(cell.service)?.values() ?? [])].map((mark) => ({
        version: mark.version,
        markedBy: mark.markedBy.name,
        reason: mark.reason,
      })),
      isNotDeployedHere:
        cell.deployedVersion !== undefined && !this.facts.deployed.has(`${key}@${cell.deployedVersion}`),
      ...(hold ? { hold: { holder: hold.holder.name, reason: hold.reason, since: hold.since } } : {}),
    };
  }

  snapshot(): MatrixSnapshot {
    return {
      platformId: this.platform.id,
      environments: this.environments,
      rows: this.rowOrder.map((id) => this.rows.get(id)!),
      cells: [...this.cells.values()],
      asOf: this.asOf,
      isFromCache: this.isFromCache,
      connectivity: this.connectivity(),
    };
  }

  cell(key: string): MatrixCell | undefined {
    return this.cells.get(key);
  }

  /** Per host: how many of its endpoints answered at the last probe. */
  connectivity(): HostReachability[] {
    const byHost = new Map<string, HostReachability>();
    for (const cell of this.cells.values()) {
      const host = new URL(cell.url).hostname;
      const entry = byHost.get(host) ?? { host, reachable: 0, total: 0 };
      entry.total++;
      if (cell.status !== 'unreachable' && cell.status !== 'unknown') entry.reachable++;
      byHost.set(host, entry);
    }
    return [...byHost.values()];
  }

  /** Recomputes drift for a service; returns the cells whose drift flag changed, and the row if it did. */
  private refreshDerived(service: string): { cells: MatrixCell[]; row?: MatrixRow } {
    const row = this.rows.get(service)!;
    const latestTag = row.repo?.latestTag?.replace(/^v/, '');
    const changed: MatrixCell[] = [];
    const versions = new Map<boolean, Set<string>>([
      [true, new Set()],
      [false, new Set()],
    ]);
    for (const environment of this.environments) {
      const key = cellKey(service, environment.id);
      const cell = this.cells.get(key);
      if (!cell) continue;
      if (cell.deployedVersion) versions.get(environment.isProtected)!.add(cell.deployedVersion);
      const isBehindLatestTag =
        latestTag !== undefined && cell.deployedVersion !== undefined && cell.deployedVersion !== latestTag;
      if (isBehindLatestTag !== cell.isBehindLatestTag) {
        const next = { ...cell, isBehindLatestTag };
        this.cells.set(key, next);
        changed.push(next);
      }
    }
    const [protectedVersions, otherVersions] = [versions.get(true)!, versions.get(false)!];
    const hasPromotionPending =
      protectedVersions.size > 0 &&
      otherVersions.size > 0 &&
      [...otherVersions].some((version) => !protectedVersions.has(version));
    if (hasPromotionPending === row.hasPromotionPending) return { cells: changed };
    const next = { ...row, hasPromotionPending };
    this.rows.set(service, next);
    return { cells: changed, row: next };
  }
}
