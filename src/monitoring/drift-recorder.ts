/**
 * After a run completes: for each node, its drift against its previous run of the benchmark and against its
 * reference run (when one is pinned), stored with the run; its posture and its findings' openings and
 * closings for history; then the events (drift.detected per node and comparison with changes, expiry per
 * exemption). A node that fails here gets a `failed` report saying why, and the others go on: recording
 * never fails the run, whose results are already stored.
 */
import { randomUUID } from 'node:crypto';
import type { Assessment } from '../domain/assessment.js';
import { countChanges, emptyCounts, type DriftChange, type DriftComparisonKind, type DriftReport, type EpisodeState, type ExpiryChange } from '../domain/drift.js';
import type { AssessedTargetKind } from '../domain/target-results.js';
import { isPlimsollError } from '../domain/errors.js';
import type { EventPublisher, PlimsollEvent, PlimsollEventBody } from '../domain/events.js';
import { zeroPosture, type NodePosture } from '../domain/history.js';
import type { NodeService } from '../domain/services.js';
import type { AssessmentRepository } from '../repositories/assessment-repository.js';
import type { DriftReportRepository } from '../repositories/drift-report-repository.js';
import type { DriftSourceRepository } from '../repositories/drift-source-repository.js';
import type { PostureRepository } from '../repositories/posture-repository.js';
import type { ReferenceRunRepository } from '../repositories/reference-run-repository.js';
import type { DriftComparer } from './drift-comparer.js';
import type { DriftContext, RunContext } from './drift-context.js';
import { collectedKindsOf } from './drift-projection.js';
import { episodeUpdates } from './history-episodes.js';

export interface DriftRecorderDeps {
  assessments: Pick<AssessmentRepository, 'find'>;
  source: Pick<DriftSourceRepository, 'previousRun' | 'episodeStates' | 'facts'>;
  comparer: DriftComparer;
  context: DriftContext;
  reports: Pick<DriftReportRepository, 'replaceRun'>;
  references: Pick<ReferenceRunRepository, 'find'>;
  postures: PostureRepository;
  nodes: Pick<NodeService, 'find'>;
  events: EventPublisher;
  now?: () => Date;
  newId?: () => string;
}

type Stored = { report: DriftReport; changes: DriftChange[] };

/** One collected node of the run as the recorder reads it: its verdicts (no observations) and the kinds of target collected. */
interface NodeSide {
  nodeId: string;
  nodeName: string;
  states: EpisodeState[];
  kinds: ReadonlySet<AssessedTargetKind>;
}

/** Records drift and history for completed runs. */
export class DriftRecorder {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: DriftRecorderDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  /** Records a completed run (a run in any other state records nothing); returns the stored reports. */
  async record(assessmentId: string): Promise<DriftReport[]> {
    const run = await this.deps.assessments.find(assessmentId);
    if (run === undefined || run.status !== 'completed') return [];
    const stored: Stored[] = [];
    const contexts = new Map<string, Promise<RunContext>>();
    const contextFor = (old: Assessment | undefined): Promise<RunContext> => {
      const key = old?.id ?? '';
      let c = contexts.get(key);
      if (c === undefined) contexts.set(key, (c = this.deps.context.between(old, run)));
      return c;
    };
    const counts = await this.deps.postures.countsOfRun(run.id);
    const postures: NodePosture[] = [];
    for (const n of run.nodes) {
      if (n.status.state !== 'collected') {
        stored.push(this.report(run, n.nodeId, n.name, 'previous', { state: 'not-collected', message: `${n.name} was not collected in this run (${n.status.state})` }, []));
        continue;
      }
      try {
        const side = await this.readSide(run, n.nodeId, n.name);
        stored.push(...(await this.nodeReports(run, side, contextFor)));
        await this.updateEpisodes(run, side, n.status.collectedAt);
        postures.push({ assessmentId: run.id, nodeId: n.nodeId, benchmarkId: run.benchmarkId, finishedAt: run.finishedAt ?? run.startedAt, counts: counts.get(n.nodeId) ?? zeroPosture() });
      } catch (e) {
        stored.push(this.report(run, n.nodeId, n.name, 'previous', { state: 'failed', message: `drift could not be computed: ${isPlimsollError(e) ? `${e.code}: ${e.message}` : 'internal error'}` }, []));
      }
    }
    await this.deps.postures.storePostures(postures);
    await this.deps.reports.replaceRun(run.id, stored);
    await this.publish(run, stored);
    return stored.map((s) => s.report);
  }

  private async readSide(run: Assessment, nodeId: string, nodeName: string): Promise<NodeSide> {
    const [states, facts] = await Promise.all([this.deps.source.episodeStates(run.id, nodeId), this.deps.source.facts(run.id, nodeId)]);
    if (facts === undefined) throw new Error(`node ${nodeId} has no facts snapshot in run ${run.id}`);
    return { nodeId, nodeName, states, kinds: collectedKindsOf(facts.facts) };
  }

  private async nodeReports(run: Assessment, side: NodeSide, contextFor: (old: Assessment | undefined) => Promise<RunContext>): Promise<Stored[]> {
    const out: Stored[] = [];
    const node = (await this.deps.nodes.find(side.nodeId, { includeRemoved: true })) ?? { id: side.nodeId, name: side.nodeName, endpoint: '' };
    const stigIds = new Set(side.states.map((s) => s.stigId));
    const previousId = await this.deps.source.previousRun(side.nodeId, run.benchmarkId, run.startedAt, run.id);
    const previous = previousId !== undefined ? await this.deps.assessments.find(previousId) : undefined;
    const around = (await contextFor(previous)).changesFor(node, stigIds);
    if (previous === undefined) {
      out.push(this.report(run, side.nodeId, side.nodeName, 'previous', { state: 'first-run', message: `the first run of ${run.benchmarkId} on ${side.nodeName}` }, around));
    } else {
      const changes = await this.deps.comparer.compare(...(await this.deps.comparer.sides(previous, run, side.nodeId)));
      out.push(this.report(run, side.nodeId, side.nodeName, 'previous', { state: 'compared', compared: previous.id }, [...changes, ...around]));
    }
    const pin = await this.deps.references.find(side.nodeId, run.benchmarkId);
    if (pin !== undefined && pin.assessmentId !== run.id) {
      const reference = await this.deps.assessments.find(pin.assessmentId);
      const pinned = reference?.nodes.find((x) => x.nodeId === side.nodeId);
      if (reference === undefined || pinned?.status.state !== 'collected') {
        out.push(this.report(run, side.nodeId, side.nodeName, 'reference', { state: 'not-collected', compared: pin.assessmentId, message: `the reference run ${pin.assessmentId} has no collected facts of ${side.nodeName}` }, []));
      } else {
        const changes = await this.deps.comparer.compare(...(await this.deps.comparer.sides(reference, run, side.nodeId)));
        out.push(this.report(run, side.nodeId, side.nodeName, 'reference', { state: 'compared', compared: reference.id }, changes));
      }
    }
    return out;
  }

  private async updateEpisodes(run: Assessment, side: NodeSide, at: string): Promise<void> {
    const open = await this.deps.postures.openEpisodes(side.nodeId, run.benchmarkId);
    const { open: opened, close } = episodeUpdates(open, side.states, { assessmentId: run.id, nodeId: side.nodeId, benchmarkId: run.benchmarkId, at }, side.kinds);
    await this.deps.postures.updateEpisodes(opened, close);
  }

  private report(
    run: Assessment,
    nodeId: string,
    nodeName: string,
    comparison: DriftComparisonKind,
    how: { state: DriftReport['state']; compared?: string; message?: string },
    changes: DriftChange[],
  ): Stored {
    const { counts, maxSeverity } = changes.length > 0 ? countChanges(changes) : { counts: emptyCounts(), maxSeverity: undefined };
    const report: DriftReport = {
      id: this.newId(), assessmentId: run.id, nodeId, nodeName, benchmarkId: run.benchmarkId, comparison, state: how.state,
      ...(how.compared !== undefined ? { comparedAssessmentId: how.compared } : {}), ...(how.message !== undefined ? { message: how.message } : {}),
      counts, ...(maxSeverity !== undefined ? { maxSeverity } : {}), computedAt: this.now().toISOString(),
    };
    return { report, changes };
  }

  /** drift.detected per compared report with changes on the node; expiry once per item of the run. */
  private async publish(run: Assessment, stored: readonly Stored[]): Promise<void> {
    const at = this.now().toISOString();
    const emit = async (nodeIds: string[], body: PlimsollEventBody): Promise<void> => {
      const environments = new Set<string>();
      for (const id of nodeIds) environments.add((await this.deps.nodes.find(id, { includeRemoved: true }))?.environment ?? 'default');
      const event = { ...body, id: this.newId(), at, scope: { nodeIds, environments: [...environments] } } as PlimsollEvent;
      this.deps.events.publish(event);
    };
    const expiries = new Map<string, { change: ExpiryChange; nodeIds: string[] }>();
    for (const { report: r, changes } of stored) {
      if (r.state !== 'compared' && r.state !== 'first-run') continue;
      for (const c of changes) {
        if (c.kind !== 'expiring' && c.kind !== 'expired') continue;
        const e = expiries.get(`${c.kind}\u0000${c.subjectId}`) ?? { change: c, nodeIds: [] };
        if (!e.nodeIds.includes(r.nodeId)) e.nodeIds.push(r.nodeId);
        expiries.set(`${c.kind}\u0000${c.subjectId}`, e);
      }
      const c = r.counts;
      const onNode = c.regressions + c.remediations + c.errorsAppeared + c.appeared + c.disappeared + c.evidenceChanges;
      if (r.state !== 'compared' || onNode === 0 || r.comparedAssessmentId === undefined) continue;
      await emit([r.nodeId], {
        type: 'drift.detected', assessmentId: run.id, nodeId: r.nodeId, nodeName: r.nodeName,
        comparedWith: { kind: r.comparison, assessmentId: r.comparedAssessmentId },
        counts: { regressions: c.regressions, remediations: c.remediations, errors: c.errorsAppeared, appeared: c.appeared, disappeared: c.disappeared, evidenceChanges: c.evidenceChanges },
        ...(r.maxSeverity !== undefined ? { maxSeverity: r.maxSeverity } : {}),
      });
    }
    for (const { change: c, nodeIds } of expiries.values()) {
      await emit(nodeIds, { type: 'expiry', subject: c.subject, subjectId: c.subjectId, stigId: c.stigId, expiresAt: c.expiresAt, expired: c.kind === 'expired' });
    }
  }
}
