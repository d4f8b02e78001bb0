/**
 * Builds an OSCAL 1.1.2 assessment-results document from a completed assessment. Pure: every identifier is
 * name-based (oscal-uuids.ts), so rendering one assessment twice gives the same document. The shape, and the
 * decisions behind it:
 *
 * - `import-ap` points to `#uuid` of a back-matter resource whose uuid is the assessment plan's and whose rlink
 *   is the plan's file (`assessment-plan.json` beside the results) with its sha256: the plan Plimsoll wrote
 *   and stored with this assessment (oscal-ap-builder.ts).
 * - The nodes and every target a rule looked at (containers, images, the engine, swarm objects, host files) are
 *   inventory items in the result's local definitions, with the same uuids as in the plan. Plimsoll itself is a
 *   software component used by the one assessment platform, the origin actor of every finding and risk.
 * - One observation per rule per target (per-target results): its `subjects` name the target's inventory item;
 *   `types` is `finding` when the target fails the rule and `control-objective` otherwise; one
 *   relevant-evidence entry per observed field, with field path, observed value (JSON), expected value and
 *   verdict as properties (the target is the subject's, not repeated). A rule result without per-target
 *   observations (manual rules, errors, "no containers") is one observation of the node itself. Methods: TEST
 *   for a rule decided by a check, EXAMINE for a rule left to manual review.
 * - One finding per rule per node. Its `related-observations` are the observations of the failing targets
 *   when the rule failed (so a generic reader following finding → observation → subject → inventory item
 *   finds exactly which containers failed), else all of the rule's observations on that node. Its target is
 *   the first SP 800-53 statement the rule maps to (`statement-id`); every mapped statement is also listed as
 *   a `control-statement` property. A rule with no mapped statement targets the STIG rule itself as an
 *   `objective-id` (its XCCDF rule id), so no finding ever claims a control it does not evidence.
 * - Status: pass → satisfied (reason pass); fail → not-satisfied (reason fail); not-applicable →
 *   satisfied (reason other); not-checked and error → not-satisfied (reason other): a rule nobody
 *   decided is never reported as satisfied. The exact status is the finding's `result` property.
 * - One risk per failed rule per node (status open), its statement the STIG fix text, linked from the
 *   finding through related-risks and to the failing observations. A failed rule whose failing observations an
 *   approved exemption all covers keeps its finding (not-satisfied) but its risk is `deviation-approved`, with
 *   the approval as a risk-log entry (the justification its description) and the expiry as deadline; exempted
 *   evidence carries `exempted-by`.
 * - A failed rule with a concrete remediation gives its risk one `remediations` entry (lifecycle
 *   recommendation): the fix text followed by the concrete command or daemon.json change.
 * - An automated rule's finding says what its check was written against (`automated-against`) and whether
 *   the benchmark's check text has changed since (`automation-stale`, with the warning as remarks).
 * - reviewed-controls lists the controls (`cm-7`, not `cm-7_smt.a`) of all mapped statements, with
 *   the statement ids as `statement-ids`.
 *
 * Each observation, finding and risk is built from one rule result and its per-target results alone, so a
 * writer can emit them rule by rule (a streamed document) without holding the whole run.
 */
import { expiryInstant } from '../domain/exemption.js';
import type { RuleResult, RuleStatus } from '../domain/results.js';
import type { TargetResult } from '../domain/target-results.js';
import { type ArNode, type AssessmentReportInput, benchmarkLabel, benchmarkScope, benchmarksOf, controlSelections, inventoryItems, releaseLabel, reportMetadata, subjectOf, toolDefinitions } from './oscal-inventory.js';
import { attestationEvidence, attestationProps, methodsOf } from './oscal-attestation.js';
import { oscalUuids } from './oscal-uuids.js';
import {
  type AssessmentResultsDocument,
  nonEmpty,
  type OscalFindingJson,
  type OscalJson,
  type OscalObservationJson,
  type OscalPropJson,
  type OscalRiskJson,
  oscalProse,
  oscalString,
  prop,
  toToken,
  transientProp,
} from './oscal-values.js';

export type { ArBenchmark, ArNode, AssessmentReportInput, PlannedRule } from './oscal-inventory.js';

/** The assessment plan the results import: its uuid, where it is, and the sha256 of its text. */
export interface PlanReference {
  uuid: string;
  /** Relative to the results document (the plan is written and served beside it). */
  href: string;
  sha256: string;
  title: string;
}

const REASON: Record<RuleStatus, { state: 'satisfied' | 'not-satisfied'; reason: 'pass' | 'fail' | 'other' }> = {
  pass: { state: 'satisfied', reason: 'pass' },
  fail: { state: 'not-satisfied', reason: 'fail' },
  'not-applicable': { state: 'satisfied', reason: 'other' },
  'not-checked': { state: 'not-satisfied', reason: 'other' },
  error: { state: 'not-satisfied', reason: 'other' },
};

/** Props naming the exemption a result is recorded under and the expired ones that matched it. */
function exemptionProps(r: RuleResult): OscalPropJson[] {
  return [
    ...(r.exemption !== undefined
      ? [
          prop('exemption-id', r.exemption.id, { remarks: oscalProse(r.exemption.justification, `Exemption ${r.exemption.name}`) }),
          prop('exemption-kind', r.exemption.kind ?? 'risk-accepted'),
          prop('exemption-approved-by', r.exemption.approvedBy),
          prop('exemption-expires', r.exemption.expiresAt),
        ]
      : []),
    ...(r.expiredExemptions ?? []).map((e) => prop('expired-exemption-id', e.id, { remarks: `Exemption ${e.name} expired at ${e.expiresAt} and no longer applies.` })),
  ];
}

/**
 * A failed rule fully covered by an approved exemption is an approved deviation (OSCAL risk status
 * `deviation-approved`): the approval is a risk-log entry whose description is the justification, and the
 * exemption's expiry the risk's deadline. Any other failure is an open risk.
 */
function riskStatusOf(assessmentId: string, r: RuleResult): { status: string; deadline?: string; 'risk-log'?: OscalJson } {
  const e = r.exemption;
  if (e === undefined) return { status: 'open' };
  const deadline = expiryInstant(e.expiresAt);
  return {
    status: 'deviation-approved',
    ...(deadline !== undefined ? { deadline: deadline.toISOString() } : {}),
    'risk-log': {
      entries: [
        {
          uuid: oscalUuids.riskLogEntry(assessmentId, r.nodeId, r.ruleId, e.id),
          title: oscalString(`Deviation approved: ${e.name}`),
          description: oscalProse(e.justification, `Exemption ${e.name}`),
          start: e.approvedAt,
          props: [prop('exemption-id', e.id), prop('approved-by', e.approvedBy), prop('expires', e.expiresAt)],
          'status-change': 'deviation-approved',
        },
      ],
    },
  };
}

/** The concrete remediation of a failed rule as the risk's recommended response (OSCAL `remediations`). */
function remediationsOf(assessmentId: string, r: RuleResult): { remediations?: OscalJson[] } {
  if (r.remediation === undefined || r.remediation.trim() === '') return {};
  return {
    remediations: [
      {
        uuid: oscalUuids.remediation(assessmentId, r.nodeId, r.ruleId),
        lifecycle: 'recommendation',
        title: oscalString(`Remediate ${r.stigId}`),
        description: oscalProse(r.remediation, r.fixText),
        props: [prop('stig-id', r.stigId)],
      },
    ],
  };
}

/** What an automated rule's check was written against; `automation-stale` true when the check text changed since. */
function automationProps(r: RuleResult): OscalPropJson[] {
  const a = r.automation;
  if (a === undefined) return [];
  return [prop('automation-stale', a.stale ? 'true' : 'false', a.message !== undefined ? { remarks: a.message } : {}), prop('automated-against', a.automatedAgainst)];
}

function ruleProps(r: RuleResult): OscalPropJson[] {
  return [prop('stig-id', r.stigId), prop('rule-id', r.ruleId), prop('group-id', r.groupId), prop('node-id', r.nodeId)];
}

/** The uuid of a rule result's observation of one of its targets. */
export function observationUuid(assessmentId: string, r: RuleResult, t: TargetResult): string {
  return oscalUuids.observation(assessmentId, r.nodeId, r.ruleId, t.target.kind, t.target.key);
}

/**
 * One observation per target of a rule result. Lean on purpose (a node with 1,000 containers has some 25,000 of
 * them): the target is named once, by the subject (its inventory item carries node, kind, stable key and id);
 * the node's facts digest is on the node's item; the origin (the tool) is on the findings and risks. Evidence
 * keeps the field, the observed value, the expected value and the verdict.
 */
export function observationsOf(assessmentId: string, r: RuleResult, targets: readonly TargetResult[], node: ArNode | undefined, fallbackTime: string): OscalObservationJson[] {
  return targets.map((t) => observationOf(assessmentId, r, t, node, fallbackTime));
}

/** The observation of one target of a rule result (see observationsOf); `uuid` when the caller already has it. */
export function observationOf(assessmentId: string, r: RuleResult, t: TargetResult, node: ArNode | undefined, fallbackTime: string, uuid = observationUuid(assessmentId, r, t)): OscalObservationJson {
  const nodeName = node?.name ?? r.nodeId;
  const collected = t.observations[0]?.collectedAt ?? node?.collectedAt ?? fallbackTime;
  const evidence = [
    ...(t.attestedBy !== undefined ? attestationEvidence(r) : []),
    ...t.observations.map((o) => ({
      description: oscalProse(o.message, `${o.field} of ${o.target.kind} ${o.target.name}`),
      props: [
        transientProp('field', o.field),
        transientProp('value', JSON.stringify(o.value ?? null)),
        transientProp('expected', o.expected),
        transientProp('verdict', o.verdict),
        ...(o.collectedAt !== collected ? [transientProp('collected-at', o.collectedAt)] : []),
        ...(o.exemptedBy !== undefined ? [transientProp('exempted-by', o.exemptedBy)] : []),
      ],
    })),
  ];
  return {
    uuid,
    title: oscalString(t.target.kind === 'node' ? `${r.stigId} on ${nodeName}` : `${r.stigId} on ${t.target.kind} ${t.target.name} (${nodeName})`),
    description: oscalProse(t.message, `Result ${t.status}.`),
    props: [
      transientProp('stig-id', r.stigId), transientProp('rule-id', r.ruleId), transientProp('result', t.status),
      ...(t.exemptedBy !== undefined ? [transientProp('exempted-by', t.exemptedBy)] : []),
      ...(t.attestedBy !== undefined ? [transientProp('attested-by-review', t.attestedBy)] : []),
    ],
    methods: methodsOf(r),
    types: [t.status === 'fail' ? 'finding' : 'control-objective'],
    subjects: [subjectOf(r.nodeId, t.target)],
    // Left out when empty (no undefined member): the object is then exactly what its JSON text says.
    ...(evidence.length > 0 ? { 'relevant-evidence': evidence } : {}),
    collected,
  };
}

/**
 * The observations a finding (and a risk) relates, by the uuids of the rule's observations (one per target, in
 * order): of the failing targets for a failed rule, else all. A failed rule whose failure no target carries (a
 * check that failed without observations) relates them all.
 */
function relatedOf(r: RuleResult, targets: readonly TargetResult[], observationUuids: readonly string[]): { 'observation-uuid': string }[] {
  const failing = r.status === 'fail' ? observationUuids.filter((_, i) => targets[i]!.status === 'fail') : [];
  return (failing.length > 0 ? failing : observationUuids).map((uuid) => ({ 'observation-uuid': uuid }));
}

/** The risk of a failed rule on a node. */
function riskOf(assessmentId: string, r: RuleResult, nodeName: string, related: { 'observation-uuid': string }[], origins: OscalJson[]): OscalRiskJson {
  return {
    uuid: oscalUuids.risk(assessmentId, r.nodeId, r.ruleId),
    title: oscalString(`${r.stigId} fails on ${nodeName}: ${r.title}`),
    description: `${oscalProse(r.title, r.stigId)}\n\nOn node ${nodeName}: ${oscalProse(r.message, 'the check failed.')}`,
    statement: oscalProse(r.fixText, `The benchmark gives no fix text for ${r.ruleId}; see the rule's check content.`),
    props: [...ruleProps(r), prop('severity', r.severity), ...exemptionProps(r)],
    ...riskStatusOf(assessmentId, r),
    ...remediationsOf(assessmentId, r),
    characterizations: [{ origin: origins[0], facets: [{ name: 'severity', system: 'https://public.cyber.mil/stigs', value: r.severity }] }],
    'related-observations': related,
  };
}

/** The finding of a rule on a node. */
function findingOf(assessmentId: string, r: RuleResult, nodeName: string, related: { 'observation-uuid': string }[], riskUuid: string | undefined, origins: OscalJson[]): OscalFindingJson {
  const status = REASON[r.status];
  const firstStatement = r.controlIds[0];
  return {
    uuid: oscalUuids.finding(assessmentId, r.nodeId, r.ruleId),
    title: oscalString(`${r.stigId} on ${nodeName}: ${r.title}`),
    description: oscalProse(r.message, `Result ${r.status}.`),
    props: [
      ...ruleProps(r),
      prop('check-content-hash', r.checkContentHash),
      ...automationProps(r),
      prop('severity', r.severity),
      prop('result', r.status),
      ...r.ccis.map((c) => prop('cci', c)),
      ...r.controlIds.map((c) => prop('control-statement', c)),
      ...exemptionProps(r),
      ...attestationProps(r),
    ],
    origins,
    target:
      firstStatement !== undefined
        ? { type: 'statement-id', 'target-id': toToken(firstStatement), status: { state: status.state, reason: status.reason } }
        : {
            type: 'objective-id',
            'target-id': toToken(r.ruleId),
            description: `STIG rule ${r.ruleId} (${r.stigId}); its CCIs map to no SP 800-53 statement in the loaded catalogs.`,
            status: { state: status.state, reason: status.reason },
          },
    'related-observations': related,
    ...(riskUuid !== undefined ? { 'related-risks': [{ 'risk-uuid': riskUuid }] } : {}),
  };
}

/** The per-target results of each rule result (`node\0rule`). */
export function targetsByRule(targets: readonly TargetResult[]): Map<string, TargetResult[]> {
  const out = new Map<string, TargetResult[]>();
  for (const t of targets) {
    const key = `${t.nodeId}\u0000${t.ruleId}`;
    const list = out.get(key);
    if (list) list.push(t);
    else out.set(key, [t]);
  }
  return out;
}

/** What one rule result on its node contributes: one observation per target, its finding, and its risk when it failed. */
export interface RuleParts extends RuleVerdict {
  observations: OscalObservationJson[];
}

/** The finding of one rule result on its node, and its risk when it failed. */
export interface RuleVerdict {
  finding: OscalFindingJson;
  risk?: OscalRiskJson;
}

/** The parts of one rule result with its per-target results (the same for the built and the streamed document). */
export function rulePartsOf(input: AssessmentReportInput, r: RuleResult, targets: readonly TargetResult[], nodeById: ReadonlyMap<string, ArNode>, origins: OscalJson[]): RuleParts {
  const a = input.assessment;
  const observations = observationsOf(a.id, r, targets, nodeById.get(r.nodeId), a.startedAt);
  return { observations, ...ruleVerdictOf(input, r, targets, observations.map((o) => o.uuid), nodeById, origins) };
}

/**
 * The finding and risk of one rule result, relating its observations by their uuids (one per target, in order):
 * the streamed document builds them without building the observations.
 */
export function ruleVerdictOf(input: AssessmentReportInput, r: RuleResult, targets: readonly TargetResult[], observationUuids: readonly string[], nodeById: ReadonlyMap<string, ArNode>, origins: OscalJson[]): RuleVerdict {
  const a = input.assessment;
  const nodeName = nodeById.get(r.nodeId)?.name ?? r.nodeId;
  const related = relatedOf(r, targets, observationUuids);
  const risk = r.status === 'fail' ? riskOf(a.id, r, nodeName, related, origins) : undefined;
  const finding = findingOf(a.id, r, nodeName, related, risk?.uuid, origins);
  // One result holds every benchmark of the run: each finding and risk names the benchmark of its rule.
  const benchmarkId = r.benchmarkDocumentId !== undefined ? benchmarksOf(input).find((x) => x.documentId === r.benchmarkDocumentId)?.benchmarkId : undefined;
  if (benchmarkId !== undefined) for (const item of [finding, risk]) if (item !== undefined) item.props = [...(item.props ?? []), prop('benchmark-id', benchmarkId)];
  return { finding, ...(risk !== undefined ? { risk } : {}) };
}

/** Builds the document; `JSON.stringify`-safe, schema validation is the writer's job. */
export function buildAssessmentResults(input: AssessmentReportInput, plan: PlanReference): AssessmentResultsDocument {
  const tool = toolDefinitions(input.tool);
  const nodeById = new Map(input.nodes.map((n) => [n.id, n]));
  const byRule = targetsByRule(input.targets);
  const observations: OscalObservationJson[] = [];
  const findings: OscalFindingJson[] = [];
  const risks: OscalRiskJson[] = [];
  for (const r of input.results) {
    const parts = rulePartsOf(input, r, byRule.get(`${r.nodeId}\u0000${r.ruleId}`) ?? [], nodeById, tool.origins);
    observations.push(...parts.observations);
    if (parts.risk !== undefined) risks.push(parts.risk);
    findings.push(parts.finding);
  }
  // Drop undefined members, so the validated object is exactly what gets serialised.
  return JSON.parse(JSON.stringify(assessmentResultsOf(input, plan, { observations, risks, findings }))) as AssessmentResultsDocument;
}

/**
 * The document around its observations, risks and findings (each omitted when empty). The streamed writer
 * passes a placeholder for the observations and writes them in its place (oscal-ar-stream.ts).
 */
export function assessmentResultsOf(input: AssessmentReportInput, plan: PlanReference, body: { observations: readonly OscalObservationJson[]; risks: readonly OscalRiskJson[]; findings: readonly OscalFindingJson[] }): AssessmentResultsDocument {
  const { assessment: a, results } = input;
  const benchmarks = benchmarksOf(input);
  const end = a.finishedAt ?? a.startedAt;
  const tool = toolDefinitions(input.tool);
  const { observations, risks, findings } = body;

  const inventory = inventoryItems(input.nodes, input.targets);
  const nodeList = input.nodes.map((n) => `${n.name} (${n.endpoint})`).join(', ');
  const planDescription = `${benchmarkScope(input)}, on ${input.nodes.length} node(s): ${nodeList}.`;
  const doc: AssessmentResultsDocument = {
    'assessment-results': {
      uuid: oscalUuids.assessmentResults(a.id),
      metadata: reportMetadata(input, `Plimsoll assessment results: ${benchmarkLabel(input, 'title')}`),
      'import-ap': { href: `#${plan.uuid}`, remarks: 'The back-matter resource links the assessment plan Plimsoll wrote for this assessment, with its sha256.' },
      results: [
        {
          uuid: oscalUuids.result(a.id),
          title: oscalString(`${benchmarkLabel(input)} on ${input.nodes.map((n) => n.name).join(', ')}`),
          description: `Automated assessment ${a.id}: ${planDescription}`,
          start: a.startedAt,
          end,
          props: [prop('assessment-id', a.id), ...benchmarks.flatMap((b) => [prop('benchmark-document-id', b.documentId), ...(b.profile ? [prop('profile-id', b.profile.id)] : [])])],
          'local-definitions': {
            components: [tool.component],
            ...(inventory.length > 0 ? { 'inventory-items': inventory } : {}),
            'assessment-assets': { 'assessment-platforms': [tool.platform] },
          },
          'reviewed-controls': { 'control-selections': controlSelections(results.map((r) => r.controlIds)) },
          observations: nonEmpty(observations),
          risks: nonEmpty(risks),
          findings: nonEmpty(findings),
        },
      ],
      'back-matter': {
        resources: [
          {
            uuid: plan.uuid,
            title: oscalString(plan.title),
            description: planDescription,
            props: [
              ...benchmarks.flatMap((b) => [
                prop('benchmark-id', b.benchmarkId),
                prop('benchmark-version', b.version),
                ...(b.release !== undefined ? [prop('benchmark-release', b.release)] : []),
                ...(b.releaseDate !== undefined ? [prop('benchmark-date', b.releaseDate)] : []),
                ...(b.sha256 !== undefined ? [prop('benchmark-sha256', b.sha256)] : []),
                ...(b.profile ? [prop('profile-id', b.profile.id)] : []),
              ]),
              ...input.nodes.map((n) => prop('node', `${n.name} ${n.endpoint}`)),
            ],
            ...(benchmarks.some((b) => b.sourceFile !== undefined)
              ? { citation: { text: oscalString(benchmarks.filter((b) => b.sourceFile !== undefined).map((b) => `${b.title} ${releaseLabel(b)}, imported from ${b.sourceFile}`).join('; ')) } }
              : {}),
            rlinks: [{ href: plan.href, 'media-type': 'application/json', hashes: [{ algorithm: 'SHA-256', value: plan.sha256 }] }],
          },
        ],
      },
    },
  };
  return doc;
}
