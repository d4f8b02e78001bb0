/**
 * Builds an OSCAL 1.1.2 assessment-results document from a completed assessment. Pure apart from
 * the UUID generator. The shape, and the decisions behind it:
 *
 * - `import-ap` points to `#uuid` of a back-matter resource describing the plan that was actually run
 *   (benchmark, release, profile, node list): Plimsoll writes no separate assessment plan.
 * - Each node is an inventory item in the result's local definitions; Plimsoll itself is a software
 *   component used by the one assessment platform, which is the origin actor of every observation,
 *   finding and risk.
 * - One observation per rule per node carries the evidence: one relevant-evidence entry per observed
 *   field, with target, field path, observed value (JSON), expected value and verdict as properties.
 *   Methods: TEST for a rule decided by a check, EXAMINE for a rule left to manual review.
 * - One finding per rule per node. Its target is the first SP 800-53 statement the rule maps to
 *   (`statement-id`); every mapped statement is also listed as a `control-statement` property. A rule
 *   with no mapped statement targets the STIG rule itself as an `objective-id` (its XCCDF rule id),
 *   so no finding ever claims a control it does not evidence.
 * - Status: pass → satisfied (reason pass); fail → not-satisfied (reason fail); not-applicable →
 *   satisfied (reason other); not-checked and error → not-satisfied (reason other): a rule nobody
 *   decided is never reported as satisfied. The exact status is the finding's `result` property.
 * - One risk per failed rule per node (status open), its statement the STIG fix text, linked from the
 *   finding through related-risks. A failed rule whose failing observations an approved exemption all
 *   covers keeps its finding (not-satisfied) but its risk is `deviation-approved`, with the approval as a
 *   risk-log entry (the justification its description) and the expiry as deadline; exempted evidence
 *   carries `exempted-by`.
 * - A failed rule with a concrete remediation gives its risk one `remediations` entry (lifecycle
 *   recommendation): the fix text followed by the concrete command or daemon.json change.
 * - An automated rule's finding says what its check was written against (`automated-against`) and whether
 *   the benchmark's check text has changed since (`automation-stale`, with the warning as remarks).
 * - reviewed-controls lists the controls (`cm-7`, not `cm-7_smt.a`) of all mapped statements, with
 *   the statement ids as `statement-ids`.
 */
import { randomUUID } from 'node:crypto';
import type { Assessment } from '../domain/assessment.js';
import { controlIdOf } from '../domain/cci-mapping.js';
import { expiryInstant } from '../domain/exemption.js';
import type { RuleResult, RuleStatus } from '../domain/results.js';
import {
  type AssessmentResultsDocument,
  nonEmpty,
  OSCAL_VERSION,
  type OscalFindingJson,
  type OscalJson,
  type OscalObservationJson,
  type OscalPropJson,
  type OscalRiskJson,
  oscalProse,
  oscalString,
  prop,
  toToken,
} from './oscal-values.js';

/** A node as the document describes it. */
export interface ArNode {
  id: string;
  name: string;
  endpoint: string;
  /** When its facts were collected (observations' `collected`). */
  collectedAt?: string;
  /** sha256 of the node's stored facts snapshot. */
  factsSha256?: string;
  engineVersion?: string;
}

export interface ArBenchmark {
  documentId: string;
  benchmarkId: string;
  title: string;
  version: string;
  release?: string;
  releaseDate?: string;
  sourceFile?: string;
  sha256?: string;
}

export interface AssessmentResultsInput {
  /** A finished assessment (`finishedAt` set). */
  assessment: Assessment;
  results: readonly RuleResult[];
  benchmark: ArBenchmark;
  profile?: { id: string; title?: string };
  nodes: readonly ArNode[];
  /** Who started the run. */
  actor: { name: string; role?: string };
  tool: { name: string; version: string };
}

export interface BuildOptions {
  newUuid?: () => string;
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
function riskStatusOf(r: RuleResult, uuid: () => string): { status: string; deadline?: string; 'risk-log'?: OscalJson } {
  const e = r.exemption;
  if (e === undefined) return { status: 'open' };
  const deadline = expiryInstant(e.expiresAt);
  return {
    status: 'deviation-approved',
    ...(deadline !== undefined ? { deadline: deadline.toISOString() } : {}),
    'risk-log': {
      entries: [
        {
          uuid: uuid(),
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
function remediationsOf(r: RuleResult, uuid: () => string): { remediations?: OscalJson[] } {
  if (r.remediation === undefined || r.remediation.trim() === '') return {};
  return {
    remediations: [
      { uuid: uuid(), lifecycle: 'recommendation', title: oscalString(`Remediate ${r.stigId}`), description: oscalProse(r.remediation, r.fixText), props: [prop('stig-id', r.stigId)] },
    ],
  };
}

/** What an automated rule's check was written against; `automation-stale` true when the check text changed since. */
function automationProps(r: RuleResult): OscalPropJson[] {
  const a = r.automation;
  if (a === undefined) return [];
  return [prop('automation-stale', a.stale ? 'true' : 'false', a.message !== undefined ? { remarks: a.message } : {}), prop('automated-against', a.automatedAgainst)];
}

function releaseLabel(b: ArBenchmark): string {
  return b.release !== undefined ? `V${b.version}R${b.release}` : `version ${b.version}`;
}

/** `statement → control` selections, in first-seen order. */
function controlSelections(results: readonly RuleResult[]): OscalJson[] {
  const byControl = new Map<string, Set<string>>();
  for (const r of results) {
    for (const id of r.controlIds) {
      const control = controlIdOf(id);
      const statements = byControl.get(control) ?? new Set<string>();
      if (id !== control) statements.add(id);
      byControl.set(control, statements);
    }
  }
  if (byControl.size === 0) {
    return [{ description: 'No assessed rule maps to an SP 800-53 control statement in the loaded catalogs.' }];
  }
  const include = [...byControl].map(([control, statements]) => ({
    'control-id': toToken(control),
    ...(statements.size > 0 ? { 'statement-ids': [...statements].map(toToken) } : {}),
  }));
  return [{ description: 'SP 800-53 rev5 controls evidenced by the assessed STIG rules, through their CCIs.', 'include-controls': include }];
}

/** Builds the document; call `JSON.stringify`-safe, schema validation is the writer's job. */
export function buildAssessmentResults(input: AssessmentResultsInput, options: BuildOptions = {}): AssessmentResultsDocument {
  const uuid = options.newUuid ?? randomUUID;
  const { assessment: a, benchmark: b, results } = input;
  const end = a.finishedAt ?? a.startedAt;
  const planUuid = uuid();
  const toolComponentUuid = uuid();
  const platformUuid = uuid();
  const toolPartyUuid = uuid();
  const actorPartyUuid = uuid();
  const tool = [{ actors: [{ type: 'assessment-platform', 'actor-uuid': platformUuid }] }];

  const itemUuid = new Map<string, string>();
  const inventory = input.nodes.map((n) => {
    const id = uuid();
    itemUuid.set(n.id, id);
    return {
      uuid: id,
      description: `Docker engine "${n.name}" at ${n.endpoint}.`,
      props: [
        prop('node-id', n.id),
        prop('node-name', n.name),
        prop('endpoint', n.endpoint),
        ...(n.engineVersion !== undefined ? [prop('engine-version', n.engineVersion)] : []),
        ...(n.factsSha256 !== undefined ? [prop('facts-sha256', n.factsSha256)] : []),
      ],
    };
  });
  const nodeById = new Map(input.nodes.map((n) => [n.id, n]));

  const observations: OscalObservationJson[] = [];
  const findings: OscalFindingJson[] = [];
  const risks: OscalRiskJson[] = [];
  for (const r of results) {
    const node = nodeById.get(r.nodeId);
    const nodeName = node?.name ?? r.nodeId;
    const subjectUuid = itemUuid.get(r.nodeId);
    const observationUuid = uuid();
    const ruleProps = [prop('stig-id', r.stigId), prop('rule-id', r.ruleId), prop('group-id', r.groupId), prop('node-id', r.nodeId)];
    observations.push({
      uuid: observationUuid,
      title: oscalString(`${r.stigId} on ${nodeName}`),
      description: oscalProse(r.message, `Result ${r.status}.`),
      props: [...ruleProps, prop('result', r.status), ...(node?.factsSha256 !== undefined ? [prop('facts-sha256', node.factsSha256)] : [])],
      methods: r.status === 'not-checked' ? ['EXAMINE'] : ['TEST'],
      origins: tool,
      ...(subjectUuid !== undefined ? { subjects: [{ 'subject-uuid': subjectUuid, type: 'inventory-item', title: oscalString(nodeName) }] } : {}),
      'relevant-evidence': nonEmpty(
        r.observations.map((o) => ({
          description: oscalProse(o.message, `${o.field} of ${o.target.kind} ${o.target.name}`),
          props: [
            prop('target-kind', o.target.kind),
            prop('target-id', o.target.id),
            prop('target-name', o.target.name),
            prop('field', o.field),
            prop('value', JSON.stringify(o.value ?? null)),
            prop('expected', o.expected),
            prop('verdict', o.verdict),
            prop('collected-at', o.collectedAt),
            ...(o.exemptedBy !== undefined ? [prop('exempted-by', o.exemptedBy)] : []),
          ],
        })),
      ),
      collected: r.observations[0]?.collectedAt ?? node?.collectedAt ?? a.startedAt,
    });

    let riskUuid: string | undefined;
    if (r.status === 'fail') {
      riskUuid = uuid();
      risks.push({
        uuid: riskUuid,
        title: oscalString(`${r.stigId} fails on ${nodeName}: ${r.title}`),
        description: `${oscalProse(r.title, r.stigId)}\n\nOn node ${nodeName}: ${oscalProse(r.message, 'the check failed.')}`,
        statement: oscalProse(r.fixText, `The benchmark gives no fix text for ${r.ruleId}; see the rule's check content.`),
        props: [...ruleProps, prop('severity', r.severity), ...exemptionProps(r)],
        ...riskStatusOf(r, uuid),
        ...remediationsOf(r, uuid),
        characterizations: [{ origin: tool[0], facets: [{ name: 'severity', system: 'https://public.cyber.mil/stigs', value: r.severity }] }],
        'related-observations': [{ 'observation-uuid': observationUuid }],
      });
    }

    const status = REASON[r.status];
    const firstStatement = r.controlIds[0];
    findings.push({
      uuid: uuid(),
      title: oscalString(`${r.stigId} on ${nodeName}: ${r.title}`),
      description: oscalProse(r.message, `Result ${r.status}.`),
      props: [
        ...ruleProps,
        prop('check-content-hash', r.checkContentHash),
        ...automationProps(r),
        prop('severity', r.severity),
        prop('result', r.status),
        ...r.ccis.map((c) => prop('cci', c)),
        ...r.controlIds.map((c) => prop('control-statement', c)),
        ...exemptionProps(r),
      ],
      origins: tool,
      target:
        firstStatement !== undefined
          ? { type: 'statement-id', 'target-id': toToken(firstStatement), status: { state: status.state, reason: status.reason } }
          : {
              type: 'objective-id',
              'target-id': toToken(r.ruleId),
              description: `STIG rule ${r.ruleId} (${r.stigId}); its CCIs map to no SP 800-53 statement in the loaded catalogs.`,
              status: { state: status.state, reason: status.reason },
            },
      'related-observations': [{ 'observation-uuid': observationUuid }],
      ...(riskUuid !== undefined ? { 'related-risks': [{ 'risk-uuid': riskUuid }] } : {}),
    });
  }

  const nodeList = input.nodes.map((n) => `${n.name} (${n.endpoint})`).join(', ');
  const planDescription = `${b.title} (${b.benchmarkId}) ${releaseLabel(b)}${input.profile ? `, profile ${input.profile.id}` : ', all rules'}, on ${input.nodes.length} node(s): ${nodeList}.`;
  const doc: AssessmentResultsDocument = {
    'assessment-results': {
      uuid: uuid(),
      metadata: {
        title: oscalString(`Plimsoll assessment results: ${b.title} ${releaseLabel(b)}`),
        'last-modified': end,
        version: '1.0',
        'oscal-version': OSCAL_VERSION,
        props: [prop('assessment-id', a.id), prop('assessment-status', a.status)],
        roles: [
          { id: 'assessor', title: 'Assessor', description: 'Started the assessment run.' },
          { id: 'assessment-tool', title: 'Assessment tool', description: 'Collected the facts and decided the automated rules.' },
        ],
        parties: [
          { uuid: actorPartyUuid, type: 'person', name: oscalString(input.actor.name), ...(input.actor.role ? { props: [prop('plimsoll-role', input.actor.role)] } : {}) },
          { uuid: toolPartyUuid, type: 'organization', name: oscalString(`${input.tool.name} ${input.tool.version}`), 'short-name': oscalString(input.tool.name) },
        ],
        'responsible-parties': [
          { 'role-id': 'assessor', 'party-uuids': [actorPartyUuid] },
          { 'role-id': 'assessment-tool', 'party-uuids': [toolPartyUuid] },
        ],
      },
      'import-ap': { href: `#${planUuid}`, remarks: 'Plimsoll writes no separate assessment plan: the back-matter resource describes the plan that was run.' },
      results: [
        {
          uuid: uuid(),
          title: oscalString(`${b.benchmarkId} ${releaseLabel(b)} on ${input.nodes.map((n) => n.name).join(', ')}`),
          description: `Automated assessment ${a.id}: ${planDescription}`,
          start: a.startedAt,
          end,
          props: [prop('assessment-id', a.id), prop('benchmark-document-id', b.documentId), ...(input.profile ? [prop('profile-id', input.profile.id)] : [])],
          'local-definitions': {
            components: [
              {
                uuid: toolComponentUuid,
                type: 'software',
                title: oscalString(input.tool.name),
                description: 'Compliance assessment server: collects one inventory per Docker engine and decides STIG rules from it.',
                props: [prop('version', input.tool.version)],
                status: { state: 'operational' },
              },
            ],
            ...(inventory.length > 0 ? { 'inventory-items': inventory } : {}),
            'assessment-assets': { 'assessment-platforms': [{ uuid: platformUuid, title: oscalString(input.tool.name), 'uses-components': [{ 'component-uuid': toolComponentUuid }] }] },
          },
          'reviewed-controls': { 'control-selections': controlSelections(results) },
          observations: nonEmpty(observations),
          risks: nonEmpty(risks),
          findings: nonEmpty(findings),
        },
      ],
      'back-matter': {
        resources: [
          {
            uuid: planUuid,
            title: oscalString(`Assessment plan: ${b.title} ${releaseLabel(b)}`),
            description: planDescription,
            props: [
              prop('benchmark-id', b.benchmarkId),
              prop('benchmark-version', b.version),
              ...(b.release !== undefined ? [prop('benchmark-release', b.release)] : []),
              ...(b.releaseDate !== undefined ? [prop('benchmark-date', b.releaseDate)] : []),
              ...(b.sha256 !== undefined ? [prop('benchmark-sha256', b.sha256)] : []),
              ...(input.profile ? [prop('profile-id', input.profile.id)] : []),
              ...input.nodes.map((n) => prop('node', `${n.name} ${n.endpoint}`)),
            ],
            ...(b.sourceFile !== undefined ? { citation: { text: oscalString(`${b.title} ${releaseLabel(b)}, imported from ${b.sourceFile}`) } } : {}),
          },
        ],
      },
    },
  };
  // Drop undefined members, so the validated object is exactly what gets serialised.
  return JSON.parse(JSON.stringify(doc)) as AssessmentResultsDocument;
}
