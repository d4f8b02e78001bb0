/**
 * Builds a remediation plan's items from an assessment's failing per-target results and the facts they were
 * decided from. Pure: one item per failing target of each rule (failures an approved exemption covers are
 * accepted risk and left out, counted), each either an Engine API change (in-place-changes.ts) with the values
 * seen at the assessment, or a manual step (manual-steps.ts) saying why it is manual.
 */
import type { ContainerFacts, NodeFacts } from '../domain/facts.js';
import { dueDate, type MilestonePolicy } from '../domain/milestones.js';
import { findingKey } from '../domain/poam.js';
import type { RemediationAction, RemediationItem, RemediationSettings } from '../domain/remediation.js';
import type { StoredTargetResult } from '../domain/target-results.js';
import type { AssessedTargetKind } from '../domain/target-results.js';
import { readField } from '../checks/evidence.js';
import { AUTOLOCK_FIELD, commandLine, IN_PLACE_CONTAINER_CHANGES, SWARM_AUTOLOCK_RULE } from './in-place-changes.js';
import { containerOrigin, manualStep, serviceStep } from './manual-steps.js';

export interface PlanInput {
  /** The assessment's failing per-target results, in storage order. */
  failures: readonly StoredTargetResult[];
  /** The facts of each node of the assessment, by node id. */
  facts: ReadonlyMap<string, NodeFacts>;
  /** Node names by id, as the assessment recorded them. */
  nodeNames: ReadonlyMap<string, string>;
  /** The STIG fix text of each rule, by STIG id (used where no concrete remediation exists). */
  fixTexts: ReadonlyMap<string, string>;
  settings: RemediationSettings;
  /**
   * When each finding still failing was first observed, by `findingKey` (domain/poam.ts: the POA&M's carry-over,
   * TargetResultRepository.earlierFindings); absent: first observed in this assessment.
   */
  firstObserved: ReadonlyMap<string, string>;
  /** The milestone policy dating each item (the POA&M's, so the two documents agree). */
  policy: MilestonePolicy;
}

export interface BuiltPlan {
  items: RemediationItem[];
  /** Failures left out because an approved exemption covers them. */
  exempted: number;
}

/** Why a failure of this kind of target is manual (for everything the in-place table does not cover). */
function manualReason(kind: AssessedTargetKind, name: string): string {
  switch (kind) {
    case 'container':
      return `the fix needs ${name} recreated: the Engine API can't change this setting of an existing container`;
    case 'daemon':
      return 'the fix changes the daemon configuration (daemon.json or the dockerd command line) and needs the daemon restarted';
    case 'file':
      return `the fix changes the host file ${name}, which Plimsoll never writes`;
    case 'image':
      return `the fix needs the image ${name} rebuilt, re-signed or removed`;
    default:
      return `Plimsoll changes only container resources, restart policies and swarm auto-lock; this ${kind} must be changed by hand`;
  }
}

function containerOf(facts: NodeFacts | undefined, id: string): ContainerFacts | undefined {
  return facts?.containers.find((c) => c.id === id);
}

/** The action fixing one failing target. `autolocked` collects the swarms an earlier item already turns auto-lock on for. */
function actionFor(t: StoredTargetResult, input: PlanInput, autolocked: Map<string, number>, position: number): RemediationAction {
  const fixText = input.fixTexts.get(t.stigId) ?? '';
  const facts = input.facts.get(t.nodeId);
  const base = { stigId: t.stigId, fixText, target: t.target };
  if (t.target.kind === 'container') {
    const container = containerOf(facts, t.target.id);
    if (container === undefined) return manualStep({ ...base, reason: `${t.target.name} is not in the assessment's facts, so its values can't be checked before a change` });
    const change = IN_PLACE_CONTAINER_CHANGES[t.stigId];
    if (change === undefined) return manualStep({ ...base, inspect: container.inspect, reason: manualReason('container', t.target.name) });
    const update = change.update(input.settings);
    if ('missing' in update) return manualStep({ ...base, inspect: container.inspect, reason: update.missing });
    const origin = containerOrigin(container.inspect);
    if (origin.kind === 'swarm') return serviceStep({ ...base, service: origin.service, change, update });
    const before = Object.fromEntries(change.fields.map((f) => [f, readField(container.inspect, f)]));
    return { mode: 'engine', change: { setting: change.setting, containerId: container.id, update, before }, command: commandLine(['docker', 'update', ...change.cliArgs(update), t.target.name]) };
  }
  if (t.target.kind === 'swarm' && t.stigId === SWARM_AUTOLOCK_RULE) {
    const swarm = facts?.swarm?.status === 'collected' ? facts.swarm.data : undefined;
    const id = swarm?.swarm?.ID;
    if (swarm === undefined || !swarm.isManager || typeof id !== 'string') return manualStep({ ...base, reason: 'the node is not a swarm manager in the facts: turn auto-lock on from a manager' });
    const earlier = autolocked.get(id);
    if (earlier !== undefined) return manualStep({ ...base, reason: `the same swarm as item ${earlier}, whose update turns auto-lock on for every manager` });
    autolocked.set(id, position);
    return { mode: 'engine', change: { setting: 'swarm-autolock', swarmId: id, before: { [AUTOLOCK_FIELD]: false } }, command: commandLine(['docker', 'swarm', 'update', '--autolock=true']) };
  }
  return manualStep({ ...base, reason: manualReason(t.target.kind, t.target.name) });
}

/** The items of a plan from an assessment's failures (positions from 1, in the failures' order). */
export function buildPlanItems(input: PlanInput): BuiltPlan {
  const items: RemediationItem[] = [];
  const autolocked = new Map<string, number>();
  let exempted = 0;
  for (const t of input.failures) {
    if (t.status !== 'fail') continue;
    if (t.exemptedBy !== undefined) {
      exempted += 1;
      continue;
    }
    const position = items.length + 1;
    const firstObservedAt = input.firstObserved.get(findingKey(t.nodeId, t.stigId, t.target.kind, t.target.key)) ?? t.collectedAt;
    items.push({
      position,
      nodeId: t.nodeId,
      nodeName: input.nodeNames.get(t.nodeId) ?? t.nodeId,
      stigId: t.stigId,
      ruleId: t.ruleId,
      severity: t.severity,
      target: t.target,
      evidence: t.observations.filter((o) => o.verdict === 'fail').map((o) => ({ field: o.field, value: o.value, message: o.message })),
      action: actionFor(t, input, autolocked, position),
      firstObservedAt,
      dueAt: dueDate(t.severity, new Date(firstObservedAt), input.policy).toISOString(),
    });
  }
  return { items, exempted };
}
