/**
 * The drift use cases: compare two assessments (by id, or by an assessment-results document the database
 * holds), read the drift stored with each run, and pin or unpin reference runs. Authorisation and audit are the
 * service gateway's (pins are audited writes); the rules that depend on data (a pin needs a completed run that
 * collected the node) live here.
 */
import type { Assessment } from '../domain/assessment.js';
import type { Principal } from '../domain/auth.js';
import {
  countChanges,
  matchesDriftFilter,
  type AssessmentComparison,
  type AssessmentRef,
  type ComparedRun,
  type DriftChange,
  type DriftChangeFilter,
  type DriftReport,
  type DriftReportFilter,
  type ReferenceRun,
  type ReportWithChanges,
  type StoredDriftChange,
} from '../domain/drift.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Connection, PageRequest } from '../domain/paging.js';
import type { DriftService, NodeService, PinReferenceInput } from '../domain/services.js';
import type { AssessmentRepository } from '../repositories/assessment-repository.js';
import type { DriftReportRepository } from '../repositories/drift-report-repository.js';
import type { ReferenceRunRepository } from '../repositories/reference-run-repository.js';
import type { DriftComparer } from './drift-comparer.js';
import { releaseLabel, type DriftContext } from './drift-context.js';
import { assessmentIdOf, requireStoredDocument } from './results-document-ref.js';

export interface DefaultDriftServiceDeps {
  assessments: Pick<AssessmentRepository, 'find' | 'resultsDocument'>;
  nodes: Pick<NodeService, 'find'>;
  comparer: DriftComparer;
  context: DriftContext;
  reports: DriftReportRepository;
  references: ReferenceRunRepository;
  now?: () => Date;
}

const MAX_NOTE = 500;

export class DefaultDriftService implements DriftService {
  private readonly now: () => Date;

  constructor(private readonly deps: DefaultDriftServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async compare(oldRef: AssessmentRef, newRef: AssessmentRef, filter: DriftChangeFilter = {}): Promise<AssessmentComparison> {
    const [old, now] = await Promise.all([this.resolve(oldRef), this.resolve(newRef)]);
    const changes: DriftChange[] = [];
    const stigIds = new Set<string>();
    const ids = [...now.run.nodes.map((n) => n.nodeId), ...old.run.nodes.map((n) => n.nodeId).filter((id) => !now.run.nodes.some((n) => n.nodeId === id))];
    for (const nodeId of ids) {
      const o = old.run.nodes.find((n) => n.nodeId === nodeId);
      const n = now.run.nodes.find((x) => x.nodeId === nodeId);
      const nodeName = n?.name ?? o?.name ?? nodeId;
      const reason =
        o === undefined ? `assessed only in the newer run ${now.run.id}`
        : n === undefined ? `assessed only in the older run ${old.run.id}`
        : o.status.state !== 'collected' ? `not collected in the older run ${old.run.id} (${o.status.state})`
        : n.status.state !== 'collected' ? `not collected in the newer run ${now.run.id} (${n.status.state})`
        : undefined;
      if (reason !== undefined) {
        changes.push({ kind: 'node-not-compared', nodeId, nodeName, reason });
        continue;
      }
      const [before, after] = await this.deps.comparer.sides(old.run, now.run, nodeId);
      for (const stigId of after.rules?.keys() ?? []) stigIds.add(stigId);
      changes.push(...(await this.deps.comparer.compare(before, after)));
    }
    changes.push(...(await this.deps.context.between(old.run, now.run)).changesFor(undefined, stigIds));
    const { counts, maxSeverity } = countChanges(changes);
    return { old: old.compared, new: now.compared, counts, ...(maxSeverity !== undefined ? { maxSeverity } : {}), changes: changes.filter((c) => matchesDriftFilter(c, filter)) };
  }

  async reports(assessmentId: string, filter: DriftReportFilter, page: PageRequest = {}): Promise<Connection<DriftReport>> {
    await this.requireRun(assessmentId);
    return this.deps.reports.page(assessmentId, filter, page);
  }

  report(reportId: string): Promise<DriftReport | undefined> {
    return this.deps.reports.find(reportId);
  }

  async changes(reportId: string, filter: DriftChangeFilter, page: PageRequest = {}): Promise<Connection<StoredDriftChange>> {
    if ((await this.deps.reports.find(reportId)) === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no drift report ${reportId}`);
    const { nodeId: _node, ...rest } = filter;
    return this.deps.reports.changes(reportId, rest, page);
  }

  async runDrift(assessmentId: string, filter: DriftReportFilter = {}): Promise<ReportWithChanges[]> {
    await this.requireRun(assessmentId);
    const reports = (await this.deps.reports.listRun(assessmentId)).filter((r) => (filter.nodeId === undefined || r.nodeId === filter.nodeId) && (filter.comparison === undefined || r.comparison === filter.comparison));
    return Promise.all(reports.map(async (report) => ({ report, changes: await this.deps.reports.allChanges(report.id) })));
  }

  async pinReference(input: PinReferenceInput, actor: Principal): Promise<{ pinned: ReferenceRun; replaced?: ReferenceRun }> {
    if (input.note !== undefined && input.note.length > MAX_NOTE) throw new PlimsollError(ErrorCode.BAD_INPUT, `the note is longer than ${MAX_NOTE} characters`);
    const node = await this.deps.nodes.find(input.node);
    if (node === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no node matches "${input.node}" (by id, name or endpoint)`);
    const run = await this.deps.assessments.find(input.assessmentId);
    if (run === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no assessment ${input.assessmentId}`);
    if (run.status !== 'completed') throw new PlimsollError(ErrorCode.BAD_INPUT, `assessment ${run.id} is ${run.status}: only a completed run can be a reference run`);
    const assessed = run.nodes.find((n) => n.nodeId === node.id);
    if (assessed?.status.state !== 'collected') {
      throw new PlimsollError(ErrorCode.BAD_INPUT, `assessment ${run.id} ${assessed === undefined ? 'did not assess' : 'could not collect'} node ${node.name}: pin a run that collected it`);
    }
    return this.deps.references.pin({
      nodeId: node.id, benchmarkId: run.benchmarkId, assessmentId: run.id, pinnedBy: actor.name, pinnedByUserId: actor.userId,
      pinnedAt: this.now().toISOString(), ...(input.note !== undefined && input.note.trim() !== '' ? { note: input.note.trim() } : {}),
    });
  }

  async unpinReference(input: { node: string; benchmark?: string }): Promise<ReferenceRun> {
    const node = await this.deps.nodes.find(input.node, { includeRemoved: true });
    if (node === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no node matches "${input.node}" (by id, name or endpoint)`);
    const pins = await this.deps.references.ofNode(node.id);
    const chosen = input.benchmark !== undefined ? pins.filter((p) => p.benchmarkId === input.benchmark) : pins;
    if (chosen.length === 0) throw new PlimsollError(ErrorCode.NOT_FOUND, `node ${node.name} has no reference run${input.benchmark !== undefined ? ` for ${input.benchmark}` : ''}`);
    if (chosen.length > 1) throw new PlimsollError(ErrorCode.BAD_INPUT, `node ${node.name} has reference runs for ${chosen.map((p) => p.benchmarkId).join(', ')}: name the benchmark`);
    const removed = await this.deps.references.unpin(node.id, chosen[0]!.benchmarkId);
    if (removed === undefined) throw new PlimsollError(ErrorCode.CONFLICT, `the reference run of ${node.name} was removed meanwhile`);
    return removed;
  }

  async references(filter: { node?: string }, page: PageRequest = {}): Promise<Connection<ReferenceRun>> {
    let nodeId: string | undefined;
    if (filter.node !== undefined) {
      const node = await this.deps.nodes.find(filter.node, { includeRemoved: true });
      if (node === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no node matches "${filter.node}" (by id, name or endpoint)`);
      nodeId = node.id;
    }
    return this.deps.references.page(nodeId !== undefined ? { nodeId } : {}, page);
  }

  reference(nodeId: string, benchmarkId: string): Promise<ReferenceRun | undefined> {
    return this.deps.references.find(nodeId, benchmarkId);
  }

  private async requireRun(id: string): Promise<Assessment> {
    const run = await this.deps.assessments.find(id);
    if (run === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no assessment ${id}`);
    return run;
  }

  /** A completed run named by id or by its results document. */
  private async resolve(ref: AssessmentRef): Promise<{ run: Assessment; compared: ComparedRun }> {
    let id: string;
    if (ref.kind === 'assessment-id') {
      if (ref.id.trim() === '') throw new PlimsollError(ErrorCode.BAD_INPUT, 'an assessment id is empty');
      id = ref.id;
    } else {
      const named = assessmentIdOf(ref.name, ref.bytes);
      id = named.assessmentId;
      const run = await this.deps.assessments.find(id);
      if (run === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `${ref.name}: assessment ${id} is not in this database`, [{ file: ref.name, message: `assessment ${id} is not in this database` }]);
      requireStoredDocument(ref.name, id, named.document, await this.deps.assessments.resultsDocument(id));
    }
    const run = await this.deps.assessments.find(id);
    if (run === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no assessment ${id}`);
    if (run.status !== 'completed') throw new PlimsollError(ErrorCode.BAD_INPUT, `assessment ${id} is ${run.status}: only completed runs are compared`);
    return {
      run,
      compared: {
        assessmentId: run.id, benchmarkId: run.benchmarkId, benchmarkDocumentId: run.benchmarkDocumentId, release: releaseLabel(run.benchmarkVersion, run.benchmarkRelease),
        startedAt: run.startedAt, ...(run.finishedAt !== undefined ? { finishedAt: run.finishedAt } : {}), source: ref.kind,
      },
    };
  }
}
