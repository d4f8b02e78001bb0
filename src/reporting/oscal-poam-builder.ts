/**
 * Builds the OSCAL 1.1.2 plan of action and milestones (POA&M) of a completed assessment. Pure: no clock, no
 * randomness, every identifier name-based (oscal-uuids.ts), so one assessment renders the same bytes every
 * time. The shape, and the decisions behind it:
 *
 * - One `poam-item` per open finding per target: a rule failing on one container (image, file, the engine…)
 *   of one node. A failed rule that no target carries (a check that failed without per-target observations)
 *   is one item on the node itself.
 * - Each item has one risk. Status `open`, or `deviation-approved` when an approved exemption covers the
 *   target (the approval as a risk-log entry, the exemption's expiry as deadline): an exempted item is listed
 *   so nothing is hidden, but never counted as open (metadata props `open-items` / `deviation-approved-items`,
 *   and the item's `poam-status` prop). Accepted risks arrive through the exemption data until manual reviews
 *   land (wp-reviews).
 * - The risk's remediation (lifecycle `planned`) is the STIG fix text followed by the concrete step for that
 *   very target (`docker update --memory 256m --memory-swap 256m web`: src/checks/remediation.ts), the
 *   commands to run as `command` props. An open item's remediation has one milestone task dated by severity
 *   through the milestone policy (src/domain/milestones.ts) from the finding's FIRST observation; that date is
 *   also the risk's deadline.
 * - Carry-over: the caller passes the node's earlier open findings (rule + target + first observation, read
 *   through the target-result repository). An item's uuid is named by node, STIG id, target and first
 *   observation, not by assessment, so the same rule failing on the same target in a later assessment keeps
 *   its uuid and its first-observed date (and so its due date); a finding closed in between starts a new item,
 *   and closed findings are simply absent.
 * - Observations are the AR's own (same uuids: oscal-ar-builder.ts), one per failing target, their subjects the
 *   AR's inventory items (same uuids, repeated in `local-definitions` so the POA&M stands alone).
 * - `import-ssp`: Plimsoll has no system security plan. As the assessment plan does, `import-ssp` points to a
 *   back-matter resource describing the system as assessed (its nodes), which says that no SSP is imported.
 *   When the caller gives the assessment results' file and sha256, a second resource links them, and every
 *   item links to it with `rel` `assessment-results`.
 */
import { expiryInstant } from '../domain/exemption.js';
import { type EarlierFinding, findingKey, firstObservations } from '../domain/poam.js';
import { DEFAULT_MILESTONE_POLICY, dueDate, type MilestonePolicy } from '../domain/milestones.js';
import type { RuleResult, Severity } from '../domain/results.js';
import type { AssessedTarget, TargetResult } from '../domain/target-results.js';
import { remediationForTarget, targetCommands } from '../checks/remediation.js';
import { observationsOf, targetsByRule } from './oscal-ar-builder.js';
import { type ArNode, type AssessmentReportInput, benchmarkLabel, inventoryItems, reportMetadata, toolDefinitions } from './oscal-inventory.js';
import { oscalUuids } from './oscal-uuids.js';
import { nonEmpty, type OscalJson, type OscalObservationJson, type OscalPropJson, oscalProse, oscalString, prop } from './oscal-values.js';

/** The plan-of-action-and-milestones document: `{ "plan-of-action-and-milestones": { … } }`. */
export interface PoamDocument {
  'plan-of-action-and-milestones': {
    uuid: string;
    metadata: OscalJson;
    'import-ssp': { href: string; remarks?: string };
    'local-definitions'?: OscalJson;
    observations?: OscalObservationJson[];
    risks?: OscalJson[];
    'poam-items': OscalJson[];
    'back-matter'?: { resources: OscalJson[] };
  };
}

export type { EarlierFinding } from '../domain/poam.js';

export interface PoamOptions {
  /** Due days by severity (config `poamDueDays`); the default is CAT I 30, CAT II 90, CAT III 180. */
  policy?: MilestonePolicy;
  /** The node's findings still open at its earlier assessments (carry-over); none when absent. */
  earlier?: readonly EarlierFinding[];
  /** The assessment results document the POA&M follows from, to link: file name (relative) and sha256. */
  assessmentResults?: { href: string; sha256: string };
}

const CATEGORY: Record<Severity, string> = { high: 'CAT I', medium: 'CAT II', low: 'CAT III', unknown: 'CAT II (severity unknown)' };

/** The targets a poam-item is opened for: the failing ones, or the node itself when none carries the failure. */
function failingTargets(r: RuleResult, targets: readonly TargetResult[], nodeName: string): TargetResult[] {
  const failing = targets.filter((t) => t.status === 'fail');
  if (failing.length > 0) return failing;
  const node: AssessedTarget = { kind: 'node', key: 'node', id: r.nodeId, name: nodeName };
  return [
    {
      nodeId: r.nodeId,
      ruleId: r.ruleId,
      stigId: r.stigId,
      checkContentHash: r.checkContentHash,
      severity: r.severity,
      target: node,
      status: 'fail',
      message: r.message,
      observations: r.observations,
      ...(r.exemption !== undefined ? { exemptedBy: r.exemption.id } : {}),
    },
  ];
}

function targetLabel(t: AssessedTarget, nodeName: string): string {
  return t.kind === 'node' ? `node ${nodeName}` : `${t.kind} ${t.name} on ${nodeName}`;
}

/** The remediation of one target: fix text, the concrete step for that target, the commands to run. */
function remediationOf(itemUuid: string, r: RuleResult, t: AssessedTarget, nodeName: string, milestone: OscalJson | undefined): OscalJson {
  const concrete = remediationForTarget(r.stigId, t);
  const commands = targetCommands(r.stigId, t);
  const fix = oscalProse(r.fixText, `The benchmark gives no fix text for ${r.ruleId}; see the rule's check content.`);
  const step = concrete !== undefined ? `\n\nConcrete remediation for ${targetLabel(t, nodeName)}: ${concrete}` : '';
  const run = commands.length > 0 ? `\n\nRun on ${nodeName}:\n\n${commands.map((c) => `    ${c}`).join('\n')}` : '';
  return {
    uuid: oscalUuids.poamRemediation(itemUuid),
    lifecycle: 'planned',
    title: oscalString(`Remediate ${r.stigId} on ${targetLabel(t, nodeName)}`),
    description: `${fix}${step}${run}`,
    props: [prop('stig-id', r.stigId), ...commands.map((c) => prop('command', c))],
    ...(milestone !== undefined ? { tasks: [milestone] } : {}),
  };
}

/** The milestone of an open item: remediated by its due date, dated by severity from its first observation. */
function milestoneOf(itemUuid: string, r: RuleResult, label: string, firstObservedAt: string, due: string, policy: MilestonePolicy): OscalJson {
  return {
    uuid: oscalUuids.poamMilestone(itemUuid),
    type: 'milestone',
    title: oscalString(`${r.stigId} remediated on ${label}`),
    description: `${CATEGORY[r.severity]}: due ${policy.dueDays[r.severity]} days after the finding was first observed (${firstObservedAt}).`,
    props: [prop('severity', r.severity), prop('due-days', String(policy.dueDays[r.severity]))],
    timing: { 'on-date': { date: due } },
  };
}

/** The approval of an exempted target as the risk's status, deadline and log. */
function deviationOf(itemUuid: string, r: RuleResult, exemptionId: string, observedAt: string): OscalJson {
  const e = r.exemption?.id === exemptionId ? r.exemption : undefined;
  const deadline = e !== undefined ? expiryInstant(e.expiresAt) : undefined;
  return {
    status: 'deviation-approved',
    ...(deadline !== undefined ? { deadline: deadline.toISOString() } : {}),
    'risk-log': {
      entries: [
        {
          uuid: oscalUuids.poamRiskLogEntry(itemUuid, exemptionId),
          title: oscalString(e !== undefined ? `Deviation approved: ${e.name}` : `Deviation approved by exemption ${exemptionId}`),
          // Only the exemption's id is known when it covers this target but not the whole rule: the entry starts
          // at the observation that recorded it.
          ...(e !== undefined ? { description: oscalProse(e.justification, `Exemption ${e.name}`), start: e.approvedAt } : { start: observedAt }),
          props: [prop('exemption-id', exemptionId), ...(e !== undefined ? [prop('approved-by', e.approvedBy), prop('expires', e.expiresAt)] : [])],
          'status-change': 'deviation-approved',
        },
      ],
    },
  };
}

interface Built {
  observations: OscalObservationJson[];
  risks: OscalJson[];
  items: OscalJson[];
  open: number;
  deviations: number;
}

function buildItems(input: AssessmentReportInput, options: PoamOptions, arLink: OscalJson[]): Built {
  const a = input.assessment;
  const policy = options.policy ?? DEFAULT_MILESTONE_POLICY;
  const first = firstObservations(options.earlier ?? []);
  const nodeById = new Map<string, ArNode>(input.nodes.map((n) => [n.id, n]));
  const byRule = targetsByRule(input.targets);
  const origins = toolDefinitions(input.tool).origins;
  // One characterization per severity, shared by every risk of that severity (thousands of risks, four values).
  const characterize = (value: Severity): OscalJson[] => [{ origin: origins[0], facets: [{ name: 'severity', system: 'https://public.cyber.mil/stigs', value }] }];
  const characterizations: Record<Severity, OscalJson[]> = { high: characterize('high'), medium: characterize('medium'), low: characterize('low'), unknown: characterize('unknown') };
  const out: Built = { observations: [], risks: [], items: [], open: 0, deviations: 0 };

  for (const r of input.results) {
    if (r.status !== 'fail') continue;
    const node = nodeById.get(r.nodeId);
    const nodeName = node?.name ?? r.nodeId;
    const targets = failingTargets(r, byRule.get(`${r.nodeId}\u0000${r.ruleId}`) ?? [], nodeName);
    const observations = observationsOf(a.id, r, targets, node, a.startedAt);
    const findingUuid = oscalUuids.finding(a.id, r.nodeId, r.ruleId);
    targets.forEach((t, i) => {
      const observation = observations[i]!;
      const firstObservedAt = first.get(findingKey(r.nodeId, r.stigId, t.target.kind, t.target.key)) ?? observation.collected;
      const itemUuid = oscalUuids.poamItem(r.nodeId, r.stigId, t.target.kind, t.target.key, firstObservedAt);
      const exempted = t.exemptedBy;
      const due = exempted === undefined ? dueDate(r.severity, new Date(firstObservedAt), policy).toISOString() : undefined;
      const milestone = due !== undefined ? milestoneOf(itemUuid, r, targetLabel(t.target, nodeName), firstObservedAt, due, policy) : undefined;
      const riskUuid = oscalUuids.poamRisk(itemUuid);
      const status: OscalJson = exempted !== undefined ? deviationOf(itemUuid, r, exempted, observation.collected) : { status: 'open', deadline: due };
      const targetProps: OscalPropJson[] = [
        prop('stig-id', r.stigId),
        prop('rule-id', r.ruleId),
        prop('node-id', r.nodeId),
        prop('target-kind', t.target.kind),
        prop('target-key', t.target.key),
        prop('severity', r.severity),
        prop('first-observed', firstObservedAt),
        ...(firstObservedAt !== observation.collected ? [prop('carried-over', 'true')] : []),
        ...(exempted !== undefined ? [prop('exemption-id', exempted)] : []),
      ];
      // A node-level target has no evidence entries: drop the member rather than serialise an undefined.
      if (observation['relevant-evidence'] === undefined) delete observation['relevant-evidence'];
      out.observations.push(observation);
      out.risks.push({
        uuid: riskUuid,
        title: oscalString(`${r.stigId} fails on ${targetLabel(t.target, nodeName)}: ${r.title}`),
        description: `${oscalProse(r.title, r.stigId)}\n\nOn ${targetLabel(t.target, nodeName)}: ${oscalProse(t.message, oscalProse(r.message, 'the check failed.'))}`,
        statement: oscalProse(r.fixText, `The benchmark gives no fix text for ${r.ruleId}; see the rule's check content.`),
        // The item carries the target's props; the risk only what a reader of the risk list sorts by.
        props: [prop('stig-id', r.stigId), prop('severity', r.severity)],
        ...status,
        origins,
        characterizations: characterizations[r.severity],
        remediations: [remediationOf(itemUuid, r, t.target, nodeName, milestone)],
        'related-observations': [{ 'observation-uuid': observation.uuid }],
      });
      out.items.push({
        uuid: itemUuid,
        title: oscalString(`${r.stigId} on ${targetLabel(t.target, nodeName)}: ${r.title}`),
        description: oscalProse(t.message, oscalProse(r.message, `${r.stigId} fails.`)),
        props: [
          ...targetProps,
          prop('poam-status', exempted !== undefined ? 'deviation-approved' : 'open'),
          ...(due !== undefined ? [prop('due-date', due)] : []),
          prop('finding-uuid', findingUuid, { remarks: 'The finding of this rule on this node in the assessment results.' }),
        ],
        ...(arLink.length > 0 ? { links: arLink } : {}),
        origins,
        'related-observations': [{ 'observation-uuid': observation.uuid }],
        'related-risks': [{ 'risk-uuid': riskUuid }],
      });
      if (exempted !== undefined) out.deviations += 1;
      else out.open += 1;
    });
  }
  return out;
}

/** The one item of a POA&M with nothing to remediate (OSCAL requires at least one poam-item). */
function noOpenItem(input: AssessmentReportInput): OscalJson {
  return {
    uuid: oscalUuids.poamItem('', '', 'node', 'none-open', input.assessment.id),
    title: 'No open findings',
    description: `No rule failed in assessment ${input.assessment.id} on ${input.nodes.map((n) => n.name).join(', ') || 'its nodes'}: nothing to remediate.`,
    props: [prop('poam-status', 'none-open')],
  };
}

/**
 * Builds the POA&M of an assessment from its reporting input (optionally limited to one node) and the node's
 * earlier open findings; `JSON.stringify`-safe, schema validation is the caller's (`PoamWriter`).
 */
export function buildPoam(input: AssessmentReportInput, options: PoamOptions = {}): PoamDocument {
  const { assessment: a } = input;
  const systemUuid = oscalUuids.systemResource(a.id);
  const arUuid = oscalUuids.assessmentResults(a.id);
  const ar = options.assessmentResults;
  const arLink = ar !== undefined ? [{ href: `#${arUuid}`, rel: 'assessment-results' }] : [];
  const built = buildItems(input, options, arLink);
  const tool = toolDefinitions(input.tool);
  const nodeList = input.nodes.map((n) => `${n.name} (${n.endpoint})`).join(', ');
  const metadata = reportMetadata(input, `Plimsoll POA&M: ${benchmarkLabel(input, 'title')}`);
  const systemProps = nonEmpty(input.nodes.map((n) => prop('node', `${n.name} ${n.endpoint}`)));
  // Built without undefined members (no JSON round trip: a 100-node POA&M is tens of megabytes), so the
  // validated object is exactly what gets serialised.
  const doc: PoamDocument = {
    'plan-of-action-and-milestones': {
      uuid: oscalUuids.poam(a.id),
      metadata: {
        ...metadata,
        props: [...(metadata.props as OscalPropJson[]), prop('open-items', String(built.open)), prop('deviation-approved-items', String(built.deviations))],
      },
      'import-ssp': { href: `#${systemUuid}`, remarks: 'No OSCAL system security plan is imported: Plimsoll has none. The back-matter resource describes the nodes assessed.' },
      'local-definitions': {
        components: [tool.component],
        ...(input.nodes.length > 0 ? { 'inventory-items': inventoryItems(input.nodes, input.targets) } : {}),
        'assessment-assets': { 'assessment-platforms': [tool.platform] },
      },
      ...(built.observations.length > 0 ? { observations: built.observations, risks: built.risks } : {}),
      // OSCAL requires at least one item: with no failed rule, one item says so (poam-status `none-open`).
      'poam-items': built.items.length > 0 ? built.items : [noOpenItem(input)],
      'back-matter': {
        resources: [
          {
            uuid: systemUuid,
            title: oscalString(`System under assessment: ${input.nodes.map((n) => n.name).join(', ')}`),
            description: `The Docker nodes of assessment ${a.id}: ${nodeList || 'none'}.`,
            ...(systemProps !== undefined ? { props: systemProps } : {}),
          },
          ...(ar !== undefined
            ? [
                {
                  uuid: arUuid,
                  title: oscalString(`Assessment results of assessment ${a.id}`),
                  rlinks: [{ href: ar.href, 'media-type': 'application/json', hashes: [{ algorithm: 'SHA-256', value: ar.sha256 }] }],
                },
              ]
            : []),
        ],
      },
    },
  };
  return doc;
}
