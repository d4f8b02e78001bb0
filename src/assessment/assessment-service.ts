/**
 * Assessment runs: resolve the benchmark, profile and nodes; record a `running` assessment with its nodes
 * `pending`; collect one inventory per node (stored with its sha256, the node then `collected` with its asset
 * facts); a node that can't be collected is `failed` with a classified reason and its rules are `error`, while
 * the other nodes go on; evaluate every selected rule in memory; split the results per target; build and
 * validate the OSCAL assessment plan and results; store results, per-target results, summary and both
 * documents in one transaction (the documents are downloaded, never written where a caller says). A run that
 * can't finish (or whose every node failed) is marked `failed` with its error before the error propagates; a
 * run whose process died is marked `interrupted` at the next start (see runner.ts for the policy), its pending
 * nodes with it.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageInfo } from '../config/package-info.js';
import { resultsOfBenchmark, summarize, type AssessedNode, type Assessment, type AssessmentSummary, type AssessmentWithResults, type NodeFailureReason } from '../domain/assessment.js';
import type { Connection, PageRequest } from '../domain/paging.js';
import type { Principal } from '../domain/auth.js';
import { canonicalJson, sha256Hex } from '../domain/canonical-json.js';
import { ErrorCode, isPlimsollError, PlimsollError } from '../domain/errors.js';
import { NO_EVENTS, type EventPublisher } from '../domain/events.js';
import { worseSeverity } from '../domain/event-filter.js';
import type { FactsSnapshot, NodeFacts } from '../domain/facts.js';
import type { DockerNode } from '../domain/node.js';
import type { RuleResult } from '../domain/results.js';
import type {
  AssessmentRequest,
  AssessmentService,
  FactsCollector,
  ImportService,
  LibraryService,
  ListOptions,
  NodeAssetService,
  NodeService,
  Page,
  RuleResultFilter,
} from '../domain/services.js';
import { ASSESSED_TARGET_KINDS, TARGET_STATUSES, type StoredTargetResult, type TargetQuery, type TargetResultFilter } from '../domain/target-results.js';
import { collectedAsset } from '../nodes/asset-facts.js';
import type { BuiltinBenchmarks } from '../library/builtin-benchmarks.js';
import type { AssessmentResultsWriter } from '../reporting/oscal-ar-writer.js';
import { oscalJsonText } from '../reporting/oscal-values.js';
import type { AssessmentRepository } from '../repositories/assessment-repository.js';
import type { NewTargetResult } from '../repositories/assessment/target-result-rows.js';
import type { TargetResultRepository } from '../repositories/target-result-repository.js';
import { mapBounded } from '../collectors/bounded.js';
import { ALL_PARTS, partsToCollect } from '../checks/parts-read.js';
import { newEvent, scopeOfNodes } from '../monitoring/event-bus.js';
import { applyExemptions, type ExemptionSource } from './apply-exemptions.js';
import { applyReviews, type ReviewSource } from './apply-reviews.js';
import { type CheckCatalog, evaluateNode } from './evaluate.js';
import { classifyNodeFailure, failedNodeResults } from './node-failures.js';
import { type NodeRun, reportInputOf } from './report-input.js';
import { interruptionReason, localRunnerHost, type RunnerHost, runnerIdOf } from './runner.js';
import { splitPerTarget } from './target-results.js';
import { type RunPlan, RunPlanner } from './run-plan.js';
import { resolveNodes } from './targets.js';

export interface AssessmentServiceDeps {
  repo: AssessmentRepository;
  /** Per-target results, paged. */
  targetResults: TargetResultRepository;
  library: LibraryService;
  imports: ImportService;
  nodes: NodeService;
  collector: FactsCollector;
  checks: CheckCatalog;
  writer: AssessmentResultsWriter;
  /** Approved exemptions, applied to the results before the document is built; absent: none apply. */
  exemptions?: ExemptionSource;
  /** Accepted manual reviews, applied to `not-checked` results before exemptions; absent: none apply. */
  reviews?: ReviewSource;
  /** Where collected asset facts are recorded (overrides applied on the way back); absent: kept with the run only. */
  assets?: Pick<NodeAssetService, 'recordCollected'>;
  /**
   * Called once a run is stored as completed (drift and history record it, src/monitoring/drift-recorder.ts). It
   * records its own failures; a failure here never fails the stored run.
   */
  onCompleted?: (assessmentId: string) => Promise<unknown>;
  /** Where progress is published (started, each node collected or failed, completed); absent: nowhere. */
  events?: EventPublisher;
  /** The benchmarks shipped in catalogs/, imported when a run names one the database doesn't hold; absent: stored ones only. */
  builtins?: Pick<BuiltinBenchmarks, 'resolve'>;
}

export interface AssessmentServiceOptions {
  /** Clock (default: now). */
  now?: () => Date;
  /** Id generator of assessments and facts snapshots (default crypto.randomUUID). */
  newId?: () => string;
  /** This process as a runner (default: the local host and pid). */
  runner?: RunnerHost;
  /** Name and version of the tool, as the OSCAL documents name it (default: Plimsoll at its package.json version). */
  tool?: { name: string; version: string };
  /** How many nodes are collected at once (default 8). */
  nodeConcurrency?: number;
}

const DEFAULT_NODE_CONCURRENCY = 8;

function errorMessage(e: unknown): string {
  if (isPlimsollError(e) || e instanceof Error) return e.message;
  return String(e);
}

/** AssessmentService over the library, nodes, a facts collector, the checks and the repositories. */
export class DefaultAssessmentService implements AssessmentService {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly runner: RunnerHost;
  private readonly tool: { name: string; version: string };
  private readonly nodeConcurrency: number;
  /** Runs in progress in this process, never marked interrupted. */
  private readonly active = new Set<string>();
  private readonly planner: RunPlanner;

  constructor(
    private readonly deps: AssessmentServiceDeps,
    options: AssessmentServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
    this.runner = options.runner ?? localRunnerHost();
    this.tool = options.tool ?? { name: 'Plimsoll', version: packageInfo(path.dirname(fileURLToPath(import.meta.url))).version };
    this.nodeConcurrency = Math.max(1, Math.floor(options.nodeConcurrency ?? DEFAULT_NODE_CONCURRENCY));
    this.planner = new RunPlanner(deps);
  }

  async run(request: AssessmentRequest, actor: Principal): Promise<AssessmentWithResults> {
    const { nodes, repo, checks } = this.deps;
    const plan = await this.planner.plan(request, actor);
    const benchmarks = plan.benchmarks;
    const { benchmark, profile } = benchmarks[0]!;
    const targets = await resolveNodes(request.nodes, nodes, actor);

    const id = this.newId();
    const startedAt = this.now().toISOString();
    await repo.createRunning({
      id,
      benchmarkDocumentId: benchmark.documentId,
      ...(profile !== undefined ? { profileId: profile.id } : {}),
      benchmarks: benchmarks.map((b) => ({ documentId: b.benchmark.documentId, ...(b.profile !== undefined ? { profileId: b.profile.id } : {}) })),
      nodes: targets.map((n) => ({ id: n.id, name: n.name, endpoint: n.endpoint })),
      startedAt,
      startedBy: actor.name,
      runner: runnerIdOf(this.runner),
    });
    this.active.add(id);
    const events = this.deps.events ?? NO_EVENTS;
    const scope = scopeOfNodes(targets);
    const signal = request.signal;
    events.publish(
      newEvent(
        { type: 'assessment.started', assessmentId: id, benchmarkIds: benchmarks.map((b) => b.benchmark.documentId), actorUserId: actor.userId, ...(request.origin !== undefined ? { scheduleId: request.origin.scheduleId, jobId: request.origin.jobId } : {}) },
        scope,
        this.now(),
      ),
    );
    // Only the inventory parts the selected rules read are fetched (checks/parts-read.ts).
    const parts = partsOfRules(plan.rules, checks);
    let summaryOf: AssessmentSummary['counts'] | undefined;
    let storedResults: RuleResult[] = [];
    let worst: RuleResult['severity'] | undefined;
    try {
      // Collected and evaluated in a method of its own: the facts and the intermediate result lists it holds are
      // released before the store, where a large node's run reaches its peak memory.
      const { results, summary, targetRows, report, finishedAt } = await this.collectAndEvaluate(id, plan, targets, parts, { signal, events, startedAt, actor });
      summaryOf = summary.counts;
      worst = results.reduce<RuleResult['severity'] | undefined>((w, r) => (r.status === 'fail' ? worseSeverity(w, r.severity) : w), undefined);
      // The results document is produced, validated and stored part by part inside the completing transaction.
      const documents = this.deps.writer.renderStreamed(report.input);
      signal?.throwIfAborted();
      await repo.complete(id, { finishedAt, summary, results, targets: targetRows, resultsText: documents.results, planDocument: documents.plan, reportContext: report.context });
      storedResults = results;
    } catch (e) {
      // A run whose results were stored stays completed (repo.fail leaves it): its completion is announced.
      const failed = await repo.fail(id, errorMessage(e), this.now().toISOString()).catch(() => false);
      events.publish(
        failed
          ? newEvent({ type: 'assessment.completed', assessmentId: id, status: 'failed', summary: {}, error: errorMessage(e) }, scope, this.now())
          : newEvent({ type: 'assessment.completed', assessmentId: id, status: 'completed', summary: summaryOf ?? {}, ...(worst !== undefined ? { maxSeverity: worst } : {}) }, scope, this.now()),
      );
      throw e;
    } finally {
      this.active.delete(id);
    }
    await this.deps.onCompleted?.(id).catch(() => undefined);
    events.publish(newEvent({ type: 'assessment.completed', assessmentId: id, status: 'completed', summary: summaryOf ?? {}, ...(worst !== undefined ? { maxSeverity: worst } : {}) }, scope, this.now()));
    // The results just stored, not read back: on a large node, reading them again held them twice.
    const stored = await repo.find(id);
    if (stored === undefined) throw new Error(`assessment ${id} vanished after completion`);
    return { ...stored, results: storedResults };
  }

  list(page?: ListOptions, filter: { environments?: readonly string[] } = {}): Promise<Page<Assessment>> {
    return this.deps.repo.list(page, filter);
  }

  get(id: string): Promise<AssessmentWithResults | undefined> {
    return this.deps.repo.get(id);
  }

  page(page: PageRequest, filter: { environments?: readonly string[] } = {}): Promise<Connection<Assessment>> {
    return this.deps.repo.page(page, filter);
  }

  results(assessmentId: string, filter: RuleResultFilter, page: PageRequest): Promise<Connection<RuleResult>> {
    return this.deps.repo.results(assessmentId, filter, page);
  }

  resultsDocument(id: string): Promise<unknown | undefined> {
    return this.deps.repo.resultsDocument(id);
  }

  planDocument(id: string): Promise<unknown | undefined> {
    return this.deps.repo.planDocument(id);
  }

  async resultsDocumentText(id: string): Promise<AsyncIterable<string> | undefined> {
    const parts = await this.deps.repo.resultsDocumentParts(id);
    if (parts !== undefined) return parts;
    // Stored before migration 0024: one JSON value, written out as every download writes it.
    const doc = await this.deps.repo.resultsDocument(id);
    return doc === undefined ? undefined : (async function* whole() {
      yield oscalJsonText(doc);
    })();
  }

  async assessedNodes(assessmentId: string, page: PageRequest = {}): Promise<Connection<AssessedNode>> {
    await this.requireAssessment(assessmentId);
    return this.deps.repo.nodesPage(assessmentId, page);
  }

  async targetResults(assessmentId: string, filter: TargetResultFilter, page: PageRequest = {}): Promise<Connection<StoredTargetResult>> {
    checkFilter(filter);
    await this.requireAssessment(assessmentId);
    return this.deps.targetResults.page(assessmentId, filter, page);
  }

  targetResult(id: number): Promise<StoredTargetResult | undefined> {
    return this.deps.targetResults.find(id);
  }

  assessedNode(assessmentId: string, nodeId: string): Promise<AssessedNode | undefined> {
    return this.deps.repo.findNode(assessmentId, nodeId);
  }

  private async requireAssessment(id: string): Promise<void> {
    if ((await this.deps.repo.find(id)) === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no assessment ${id}`);
  }

  async targetHistory(target: TargetQuery, page: PageRequest = {}): Promise<Connection<StoredTargetResult>> {
    checkFilter({ kind: target.kind });
    const node = await this.deps.nodes.find(target.node, { includeRemoved: true });
    if (node === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no node matches "${target.node}" (by id, name or endpoint)`);
    const locator = { nodeId: node.id, kind: target.kind, key: target.key, ...(target.rule !== undefined ? { rule: target.rule } : {}) };
    return this.deps.targetResults.history(locator, page);
  }

  async markInterrupted(): Promise<number> {
    const running = await this.deps.repo.listRunning();
    const runs: { id: string; error: string }[] = [];
    for (const r of running) {
      const reason = interruptionReason(r.runner, this.runner, this.active.has(r.id));
      if (reason !== undefined) runs.push({ id: r.id, error: reason });
    }
    const changed = await this.deps.repo.markInterrupted(runs, this.now().toISOString());
    for (const r of runs) {
      if (this.deps.events === undefined) break;
      const ids = (await this.deps.repo.get(r.id))?.nodeIds ?? [];
      const nodes = await Promise.all(ids.map(async (n) => (await this.deps.nodes.find(n, { includeRemoved: true })) ?? { id: n }));
      this.deps.events.publish(newEvent({ type: 'assessment.completed', assessmentId: r.id, status: 'interrupted', summary: {}, error: r.error }, scopeOfNodes(nodes), this.now()));
    }
    return changed;
  }

  /**
   * Collects every node (a node that can't be collected is failed, the others go on), evaluates the rules on each,
   * applies accepted reviews and approved exemptions, and splits the results per target; the run's reporting input
   * is built from them.
   */
  private async collectAndEvaluate(id: string, plan: RunPlan, targets: readonly DockerNode[], parts: ReadonlySet<string> | undefined, ctx: RunContext): Promise<Evaluated> {
    const { checks } = this.deps;
    const { signal, events, actor, startedAt } = ctx;
    const { benchmarks, rules, controls } = plan;
    const { benchmark, profile } = benchmarks[0]!;
    const runs = await mapBounded(targets, this.nodeConcurrency, async (node) => {
      signal?.throwIfAborted();
      const run = await this.collectNode(id, node, signal, parts);
      const failed = run.status.state === 'failed' ? run.status : undefined;
      events.publish(newEvent({ type: 'assessment.node', assessmentId: id, nodeId: node.id, nodeName: node.name, state: failed !== undefined ? 'failed' : 'collected', ...(failed !== undefined ? { reason: failed.reason } : {}) }, scopeOfNodes([node]), this.now()));
      return run;
    });
    signal?.throwIfAborted();
    // No evidence at all: the run fails with the first node's error (as a single unreachable node always did).
    if (runs.every((r) => r.snapshot === undefined)) throw allFailed(runs);
    const evaluated = runs.flatMap((r) => (r.snapshot !== undefined ? evaluateNode(rules, r.snapshot.facts, checks, controls) : failedNodeResults(rules, r.node, failureOf(r), controls)));
    const exemptions = (await this.deps.exemptions?.listApproved()) ?? [];
    const evaluatedAt = this.now();
    const facts = runs.flatMap((r) => (r.snapshot !== undefined ? [r.snapshot.facts] : []));
    const reviews = (await this.deps.reviews?.listAccepted()) ?? [];
    // Reviews answer rules of the benchmark they were written for: applied per benchmark of the run.
    const attested = benchmarks.flatMap((b) => applyReviews(resultsOfBenchmark({ benchmarkDocumentId: benchmark.documentId }, evaluated, b.benchmark.documentId), reviews, { now: evaluatedAt, benchmarkId: b.benchmark.id, nodes: targets }));
    const results = applyExemptions(attested, exemptions, { now: evaluatedAt, nodes: targets, facts });
    const finishedAt = evaluatedAt.toISOString();
    const summary = summarize(results);
    const targetRows = splitPerTarget(runs, results);
    const report = reportInputOf({ id, benchmark, profile, benchmarks, rules, nodes: runs, results, targets: targetRows, summary, startedAt, finishedAt, actor, tool: this.tool }, checks);
    return { results, summary, targetRows, report, finishedAt };
  }

  /**
   * Collects one node: its snapshot stored and the node marked collected with its asset facts, or the node
   * marked failed with a classified reason (the run goes on with the others).
   */
  private async collectNode(assessmentId: string, node: DockerNode, signal: AbortSignal | undefined, parts: ReadonlySet<string> | undefined): Promise<NodeRun> {
    let collected: NodeFacts;
    try {
      collected = await this.deps.collector.collect(node, { ...(signal !== undefined ? { signal } : {}), ...(parts !== undefined ? { parts } : {}) });
    } catch (e) {
      // A stopped run stops here: the node is not a failed node, the whole run is stopped.
      if (signal?.aborted === true) throw signal.reason;
      const failure = classifyNodeFailure(e);
      const status = { state: 'failed' as const, ...failure };
      await this.deps.repo.setNodeStatus(assessmentId, node.id, status);
      return { node, status, error: e };
    }
    // The snapshot belongs to the node it was collected from, whatever the collector wrote into it.
    const facts: NodeFacts = { ...collected, nodeId: node.id };
    // Serialised once: the canonical text is both hashed and stored.
    const factsJson = canonicalJson(facts);
    const snapshot: FactsSnapshot = { id: this.newId(), assessmentId, nodeId: node.id, collectedAt: facts.collectedAt, sha256: sha256Hex(factsJson), facts };
    const found = collectedAsset(facts, node.endpoint);
    const asset = this.deps.assets !== undefined ? await this.deps.assets.recordCollected(node.id, found, facts.collectedAt) : found;
    await this.deps.repo.storeFacts(snapshot, asset, factsJson);
    return { node, snapshot, asset, status: { state: 'collected', collectedAt: snapshot.collectedAt, factsSha256: snapshot.sha256 } };
  }
}

/** The parts the rules' checks read; undefined (everything) when a check doesn't say what it reads. */
function partsOfRules(rules: readonly { stigId: string }[], checks: CheckCatalog): ReadonlySet<string> | undefined {
  const lookup = (stigId: string) => {
    const check = checks.checkFor(stigId);
    return check === undefined ? undefined : check.targetKinds !== undefined ? { targetKinds: check.targetKinds, ...(check.facts !== undefined ? { facts: check.facts } : {}) } : { targetKinds: [], facts: ['unknown'] };
  };
  const parts = partsToCollect(rules.map((r) => r.stigId), lookup);
  return parts.size === ALL_PARTS.length ? undefined : parts;
}

function failureOf(run: NodeRun): { reason: NodeFailureReason; message: string } {
  return run.status.state === 'failed' ? { reason: run.status.reason, message: run.status.message } : { reason: 'internal', message: 'the node was not collected' };
}

/** The error of a run none of whose nodes could be collected: the first node's, naming every node when several. */
function allFailed(runs: readonly NodeRun[]): unknown {
  if (runs.length === 1) return runs[0]!.error;
  const first = runs[0]?.error;
  const all = runs.map((r) => errorMessage(r.error)).join('; ');
  return isPlimsollError(first) ? new PlimsollError(first.code, all, first.problems, { cause: first }) : new Error(all, { cause: first });
}

/** What collecting and evaluating a run needs besides its plan and nodes. */
interface RunContext {
  signal: AbortSignal | undefined;
  events: EventPublisher;
  startedAt: string;
  actor: Principal;
}

/** A run's results, split per target, with its reporting input. */
interface Evaluated {
  results: RuleResult[];
  summary: AssessmentSummary;
  targetRows: NewTargetResult[];
  report: ReturnType<typeof reportInputOf>;
  finishedAt: string;
}

function checkFilter(filter: TargetResultFilter): void {
  if (filter.status !== undefined && !(TARGET_STATUSES as readonly string[]).includes(filter.status)) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `unknown status "${filter.status}"; one of ${TARGET_STATUSES.join(', ')}`);
  }
  if (filter.kind !== undefined && !(ASSESSED_TARGET_KINDS as readonly string[]).includes(filter.kind)) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `unknown target kind "${filter.kind}"; one of ${ASSESSED_TARGET_KINDS.join(', ')}`);
  }
}
