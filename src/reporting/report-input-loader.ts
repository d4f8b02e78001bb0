/**
 * Rebuilds the reporting input of any stored, completed assessment from the database: the same parts the run
 * assembled its documents from (assembleReportInput), read back — the assessment and its nodes as they were at
 * the run, the benchmark rules the run selected, every rule and per-target result, and the report context — so
 * re-rendering a stored assessment gives the bytes it gave at run time. Optionally limited to one node (by id or
 * by its name at the run): nodes, results and targets are that node's, and the summary counts its results.
 *
 * Other packages add optional parts (reviews, drift) through ReportPartLoaders, each reading its own
 * repository; a part with nothing stored stays absent.
 */
import { assembleReportInput } from '../assessment/report-input.js';
import { selectRules } from '../assessment/evaluate.js';
import { type AssessedNode, type Assessment, assessedBenchmarks, summarize } from '../domain/assessment.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { AssessmentReportContext } from '../domain/report-context.js';
import type { RuleResult } from '../domain/results.js';
import type { LibraryService } from '../domain/services.js';
import type { TargetResult } from '../domain/target-results.js';
import type { ReportInput } from './renderer.js';

/** What the loader reads of stored assessments (AssessmentRepository). */
export interface StoredAssessmentSource {
  find(id: string): Promise<Assessment | undefined>;
  listResults(assessmentId: string, nodeId?: string): Promise<RuleResult[]>;
  reportContext(assessmentId: string): Promise<AssessmentReportContext | undefined>;
}

/** What the loader reads of per-target results (TargetResultRepository). */
export interface StoredTargetSource {
  list(assessmentId: string, nodeId?: string): Promise<TargetResult[]>;
}

/** An optional part of the input (manual reviews, drift, …) read from its own repository. */
export interface ReportPartLoader {
  /** The fields it adds to the input; none when nothing of its kind is stored for this assessment. */
  load(input: Readonly<ReportInput>): Promise<Partial<ReportInput>>;
}

export interface ReportInputLoaderDeps {
  assessments: StoredAssessmentSource;
  targets: StoredTargetSource;
  library: Pick<LibraryService, 'findBenchmark' | 'listRules'>;
  parts?: readonly ReportPartLoader[];
}

/** Options of one load. */
export interface ReportInputOptions {
  /** Limit the input to one node of the assessment: its node id or its name at the run. */
  node?: string;
}

/** The node of an assessment a filter names; NOT_FOUND listing the assessment's nodes otherwise. */
export function assessedNodeOf(assessment: Assessment, ref: string): AssessedNode {
  const r = ref.trim();
  const node = assessment.nodes.find((n) => n.nodeId === r) ?? assessment.nodes.find((n) => n.name === r) ?? assessment.nodes.find((n) => n.name.toLowerCase() === r.toLowerCase());
  if (node === undefined) {
    throw new PlimsollError(ErrorCode.NOT_FOUND, `assessment ${assessment.id} has no node "${r}"; its nodes: ${assessment.nodes.map((n) => n.name).join(', ')}`);
  }
  return node;
}

/** Loads the reporting input of stored assessments. */
export class ReportInputLoader {
  constructor(private readonly deps: ReportInputLoaderDeps) {}

  /** The completed assessment (NOT_FOUND when unknown, CONFLICT when it has not completed: it has no reports). */
  async completedAssessment(assessmentId: string): Promise<Assessment> {
    const assessment = await this.deps.assessments.find(assessmentId);
    if (assessment === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no assessment ${assessmentId}`);
    if (assessment.status !== 'completed') {
      throw new PlimsollError(ErrorCode.CONFLICT, `assessment ${assessmentId} is ${assessment.status}: only a completed assessment has reports`);
    }
    return assessment;
  }

  /** The reporting input of a completed assessment, optionally of one node. */
  async load(assessmentId: string, options: ReportInputOptions = {}): Promise<ReportInput> {
    const whole = await this.completedAssessment(assessmentId);
    const node = options.node !== undefined ? assessedNodeOf(whole, options.node) : undefined;
    const context = await this.deps.assessments.reportContext(assessmentId);
    if (context === undefined) {
      throw new PlimsollError(ErrorCode.INTERNAL, `assessment ${assessmentId} has no stored report context (its results document is not one Plimsoll wrote)`);
    }
    // Every benchmark of the run (a run may assess several), each with its profile and the rules it selected.
    const benchmarks = [];
    for (const assessed of assessedBenchmarks(whole)) {
      const benchmark = await this.deps.library.findBenchmark(assessed.documentId);
      if (benchmark === undefined) throw new PlimsollError(ErrorCode.INTERNAL, `a benchmark of assessment ${assessmentId} (document ${assessed.documentId}) is missing`);
      const profile = assessed.profileId !== undefined ? benchmark.profiles.find((p) => p.id === assessed.profileId) : undefined;
      if (assessed.profileId !== undefined && profile === undefined) {
        throw new PlimsollError(ErrorCode.INTERNAL, `the profile ${assessed.profileId} of assessment ${assessmentId} is missing from its benchmark ${benchmark.id}`);
      }
      benchmarks.push({ benchmark, profile, rules: selectRules((await this.deps.library.listRules(benchmark.documentId)).items, profile) });
    }
    const { benchmark, profile } = benchmarks[0]!;
    const rules = benchmarks.flatMap((b) => b.rules);
    const results = await this.deps.assessments.listResults(assessmentId, node?.nodeId);
    const targets = await this.deps.targets.list(assessmentId, node?.nodeId);
    const assessment: Assessment =
      node === undefined ? whole : { ...whole, nodeIds: [node.nodeId], nodes: [node], summary: summarize(results) };
    const all = benchmarks.map((b) => ({ benchmark: b.benchmark, ...(b.profile !== undefined ? { profile: b.profile } : {}) }));
    const assembled = assembleReportInput({ assessment, benchmark, ...(profile !== undefined ? { profile } : {}), benchmarks: all, rules, results, targets, context });
    let input: ReportInput = node === undefined ? assembled : { ...assembled, node: assembled.nodes[0]! };
    for (const part of this.deps.parts ?? []) input = { ...input, ...(await part.load(input)) };
    return input;
  }
}
