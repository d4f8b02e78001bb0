/**
 * Builds the OSCAL 1.1.2 assessment plan of an assessment: what was to be assessed and how. Pure. The shape:
 *
 * - `import-ssp` points to a back-matter resource describing the system as Plimsoll found it (its nodes): no
 *   OSCAL SSP is imported, and the resource says so.
 * - The nodes and every target a rule looked at (containers, images, the engine, swarm objects, host files) are
 *   inventory items in `local-definitions`, and all of them are the plan's `assessment-subjects`: the same
 *   uuids the results' observations name.
 * - Each rule of the benchmark (as the profile selects it) is an activity: its check text as description,
 *   one step, the SP 800-53 statements its CCIs map to as related controls, and the method (TEST when a check
 *   decides it, EXAMINE when a person must). One task runs every activity on every subject.
 * - Roles: the assessor and the tool (with parties), and the reviewer and approver of manual reviews and
 *   exemptions (roles only: people are named on their reviews, and an approver is never the submitter).
 */
import type { AssessmentPlanDocument, OscalJson } from './oscal-values.js';
import { nonEmpty, oscalProse, oscalString, prop, toToken } from './oscal-values.js';
import { type AssessmentReportInput, benchmarkLabel, benchmarkScope, controlSelections, inventoryItems, type PlannedRule, reportMetadata, toolDefinitions } from './oscal-inventory.js';
import { oscalUuids } from './oscal-uuids.js';

const REVIEW_ROLES = [
  { id: 'reviewer', title: 'Reviewer', description: 'Answers the rules no check decides (manual reviews) and submits them with evidence.' },
  { id: 'approver', title: 'Approver', description: 'Accepts or rejects submitted reviews and approves exemptions; never the person who submitted them.' },
];

function activityOf(benchmarkDocumentId: string, r: PlannedRule): OscalJson {
  const method = r.automated ? 'TEST' : 'EXAMINE';
  const controls = r.controlIds.map((id) => ({ 'control-id': toToken(id) }));
  return {
    uuid: oscalUuids.activity(benchmarkDocumentId, r.ruleId),
    title: oscalString(`${r.stigId}: ${r.title}`),
    description: oscalProse(r.checkContent ?? '', `Check of STIG rule ${r.ruleId}.`),
    props: [prop('method', method, { class: 'method' }), prop('stig-id', r.stigId), prop('rule-id', r.ruleId), prop('severity', r.severity), prop('automated', r.automated ? 'true' : 'false')],
    steps: [
      {
        uuid: oscalUuids.activity(benchmarkDocumentId, `${r.ruleId}#step`),
        title: oscalString(r.automated ? `Decide ${r.stigId} from the collected facts` : `Review ${r.stigId} manually`),
        description: r.automated
          ? 'Plimsoll evaluates the rule against the inventory collected once per node and records an observation per target.'
          : 'No automated check decides this rule: a reviewer answers it with evidence and an approver accepts the answer.',
      },
    ],
    ...(controls.length > 0 ? { 'related-controls': { 'control-selections': [{ 'include-controls': controls }] } } : {}),
  };
}

/** Builds the plan; schema validation is the writer's job. */
export function buildAssessmentPlan(input: AssessmentReportInput): AssessmentPlanDocument {
  const { assessment: a, benchmark: b } = input;
  const tool = toolDefinitions(input.tool);
  const inventory = inventoryItems(input.nodes, input.targets);
  const activities = input.rules.map((r) => activityOf(r.benchmarkDocumentId ?? b.documentId, r));
  const systemUuid = oscalUuids.systemResource(a.id);
  const nodeList = input.nodes.map((n) => `${n.name} (${n.endpoint})`).join(', ');
  const scope = `${benchmarkScope(input)}, on ${input.nodes.length} node(s): ${nodeList}.`;
  const subjects = inventory.map((i) => ({ 'subject-uuid': i.uuid as string, type: 'inventory-item' }));

  const doc: AssessmentPlanDocument = {
    'assessment-plan': {
      uuid: oscalUuids.assessmentPlan(a.id),
      metadata: reportMetadata(input, `Plimsoll assessment plan: ${benchmarkLabel(input, 'title')}`, REVIEW_ROLES),
      'import-ssp': { href: `#${systemUuid}`, remarks: 'No OSCAL system security plan is imported: the back-matter resource describes the nodes assessed.' },
      'local-definitions': {
        components: [tool.component],
        ...(inventory.length > 0 ? { 'inventory-items': inventory } : {}),
        ...(activities.length > 0 ? { activities } : {}),
      },
      'reviewed-controls': { 'control-selections': controlSelections(input.rules.map((r) => r.controlIds)) },
      ...(subjects.length > 0
        ? { 'assessment-subjects': [{ type: 'inventory-item', description: 'The nodes and every target the rules examine on them.', 'include-subjects': subjects }] }
        : {}),
      'assessment-assets': { 'assessment-platforms': [tool.platform] },
      ...(activities.length > 0
        ? {
            tasks: [
              {
                uuid: oscalUuids.task(a.id),
                type: 'action',
                title: oscalString(`Assess ${benchmarkLabel(input)}`),
                description: `Assessment ${a.id}: ${scope}`,
                timing: { 'within-date-range': { start: a.startedAt, end: a.finishedAt ?? a.startedAt } },
                'associated-activities': activities.map((act) => ({ 'activity-uuid': act.uuid as string, subjects: [{ type: 'inventory-item', 'include-all': {} }] })),
                'responsible-roles': [{ 'role-id': 'assessment-tool' }, { 'role-id': 'reviewer' }],
              },
            ],
          }
        : {}),
      'back-matter': {
        resources: [
          {
            uuid: systemUuid,
            title: oscalString(`System under assessment: ${input.nodes.map((n) => n.name).join(', ')}`),
            description: `The Docker nodes of assessment ${a.id}: ${nodeList}.`,
            props: nonEmpty(input.nodes.map((n) => prop('node', `${n.name} ${n.endpoint}`))),
          },
        ],
      },
    },
  };
  return JSON.parse(JSON.stringify(doc)) as AssessmentPlanDocument;
}
