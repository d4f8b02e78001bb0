import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { Assessment, AssessmentSummary } from '../../domain/assessment.js';
import type { Observation, RuleResult } from '../../domain/results.js';
import { assessmentResultsDownloadPath } from '../../domain/download.js';

@ObjectType({ description: 'Evidence: the value observed at a field of a target, and what was expected.' })
export class ObservationType {
  @Field(() => String) targetKind!: string;
  @Field(() => String) targetId!: string;
  @Field(() => String) targetName!: string;
  @Field(() => String, { description: 'Path of the field in the collected API object, e.g. HostConfig.Privileged.' }) field!: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The observed value as JSON (null when the field is absent).' }) value!: unknown;
  @Field(() => String) expected!: string;
  @Field(() => String) verdict!: string;
  @Field(() => String) message!: string;
  @Field(() => String) collectedAt!: string;
  @Field(() => String, { nullable: true, description: 'Id of the approved exemption covering this failing observation (the verdict stays fail).' }) exemptedBy?: string;
}

@ObjectType({ description: 'The approved exemption a failed rule is recorded under (a deviation, never hidden).' })
export class RuleExemptionType {
  @Field(() => String) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) justification!: string;
  @Field(() => String) approvedBy!: string;
  @Field(() => String) approvedAt!: string;
  @Field(() => String) expiresAt!: string;
}

@ObjectType()
export class RuleAutomationType {
  @Field(() => Boolean) stale!: boolean;
  @Field(() => String) automatedAgainst!: string;
  @Field(() => String, { nullable: true }) message?: string;
}

@ObjectType({ description: "One rule's result on one node." })
export class RuleResultType {
  @Field(() => String) nodeId!: string;
  @Field(() => String) stigId!: string;
  @Field(() => String) ruleId!: string;
  @Field(() => String) groupId!: string;
  @Field(() => String) checkContentHash!: string;
  @Field(() => String) title!: string;
  @Field(() => String) severity!: string;
  @Field(() => String, { description: 'pass, fail, not-applicable, not-checked or error' }) status!: string;
  @Field(() => String) message!: string;
  @Field(() => [String], { description: 'SP 800-53 statement ids mapped from the CCIs.' }) controlIds!: string[];
  @Field(() => [String]) ccis!: string[];
  @Field(() => String) fixText!: string;
  @Field(() => [ObservationType]) observations!: ObservationType[];
  @Field(() => RuleExemptionType, { nullable: true }) exemption?: RuleExemptionType;
  @Field(() => String, { nullable: true, description: 'For failures: the STIG fix text plus a concrete command or daemon.json change.' }) remediation?: string;
  @Field(() => RuleAutomationType, { nullable: true, description: 'Which check text the automation was written against; stale when the benchmark changed it.' }) automation?: RuleAutomationType;
}

@ObjectType()
export class SummaryType {
  @Field(() => Int) pass!: number;
  @Field(() => Int) fail!: number;
  @Field(() => Int) notApplicable!: number;
  @Field(() => Int) notChecked!: number;
  @Field(() => Int) error!: number;
  @Field(() => Int) failedHigh!: number;
  @Field(() => Int) failedMedium!: number;
  @Field(() => Int) failedLow!: number;
  @Field(() => Int, { description: 'Failed rules recorded under an approved exemption (also counted in fail).' }) exempted!: number;
}

@ObjectType({ description: 'An assessment run: nodes × benchmark (× profile).' })
export class AssessmentType {
  @Field(() => String) id!: string;
  @Field(() => String, { description: 'running, completed, failed or interrupted' }) status!: string;
  @Field(() => String) benchmarkDocumentId!: string;
  @Field(() => String) benchmarkId!: string;
  @Field(() => String) benchmarkTitle!: string;
  @Field(() => String) benchmarkVersion!: string;
  @Field(() => String, { nullable: true }) benchmarkRelease?: string;
  @Field(() => String, { nullable: true }) profileId?: string;
  @Field(() => [String]) nodeIds!: string[];
  @Field(() => String) startedAt!: string;
  @Field(() => String, { nullable: true }) finishedAt?: string;
  @Field(() => String) startedBy!: string;
  @Field(() => String, { nullable: true }) error?: string;
  @Field(() => SummaryType, { nullable: true }) summary?: SummaryType;
  @Field(() => String, { nullable: true, description: 'Relative URL (GET, with the bearer token) of the OSCAL assessment-results document of a completed run.' })
  resultsDownloadUrl?: string;
}

@ObjectType()
export class AssessmentPageType {
  @Field(() => [AssessmentType]) items!: AssessmentType[];
  @Field(() => Int) total!: number;
}

@InputType()
export class RunAssessmentInput {
  @Field(() => [String], { description: 'Node ids, names or endpoints (an endpoint not registered yet is registered).' }) nodes!: string[];
  @Field(() => String, { nullable: true, description: 'A stored benchmark: document id or XCCDF benchmark id (latest release). Give this or benchmarkUploadId.' }) benchmark?: string;
  @Field(() => ID, { nullable: true, description: 'An upload (POST /uploads) of benchmark content, imported before the run. Give this or benchmark.' }) benchmarkUploadId?: string;
  @Field(() => String, { nullable: true }) profileId?: string;
}

export function mapSummary(s: AssessmentSummary): SummaryType {
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
  const { summary, ...rest } = a;
  return { ...rest, ...(summary ? { summary: mapSummary(summary) } : {}), ...(a.status === 'completed' ? { resultsDownloadUrl: assessmentResultsDownloadPath(a.id) } : {}) };
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
  const { exemption, automation, ...rest } = r;
  return {
    ...rest,
    observations: r.observations.map(mapObservation),
    ...(exemption ? { exemption: { ...exemption } } : {}),
    ...(automation ? { automation: { ...automation } } : {}),
  };
}
