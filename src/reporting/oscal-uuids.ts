/**
 * Name-based (version 5) UUIDs for every identifier Plimsoll writes into OSCAL. Each is derived from what
 * it names (the assessment, node, rule, target), so the same finding carries the same uuid in every rendering
 * of one assessment, and a plan, results and POA&M of that assessment can reference each other without a
 * lookup table. Inventory items are named by node and stable target key only, so one container keeps its
 * uuid across assessments (what drift and carried-over POA&M items match on).
 *
 * The names are JSON arrays (`["finding", assessmentId, nodeId, ruleId]`): no separator can make two
 * different tuples collide.
 */
import { parse, v5 } from 'uuid';
import type { AssessedTargetKind } from '../domain/target-results.js';

/** Plimsoll's fixed UUID namespace. Never change it: every stored document's identifiers derive from it. */
export const PLIMSOLL_UUID_NAMESPACE = '9e7523f5-41e3-4719-963a-05625c20e7f3';

// Parsed and encoded once: a large assessment names some 25,000 observations, and uuid parses a string
// namespace and encodes a string name on every call.
const NAMESPACE_BYTES = parse(PLIMSOLL_UUID_NAMESPACE);
const utf8 = new TextEncoder();

/** A v5 UUID of the tuple under Plimsoll's namespace. */
export function nameUuid(...parts: readonly string[]): string {
  return v5(utf8.encode(JSON.stringify(parts)), NAMESPACE_BYTES);
}

/** The identifiers of the OSCAL documents of one assessment. */
export const oscalUuids = {
  assessmentResults: (assessmentId: string): string => nameUuid('assessment-results', assessmentId),
  assessmentPlan: (assessmentId: string): string => nameUuid('assessment-plan', assessmentId),
  result: (assessmentId: string): string => nameUuid('result', assessmentId),
  finding: (assessmentId: string, nodeId: string, ruleId: string): string => nameUuid('finding', assessmentId, nodeId, ruleId),
  observation: (assessmentId: string, nodeId: string, ruleId: string, kind: AssessedTargetKind, key: string): string =>
    nameUuid('observation', assessmentId, nodeId, ruleId, kind, key),
  risk: (assessmentId: string, nodeId: string, ruleId: string): string => nameUuid('risk', assessmentId, nodeId, ruleId),
  riskLogEntry: (assessmentId: string, nodeId: string, ruleId: string, exemptionId: string): string => nameUuid('risk-log-entry', assessmentId, nodeId, ruleId, exemptionId),
  remediation: (assessmentId: string, nodeId: string, ruleId: string): string => nameUuid('remediation', assessmentId, nodeId, ruleId),
  /** A target of one node, the same in every assessment. */
  inventoryItem: (nodeId: string, kind: AssessedTargetKind, key: string): string => nameUuid('inventory-item', nodeId, kind, key),
  /** A benchmark rule as a plan's activity, the same in every plan of that benchmark document. */
  activity: (benchmarkDocumentId: string, ruleId: string): string => nameUuid('activity', benchmarkDocumentId, ruleId),
  task: (assessmentId: string): string => nameUuid('task', assessmentId),
  systemResource: (assessmentId: string): string => nameUuid('system-resource', assessmentId),
  toolComponent: (toolName: string): string => nameUuid('component', toolName),
  platform: (toolName: string): string => nameUuid('assessment-platform', toolName),
  toolParty: (toolName: string): string => nameUuid('party', 'tool', toolName),
  personParty: (name: string): string => nameUuid('party', 'person', name),
  poam: (assessmentId: string): string => nameUuid('poam', assessmentId),
  /**
   * A POA&M item: one rule (by STIG id, stable across benchmark releases) failing on one target of a node since `firstObservedAt`. Not tied to an assessment,
   * so the node's later assessments carry the same item over; a finding closed and reopened later starts a
   * new item (a new first observation).
   */
  poamItem: (nodeId: string, stigId: string, kind: AssessedTargetKind, key: string, firstObservedAt: string): string =>
    nameUuid('poam-item', nodeId, stigId, kind, key, firstObservedAt),
  /** The risk of a POA&M item, its remediation and its milestone (same identity as the item). */
  poamRisk: (itemUuid: string): string => nameUuid('poam-risk', itemUuid),
  poamRemediation: (itemUuid: string): string => nameUuid('poam-remediation', itemUuid),
  poamMilestone: (itemUuid: string): string => nameUuid('poam-milestone', itemUuid),
  poamRiskLogEntry: (itemUuid: string, exemptionId: string): string => nameUuid('poam-risk-log-entry', itemUuid, exemptionId),
} as const;
