/** GraphQL shapes of assessment runs, their rule results and the evidence (observations) behind each. */
import type { ExemptionKind } from '../../domain/exemption.js';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { type Assessment, type AssessmentStatus, type AssessmentSummary, assessedBenchmarks } from '../../domain/assessment.js';
import { AssessedBenchmarkType, BenchmarkSelectionInput, mapAssessedBenchmark } from './assessment-benchmark.type.js';
import { assessmentPlanDownloadPath, assessmentResultsDownloadPath } from '../../domain/download.js';
import type { Observation, RuleResult, RuleStatus, Severity } from '../../domain/results.js';
import type { RuleResultFilter } from '../../domain/services.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { AssessmentStatusEnum, ExemptionKindEnum, ObservationVerdictEnum, RuleResultStatusEnum, SeverityEnum, TargetKindEnum } from './enums.js';
import { mapAttestation, mapReviewNotes, RuleAttestationType, RuleReviewNoteType } from './review.type.js';

@ObjectType('Observation', { description: 'Evidence: the value observed at a field of a target, and what was expected.' })
export class ObservationType {
  @Field(() => TargetKindEnum, { description: 'What was looked at.' }) targetKind!: string;
  @Field(() => String, { description: 'Id of the target (a container id, an image id, a file path…).' }) targetId!: string;
  @Field(() => String, { description: 'Name of the target (a container name, an image tag, a file path…).' }) targetName!: string;
  @Field(() => String, { description: 'Path of the field in the collected API object, e.g. "HostConfig.Privileged".' }) field!: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The observed value as JSON (null when the field is absent).' }) value!: unknown;
  @Field(() => String, { description: 'What the rule expects there, in words.' }) expected!: string;
  @Field(() => ObservationVerdictEnum, { description: 'Whether the value met the rule.' }) verdict!: string;
  @Field(() => String, { description: 'What was found, in one sentence.' }) message!: string;
  @Field(() => String, { description: 'When the value was collected (ISO date-time).' }) collectedAt!: string;
  @Field(() => String, { nullable: true, description: 'exemptionId of the approved exemption covering this failing observation (the verdict stays FAIL).' }) exemptedBy?: string;
}

@ObjectType('RuleExemption', { description: 'The approved exemption a failed rule is recorded under: a deviation, never hidden.' })
export class RuleExemptionType {
  @Field(() => String, { description: 'exemptionId of the exemption; `exemption(exemptionId:)` returns it.' }) exemptionId!: string;
  @Field(() => String, { description: 'Name of the exemption.' }) name!: string;
  @Field(() => ExemptionKindEnum, { description: 'Risk accepted, false positive or operational requirement.' }) kind!: ExemptionKind;
  @Field(() => String, { description: 'Why the risk was accepted.' }) justification!: string;
  @Field(() => String, { description: 'Who approved it.' }) approvedBy!: string;
  @Field(() => String, { description: 'When it was approved (ISO date-time).' }) approvedAt!: string;
  @Field(() => String, { description: 'When it expires (ISO date or date-time).' }) expiresAt!: string;
}

@ObjectType('RuleAutomation', { description: "Which check text a rule's automation was written against, and whether the benchmark changed it since." })
export class RuleAutomationType {
  @Field(() => Boolean, { description: 'True when the check text changed since the automation was written: review the verdict by hand.' }) stale!: boolean;
  @Field(() => String, { description: 'The release and check-content hash the check was written against, e.g. "V2R2 (hash 85ec4b3fa4b7…)".' }) automatedAgainst!: string;
  @Field(() => String, { nullable: true, description: 'When stale: why the verdict may be out of date.' }) message?: string;
}

@ObjectType('RuleResult', { description: "One rule's result on one node, with its evidence." })
export class RuleResultType {
  @Field(() => String, { description: 'dockerNodeId of the node the result is for.' }) dockerNodeId!: string;
  @Field(() => String, { nullable: true, description: "benchmarkDocumentId of the rule's benchmark (an assessment may assess several); null on results of runs before there could be several." }) benchmarkDocumentId?: string;
  @Field(() => String, { description: 'STIG id, e.g. "DKER-EE-001960".' }) stigId!: string;
  @Field(() => String, { description: 'XCCDF rule id.' }) ruleId!: string;
  @Field(() => String, { description: 'XCCDF group id (vulnerability id).' }) groupId!: string;
  @Field(() => String, { description: 'sha256 of the check text the rule was evaluated against.' }) checkContentHash!: string;
  @Field(() => String, { description: 'Rule title.' }) title!: string;
  @Field(() => SeverityEnum, { description: 'Rule severity.' }) severity!: Severity;
  @Field(() => RuleResultStatusEnum, { description: 'The verdict.' }) status!: RuleStatus;
  @Field(() => String, { description: 'Why, in one sentence (e.g. "2 of 7 containers run privileged").' }) message!: string;
  @Field(() => [String], { description: 'SP 800-53 statement ids mapped from the CCIs (e.g. "cm-6_smt.b").' }) controlIds!: string[];
  @Field(() => [String], { description: 'CCIs of the rule.' }) ccis!: string[];
  @Field(() => String, { description: "The benchmark's fix text, as is." }) fixText!: string;
  @Field(() => RuleExemptionType, { nullable: true, description: 'The approved exemption covering every failing observation; the status stays FAIL.' }) exemption?: RuleExemptionType;
  @Field(() => String, { nullable: true, description: 'For failures: the fix text plus a concrete command or daemon.json change.' }) remediation?: string;
  @Field(() => RuleAutomationType, { nullable: true, description: 'For automated rules: the check text the automation was written against.' }) automation?: RuleAutomationType;
  @Field(() => RuleAttestationType, { nullable: true, description: 'For a rule no check decided: the accepted manual review that answered it (the status is its result).' }) attestation?: RuleAttestationType;
  @Field(() => [RuleReviewNoteType], { description: 'Reviews that matched without answering: expired ones, and ones for a rule a check decided (ignored).' }) reviewNotes!: RuleReviewNoteType[];
  /** Paged by the `observations` field resolver. */
  observationList!: ObservationType[];
}

@ObjectType('AssessmentSummary', { description: 'Counts of rule results by status, and of failures by severity.' })
export class AssessmentSummaryType {
  @Field(() => Int, { description: 'Results with status PASS.' }) pass!: number;
  @Field(() => Int, { description: 'Results with status FAIL (exempted ones included).' }) fail!: number;
  @Field(() => Int, { description: 'Results with status NOT_APPLICABLE.' }) notApplicable!: number;
  @Field(() => Int, { description: 'Results with status NOT_CHECKED (manual review).' }) notChecked!: number;
  @Field(() => Int, { description: 'Results with status ERROR (data missing or unreadable).' }) error!: number;
  @Field(() => Int, { description: 'Failed CAT I (high) rules.' }) failedHigh!: number;
  @Field(() => Int, { description: 'Failed CAT II (medium) rules.' }) failedMedium!: number;
  @Field(() => Int, { description: 'Failed CAT III (low) rules.' }) failedLow!: number;
  @Field(() => Int, { description: 'Failed rules recorded under an approved exemption (also counted in fail).' }) exempted!: number;
}

@ObjectType('Assessment', { implements: NodeInterface, description: 'An assessment run: Docker nodes × a benchmark (× an XCCDF profile).' })
export class AssessmentType extends NodeInterface {
  @Field(() => String, { description: "The run's uuid, as the CLI and the OSCAL document show it; `assessment(assessmentId:)` takes it." }) assessmentId!: string;
  @Field(() => AssessmentStatusEnum, { description: 'Where the run is in its lifecycle.' }) status!: AssessmentStatus;
  @Field(() => String, { description: 'Document id of the benchmark release assessed.' }) benchmarkDocumentId!: string;
  @Field(() => String, { description: 'XCCDF benchmark id.' }) benchmarkId!: string;
  @Field(() => String, { description: 'Benchmark title.' }) benchmarkTitle!: string;
  @Field(() => String, { description: 'Benchmark version.' }) benchmarkVersion!: string;
  @Field(() => String, { nullable: true, description: 'Benchmark release.' }) benchmarkRelease?: string;
  @Field(() => String, { nullable: true, description: 'XCCDF profile whose rules were assessed; null: every rule.' }) profileId?: string;
  @Field(() => [AssessedBenchmarkType], { description: 'Every benchmark the run assessed, in request order (the benchmark… fields above describe the first).' }) benchmarks!: AssessedBenchmarkType[];
  @Field(() => [String], { description: 'dockerNodeId of each node assessed.' }) dockerNodeIds!: string[];
  @Field(() => String, { description: 'When the run started (ISO date-time).' }) startedAt!: string;
  @Field(() => String, { nullable: true, description: 'When the run ended (ISO date-time); null while running.' }) finishedAt?: string;
  @Field(() => String, { description: 'Who started it.' }) startedBy!: string;
  @Field(() => String, { nullable: true, description: 'Why a FAILED or INTERRUPTED run stopped.' }) error?: string;
  @Field(() => AssessmentSummaryType, { nullable: true, description: 'Counts of a completed run; null otherwise.' }) summary?: AssessmentSummaryType;
  @Field(() => String, {
    nullable: true,
    description: 'Relative URL of the OSCAL assessment-results document of a completed run (GET with the same bearer token; prefix the server origin); null otherwise.',
  })
  resultsDownloadUrl?: string;
  @Field(() => String, {
    nullable: true,
    description:
      "Relative URL of the OSCAL assessment plan of a completed run, beside the results (their import-ap links it as `assessment-plan.json`); null otherwise. Runs completed before plans were stored answer NOT_FOUND.",
  })
  planDownloadUrl?: string;
  __typename!: NodeTypeName;
}

@InputType('RunAssessmentInput', { description: 'What to assess.' })
export class RunAssessmentInput {
  @Field(() => [String], { description: 'Node ids, names or endpoints (an endpoint not registered yet is registered).' }) nodes!: string[];
  @Field(() => String, { nullable: true, deprecationReason: 'Use benchmarks, which may name several benchmarks.', description: 'A stored benchmark: document id, XCCDF benchmark id (latest release) or XCCDF 1.2 short name. Give this or benchmarkUploadId (or benchmarks instead).' }) benchmark?: string;
  @Field(() => ID, { nullable: true, deprecationReason: 'Use benchmarks, which may name several benchmarks.', description: 'An upload (POST /uploads) of benchmark content, imported before the run. Give this or benchmark (or benchmarks instead).' }) benchmarkUploadId?: string;
  @Field(() => String, { nullable: true, deprecationReason: 'Use benchmarks, whose entries each take a profile.', description: 'XCCDF profile id (e.g. "MAC-1_Classified"); omitted: every rule.' }) profileId?: string;
  @Field(() => [BenchmarkSelectionInput], {
    nullable: true,
    description: 'The benchmarks to assess in this one run (each with an optional profile): the nodes are collected once and the OSCAL results hold every benchmark. Give this or the deprecated single fields.',
  })
  benchmarks?: BenchmarkSelectionInput[];
}

@InputType('RuleResultFilterInput', { description: 'Which rule results to list; every field given narrows the list.' })
export class RuleResultFilterInput {
  @Field(() => RuleResultStatusEnum, { nullable: true, description: 'Only results with this status.' }) status?: RuleStatus;
  @Field(() => SeverityEnum, { nullable: true, description: 'Only results of rules with this severity.' }) severity?: Severity;
  @Field(() => String, { nullable: true, description: 'Only results for this node (its dockerNodeId).' }) dockerNodeId?: string;
  @Field(() => String, { nullable: true, description: 'Only the result(s) of this STIG id.' }) stigId?: string;
}

/** GraphQL filter → domain filter (nulls dropped). */
export function toRuleResultFilter(f: RuleResultFilterInput | undefined | null): RuleResultFilter {
  return {
    ...(f?.status != null ? { status: f.status } : {}),
    ...(f?.severity != null ? { severity: f.severity } : {}),
    ...(f?.dockerNodeId != null ? { nodeId: f.dockerNodeId } : {}),
    ...(f?.stigId != null ? { stigId: f.stigId } : {}),
  };
}

export function mapSummary(s: AssessmentSummary): AssessmentSummaryType {
  return {
    pass: s.counts.pass,
    fail: s.counts.fail,
    notApplicable: s.counts['not-applicable'],
    notChecked: s.counts['not-checked'],
    error: s.counts.error,
    failedHigh: s.failedBySeverity.high,
    failedMedium: s.failedBySeverity.medium,
    failedLow: s.failedBySeverity.low,
    exempted: s.exempted?.count ?? 0,
  };
}

export function mapAssessment(a: Assessment): AssessmentType {
  return {
    id: toGlobalId('Assessment', a.id),
    __typename: 'Assessment',
    assessmentId: a.id,
    status: a.status,
    benchmarkDocumentId: a.benchmarkDocumentId,
    benchmarkId: a.benchmarkId,
    benchmarkTitle: a.benchmarkTitle,
    benchmarkVersion: a.benchmarkVersion,
    ...(a.benchmarkRelease !== undefined ? { benchmarkRelease: a.benchmarkRelease } : {}),
    ...(a.profileId !== undefined ? { profileId: a.profileId } : {}),
    benchmarks: assessedBenchmarks(a).map(mapAssessedBenchmark),
    dockerNodeIds: a.nodeIds,
    startedAt: a.startedAt,
    ...(a.finishedAt !== undefined ? { finishedAt: a.finishedAt } : {}),
    startedBy: a.startedBy,
    ...(a.error !== undefined ? { error: a.error } : {}),
    ...(a.summary ? { summary: mapSummary(a.summary) } : {}),
    ...(a.status === 'completed' ? { resultsDownloadUrl: assessmentResultsDownloadPath(a.id), planDownloadUrl: assessmentPlanDownloadPath(a.id) } : {}),
  };
}

export function mapObservation(o: Observation): ObservationType {
  return {
    targetKind: o.target.kind,
    targetId: o.target.id,
    targetName: o.target.name,
    field: o.field,
    value: o.value,
    expected: o.expected,
    verdict: o.verdict,
    message: o.message,
    collectedAt: o.collectedAt,
    ...(o.exemptedBy !== undefined ? { exemptedBy: o.exemptedBy } : {}),
  };
}

export function mapRuleResult(r: RuleResult): RuleResultType {
  return {
    dockerNodeId: r.nodeId,
    ...(r.benchmarkDocumentId !== undefined ? { benchmarkDocumentId: r.benchmarkDocumentId } : {}),
    stigId: r.stigId,
    ruleId: r.ruleId,
    groupId: r.groupId,
    checkContentHash: r.checkContentHash,
    title: r.title,
    severity: r.severity,
    status: r.status,
    message: r.message,
    controlIds: r.controlIds,
    ccis: r.ccis,
    fixText: r.fixText,
    observationList: r.observations.map(mapObservation),
    ...(r.exemption ? { exemption: { exemptionId: r.exemption.id, name: r.exemption.name, kind: r.exemption.kind ?? 'risk-accepted', justification: r.exemption.justification, approvedBy: r.exemption.approvedBy, approvedAt: r.exemption.approvedAt, expiresAt: r.exemption.expiresAt } } : {}),
    ...(r.remediation !== undefined ? { remediation: r.remediation } : {}),
    ...(r.automation ? { automation: { ...r.automation } } : {}),
    ...(r.attestation ? { attestation: mapAttestation(r.attestation) } : {}),
    reviewNotes: mapReviewNotes(r.reviewNotes),
  };
}
