/**
 * Posture history: each run's posture per node (`node_posture`) and findings from open to remediated
 * (`finding_episode`). Reads for a series are range scans on (finished_at), (node, benchmark, finished_at),
 * (opened_at) and (closed_at); the latest posture before a time is one grouped query. Portable SQL only.
 */
import type { Selectable } from './database/kysely.js';
import type { FindingEpisodeTable, NodePostureTable } from './database/tables.js';
import type { NodePosture, PostureCounts } from '../domain/history.js';
import { zeroPosture } from '../domain/history.js';
import type { Severity } from '../domain/results.js';
import type { AssessedTargetKind } from '../domain/target-results.js';
import type { Db } from './database/database.js';
import { insertRows } from './database/bulk-insert.js';

/** A finding: a target failing a rule of a benchmark on a node, since a run. */
export interface FindingEpisode {
  id: number;
  nodeId: string;
  benchmarkId: string;
  targetKind: AssessedTargetKind;
  targetKey: string;
  targetName: string;
  stigId: string;
  severity: Severity;
  openedAt: string;
  openedAssessmentId: string;
}

export type EpisodeCloseReason = 'remediated' | 'target-gone' | 'not-applicable' | 'rule-removed';

/** How a finding ended. */
export interface EpisodeClosing {
  id: number;
  closedAt: string;
  closedAssessmentId: string;
  reason: EpisodeCloseReason;
  durationSeconds: number;
}

/** What a series reads: one node (or all), one benchmark (or all). */
export interface PostureScope {
  nodeId?: string;
  benchmarkId?: string;
}

/** A posture row as the series sweeps it, with when its node was removed (if it was). */
export interface PostureRow extends NodePosture {
  nodeRemovedAt?: string;
}

export interface PostureRepository {
  /** The rule-level posture of every node of a run, from its rule results. */
  countsOfRun(assessmentId: string): Promise<Map<string, PostureCounts>>;
  /** Stores postures, replacing those of the same (run, node). */
  storePostures(rows: readonly NodePosture[]): Promise<void>;
  openEpisodes(nodeId: string, benchmarkId: string): Promise<FindingEpisode[]>;
  /** Opens and closes findings, all or nothing. */
  updateEpisodes(open: readonly Omit<FindingEpisode, 'id'>[], close: readonly EpisodeClosing[]): Promise<void>;
  /** Postures finished in [from, to), oldest first. */
  posturesBetween(scope: PostureScope, from: string, to: string): Promise<PostureRow[]>;
  /** The latest posture of each (node, benchmark) finished before `at`. */
  latestBefore(scope: PostureScope, at: string): Promise<PostureRow[]>;
  /** Times and durations of findings remediated in [from, to). */
  remediatedBetween(scope: PostureScope, from: string, to: string): Promise<{ closedAt: string; durationSeconds: number }[]>;
  /** Times findings were opened in [from, to). */
  openedBetween(scope: PostureScope, from: string, to: string): Promise<string[]>;
  /** How many findings were open at `at` (opened before it, not closed by then). */
  openAt(scope: PostureScope, at: string): Promise<number>;
}

const SEVERITIES = ['high', 'medium', 'low', 'unknown'] as const;

function toRow(p: NodePosture): Selectable<NodePostureTable> {
  const c = p.counts;
  return {
    assessment_id: p.assessmentId, node_id: p.nodeId, benchmark_id: p.benchmarkId, finished_at: p.finishedAt,
    pass: c.pass, fail: c.fail, error: c.error, not_applicable: c.notApplicable, not_checked: c.notChecked,
    open_high: c.open.high, open_medium: c.open.medium, open_low: c.open.low, open_unknown: c.open.unknown,
    exempted_high: c.exempted.high, exempted_medium: c.exempted.medium, exempted_low: c.exempted.low, exempted_unknown: c.exempted.unknown,
  };
}

function fromRow(r: Selectable<NodePostureTable> & { removed_at?: string | null }): PostureRow {
  return {
    assessmentId: r.assessment_id, nodeId: r.node_id, benchmarkId: r.benchmark_id, finishedAt: r.finished_at,
    counts: {
      pass: r.pass, fail: r.fail, error: r.error, notApplicable: r.not_applicable, notChecked: r.not_checked,
      open: { high: r.open_high, medium: r.open_medium, low: r.open_low, unknown: r.open_unknown },
      exempted: { high: r.exempted_high, medium: r.exempted_medium, low: r.exempted_low, unknown: r.exempted_unknown },
    },
    ...(r.removed_at != null ? { nodeRemovedAt: r.removed_at } : {}),
  };
}

function mapEpisode(r: Selectable<FindingEpisodeTable>): FindingEpisode {
  return {
    id: r.id, nodeId: r.node_id, benchmarkId: r.benchmark_id, targetKind: r.target_kind as AssessedTargetKind, targetKey: r.target_key, targetName: r.target_name,
    stigId: r.stig_id, severity: r.severity as Severity, openedAt: r.opened_at, openedAssessmentId: r.opened_assessment_id,
  };
}

const INSERT_CHUNK = 500;

export class KyselyPostureRepository implements PostureRepository {
  constructor(private readonly db: Db) {}

  async countsOfRun(assessmentId: string): Promise<Map<string, PostureCounts>> {
    const rows = await this.db.selectFrom('rule_result').select(['node_id', 'status', 'severity', 'exemption_json']).where('assessment_id', '=', assessmentId).execute();
    const out = new Map<string, PostureCounts>();
    for (const r of rows) {
      let c = out.get(r.node_id);
      if (c === undefined) out.set(r.node_id, (c = zeroPosture()));
      if (r.status === 'pass') c.pass += 1;
      else if (r.status === 'error') c.error += 1;
      else if (r.status === 'not-applicable') c.notApplicable += 1;
      else if (r.status === 'not-checked') c.notChecked += 1;
      else if (r.status === 'fail') {
        c.fail += 1;
        const severity: Severity = (SEVERITIES as readonly string[]).includes(r.severity) ? (r.severity as Severity) : 'unknown';
        // exemption_json also holds expired exemptions that no longer apply: only `exemption` makes a failure accepted.
        const exempted = r.exemption_json !== null && (JSON.parse(r.exemption_json) as { exemption?: unknown }).exemption !== undefined;
        (exempted ? c.exempted : c.open)[severity] += 1;
      }
    }
    return out;
  }

  async storePostures(rows: readonly NodePosture[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const p of rows) await trx.deleteFrom('node_posture').where('assessment_id', '=', p.assessmentId).where('node_id', '=', p.nodeId).execute();
      await trx.insertInto('node_posture').values(rows.map(toRow)).execute();
    });
  }

  async openEpisodes(nodeId: string, benchmarkId: string): Promise<FindingEpisode[]> {
    const rows = await this.db.selectFrom('finding_episode').selectAll().where('node_id', '=', nodeId).where('benchmark_id', '=', benchmarkId).where('closed_at', 'is', null).execute();
    return rows.map(mapEpisode);
  }

  async updateEpisodes(open: readonly Omit<FindingEpisode, 'id'>[], close: readonly EpisodeClosing[]): Promise<void> {
    if (open.length === 0 && close.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const c of close) {
        await trx
          .updateTable('finding_episode')
          .set({ closed_at: c.closedAt, closed_assessment_id: c.closedAssessmentId, close_reason: c.reason, duration_seconds: c.durationSeconds })
          .where('id', '=', c.id)
          .where('closed_at', 'is', null)
          .execute();
      }
      // A node's first run opens a finding per failing target: thousands on a large node.
      await insertRows(trx, 'finding_episode', open, (e) => ({
        node_id: e.nodeId, benchmark_id: e.benchmarkId, target_kind: e.targetKind, target_key: e.targetKey, target_name: e.targetName, stig_id: e.stigId,
        severity: e.severity, opened_at: e.openedAt, opened_assessment_id: e.openedAssessmentId, closed_at: null, closed_assessment_id: null, close_reason: null, duration_seconds: null,
      }), INSERT_CHUNK);
    });
  }

  private postures(scope: PostureScope) {
    let q = this.db.selectFrom('node_posture').leftJoin('node', 'node.id', 'node_posture.node_id').selectAll('node_posture').select('node.removed_at as removed_at');
    if (scope.nodeId !== undefined) q = q.where('node_posture.node_id', '=', scope.nodeId);
    if (scope.benchmarkId !== undefined) q = q.where('node_posture.benchmark_id', '=', scope.benchmarkId);
    return q;
  }

  async posturesBetween(scope: PostureScope, from: string, to: string): Promise<PostureRow[]> {
    const rows = await this.postures(scope).where('node_posture.finished_at', '>=', from).where('node_posture.finished_at', '<', to).orderBy('node_posture.finished_at').orderBy('node_posture.node_id').execute();
    return rows.map(fromRow);
  }

  async latestBefore(scope: PostureScope, at: string): Promise<PostureRow[]> {
    let latest = this.db
      .selectFrom('node_posture')
      .select(['node_id', 'benchmark_id', (eb) => eb.fn.max('finished_at').as('last')])
      .where('finished_at', '<', at)
      .groupBy(['node_id', 'benchmark_id']);
    if (scope.nodeId !== undefined) latest = latest.where('node_id', '=', scope.nodeId);
    if (scope.benchmarkId !== undefined) latest = latest.where('benchmark_id', '=', scope.benchmarkId);
    const rows = await this.postures(scope)
      .innerJoin(latest.as('latest'), (join) =>
        join.onRef('latest.node_id', '=', 'node_posture.node_id').onRef('latest.benchmark_id', '=', 'node_posture.benchmark_id').onRef('latest.last', '=', 'node_posture.finished_at'),
      )
      .orderBy('node_posture.node_id')
      .execute();
    // Two runs of a node finishing at the same instant: keep one (the last by assessment id).
    const one = new Map<string, PostureRow>();
    for (const r of rows.map(fromRow).sort((a, b) => (a.assessmentId < b.assessmentId ? -1 : 1))) one.set(`${r.nodeId}\u0000${r.benchmarkId}`, r);
    return [...one.values()];
  }

  private episodes(scope: PostureScope) {
    let q = this.db.selectFrom('finding_episode');
    if (scope.nodeId !== undefined) q = q.where('node_id', '=', scope.nodeId);
    if (scope.benchmarkId !== undefined) q = q.where('benchmark_id', '=', scope.benchmarkId);
    return q;
  }

  async remediatedBetween(scope: PostureScope, from: string, to: string): Promise<{ closedAt: string; durationSeconds: number }[]> {
    const rows = await this.episodes(scope)
      .select(['closed_at', 'duration_seconds'])
      .where('close_reason', '=', 'remediated')
      .where('closed_at', '>=', from)
      .where('closed_at', '<', to)
      .orderBy('closed_at')
      .execute();
    return rows.map((r) => ({ closedAt: r.closed_at!, durationSeconds: r.duration_seconds ?? 0 }));
  }

  async openedBetween(scope: PostureScope, from: string, to: string): Promise<string[]> {
    const rows = await this.episodes(scope).select('opened_at').where('opened_at', '>=', from).where('opened_at', '<', to).orderBy('opened_at').execute();
    return rows.map((r) => r.opened_at);
  }

  async openAt(scope: PostureScope, at: string): Promise<number> {
    const row = await this.episodes(scope)
      .select((eb) => eb.fn.countAll().as('n'))
      .where('opened_at', '<', at)
      .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', at)]))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
