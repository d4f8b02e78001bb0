/**
 * What the OSCAL plan and results (and every other report) of an assessment are built from: its benchmark,
 * rules, nodes (with their collection status and asset facts), results, per-target results and report context,
 * mapped to the reporting input by ONE function (assembleReportInput). The run calls it with what it holds; the
 * report-input loader calls it with the same parts read back from the database, so a stored assessment renders
 * to the bytes it rendered to at run time.
 */
import type { AssessedNode, AssessmentSummary, Assessment, NodeRunStatus } from '../domain/assessment.js';
import type { AssetFacts } from '../domain/asset.js';
import type { Principal } from '../domain/auth.js';
import type { BenchmarkProfile, BenchmarkRule } from '../domain/content.js';
import type { FactsSnapshot, NodeFacts } from '../domain/facts.js';
import type { DockerNode } from '../domain/node.js';
import type { AssessmentReportContext } from '../domain/report-context.js';
import type { RuleResult } from '../domain/results.js';
import type { StoredBenchmark, StoredRule } from '../domain/services.js';
import type { TargetResult } from '../domain/target-results.js';
import type { ArBenchmark, ArNode, AssessmentReportInput } from '../reporting/oscal-inventory.js';
import type { CheckCatalog } from './evaluate.js';

/** How one node of a run went. */
export interface NodeRun {
  node: DockerNode;
  status: NodeRunStatus;
  snapshot?: FactsSnapshot;
  /** Effective asset facts (overrides applied) at the run. */
  asset?: AssetFacts;
  /** The collector's error, for a failed node. */
  error?: unknown;
}

/** A finished run, as the service holds it. */
export interface FinishedRun {
  id: string;
  /** The first benchmark of the run and its profile (`benchmarks` lists them all). */
  benchmark: StoredBenchmark;
  profile: BenchmarkProfile | undefined;
  /** Every benchmark of the run with its profile, in request order; absent: `benchmark` alone. */
  benchmarks?: readonly { benchmark: StoredBenchmark; profile: BenchmarkProfile | undefined }[];
  rules: readonly StoredRule[];
  nodes: readonly NodeRun[];
  results: readonly RuleResult[];
  targets: readonly TargetResult[];
  summary: AssessmentSummary;
  startedAt: string;
  finishedAt: string;
  actor: Principal;
  tool: { name: string; version: string };
}

type ReportBenchmark = Pick<StoredBenchmark, 'documentId' | 'id' | 'title' | 'version' | 'release' | 'releaseDate' | 'sourceFile' | 'sha256'>;

/** A benchmark (and its profile) as the documents describe it. */
function arBenchmarkOf(b: ReportBenchmark, profile: Pick<BenchmarkProfile, 'id' | 'title'> | undefined): ArBenchmark {
  return {
    documentId: b.documentId,
    benchmarkId: b.id,
    title: b.title,
    version: b.version,
    ...(b.release !== undefined ? { release: b.release } : {}),
    ...(b.releaseDate !== undefined ? { releaseDate: b.releaseDate } : {}),
    sourceFile: b.sourceFile,
    sha256: b.sha256,
    ...(profile !== undefined ? { profile: { id: profile.id, ...(profile.title !== undefined ? { title: profile.title } : {}) } } : {}),
  };
}

/** The parts of a stored (or just finished) assessment its reporting input is assembled from. */
export interface ReportInputParts {
  /** The completed assessment with its nodes (in request order) and summary. */
  assessment: Assessment;
  benchmark: ReportBenchmark;
  profile?: Pick<BenchmarkProfile, 'id' | 'title'>;
  /** Every benchmark of the run with its profile, in request order (the first is `benchmark`); absent: that one alone. */
  benchmarks?: readonly { benchmark: ReportBenchmark; profile?: Pick<BenchmarkProfile, 'id' | 'title'> }[];
  /** The rules the run selected, in benchmark order. */
  rules: readonly (Pick<BenchmarkRule, 'ruleId' | 'stigId' | 'title' | 'severity' | 'checkContent'> & { documentId?: string })[];
  results: readonly RuleResult[];
  targets: readonly TargetResult[];
  context: AssessmentReportContext;
}

function engineVersion(facts: NodeFacts): string | undefined {
  const v = facts.version.Version;
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** The report context of a finished run: what its rows will not keep. */
export function reportContextOf(run: FinishedRun, checks: CheckCatalog): AssessmentReportContext {
  const engineVersions: Record<string, string> = {};
  for (const n of run.nodes) {
    const v = n.snapshot !== undefined ? engineVersion(n.snapshot.facts) : undefined;
    if (v !== undefined) engineVersions[n.node.id] = v;
  }
  return {
    tool: { ...run.tool },
    actor: { name: run.actor.name, role: run.actor.role },
    automatedRuleIds: run.rules.filter((r) => checks.checkFor(r.stigId) !== undefined).map((r) => r.ruleId),
    engineVersions,
  };
}

/** The assessment record of a finished run, as the repository will give it back. */
export function finishedAssessmentOf(run: FinishedRun): Assessment {
  const b = run.benchmark;
  const all = run.benchmarks ?? [{ benchmark: b, profile: run.profile }];
  return {
    id: run.id,
    status: 'completed',
    benchmarkDocumentId: b.documentId,
    benchmarkId: b.id,
    benchmarkTitle: b.title,
    benchmarkVersion: b.version,
    ...(b.release !== undefined ? { benchmarkRelease: b.release } : {}),
    ...(run.profile !== undefined ? { profileId: run.profile.id } : {}),
    nodeIds: run.nodes.map((n) => n.node.id),
    nodes: run.nodes.map((n) => ({ nodeId: n.node.id, name: n.node.name, endpoint: n.node.endpoint, status: n.status, ...(n.asset !== undefined ? { asset: n.asset } : {}) })),
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    startedBy: run.actor.name,
    summary: run.summary,
    benchmarks: all.map(({ benchmark: x, profile }) => ({
      documentId: x.documentId,
      benchmarkId: x.id,
      title: x.title,
      version: x.version,
      ...(x.release !== undefined ? { release: x.release } : {}),
      ...(profile !== undefined ? { profileId: profile.id } : {}),
    })),
  };
}

/** A node of the assessment as the documents describe it. */
function arNodeOf(n: AssessedNode, context: AssessmentReportContext): ArNode {
  const version = context.engineVersions[n.nodeId];
  return {
    id: n.nodeId,
    name: n.name,
    endpoint: n.endpoint,
    status: n.status,
    ...(n.status.state === 'collected' ? { collectedAt: n.status.collectedAt, factsSha256: n.status.factsSha256 } : {}),
    ...(version !== undefined ? { engineVersion: version } : {}),
    ...(n.asset !== undefined ? { asset: n.asset } : {}),
  };
}

/**
 * The reporting input of an assessment from its parts. A rule's SP 800-53 statements are those its results
 * carry (mapped at the run), whether a check decided it is the run's record: nothing is looked up again.
 */
export function assembleReportInput(parts: ReportInputParts): AssessmentReportInput {
  const { assessment, benchmark: b, context } = parts;
  const controlsByRule = new Map<string, string[]>();
  for (const r of parts.results) if (!controlsByRule.has(r.ruleId)) controlsByRule.set(r.ruleId, r.controlIds);
  const automated = new Set(context.automatedRuleIds);
  const first = arBenchmarkOf(b, parts.profile);
  const { profile: _firstProfile, ...benchmark } = first;
  return {
    assessment,
    benchmark,
    ...(parts.profile !== undefined ? { profile: { id: parts.profile.id, title: parts.profile.title } } : {}),
    benchmarks: parts.benchmarks !== undefined ? parts.benchmarks.map((x) => arBenchmarkOf(x.benchmark, x.profile)) : [first],
    rules: parts.rules.map((r) => ({
      ...(r.documentId !== undefined ? { benchmarkDocumentId: r.documentId } : {}),
      ruleId: r.ruleId,
      stigId: r.stigId,
      title: r.title,
      severity: r.severity,
      checkContent: r.checkContent,
      automated: automated.has(r.ruleId),
      controlIds: controlsByRule.get(r.ruleId) ?? [],
    })),
    results: parts.results,
    targets: parts.targets,
    nodes: assessment.nodes.map((n) => arNodeOf(n, context)),
    actor: { name: context.actor.name, role: context.actor.role },
    tool: context.tool,
  };
}

/** The reporting input of a finished run, and the report context stored with it. */
export function reportInputOf(run: FinishedRun, checks: CheckCatalog): { input: AssessmentReportInput; context: AssessmentReportContext } {
  const context = reportContextOf(run, checks);
  const input = assembleReportInput({
    assessment: finishedAssessmentOf(run),
    benchmark: run.benchmark,
    ...(run.profile !== undefined ? { profile: run.profile } : {}),
    ...(run.benchmarks !== undefined ? { benchmarks: run.benchmarks.map((x) => ({ benchmark: x.benchmark, ...(x.profile !== undefined ? { profile: x.profile } : {}) })) } : {}),
    rules: run.rules,
    results: run.results,
    targets: run.targets,
    context,
  });
  return { input, context };
}
