/**
 * After applying: what the re-assessment says about each item's failure. An item is looked up by what stays
 * the same across runs (node, rule, target kind and stable key), so a target is found whatever its id now:
 * `resolved` when it passes (or the rule no longer applies to it), `still-failing`, `undecided` when the rule
 * could not decide (error, not-checked), `target-gone` when the re-assessment has no such target, and
 * `not-reassessed` for items of nodes no change was made on (or that could not be collected again).
 */
import type { ItemVerification, RemediationItem } from '../domain/remediation.js';
import type { AssessmentService } from '../domain/services.js';
import type { TargetStatus } from '../domain/target-results.js';

function verdictOf(status: TargetStatus, reassessmentId: string): ItemVerification {
  const where = `in re-assessment ${reassessmentId}`;
  switch (status) {
    case 'pass':
      return { outcome: 'resolved', status, message: `the rule passes on the target ${where}` };
    case 'not-applicable':
    case 'excluded':
      return { outcome: 'resolved', status, message: `the rule is ${status} to the target ${where}: the failure is gone` };
    case 'fail':
      return { outcome: 'still-failing', status, message: `the rule still fails on the target ${where}` };
    case 'error':
    case 'not-checked':
      return { outcome: 'undecided', status, message: `the rule is ${status} on the target ${where}: nobody can tell whether the failure is gone` };
  }
}

/** The verification of each item (position order), from a re-assessment of the `touched` nodes. */
export async function verifyItems(
  items: readonly RemediationItem[],
  reassessmentId: string,
  touched: readonly string[],
  assessments: Pick<AssessmentService, 'targetResults' | 'assessedNode'>,
): Promise<{ position: number; verification: ItemVerification }[]> {
  const collected = new Map<string, boolean>();
  for (const nodeId of touched) collected.set(nodeId, (await assessments.assessedNode(reassessmentId, nodeId))?.status.state === 'collected');
  const out: { position: number; verification: ItemVerification }[] = [];
  for (const item of items) {
    const state = collected.get(item.nodeId);
    if (state !== true) {
      const message = state === undefined ? 'no change was made on this node, so it was not assessed again' : `the node could not be collected in re-assessment ${reassessmentId}`;
      out.push({ position: item.position, verification: { outcome: 'not-reassessed', message } });
      continue;
    }
    const page = await assessments.targetResults(reassessmentId, { nodeId: item.nodeId, rule: item.stigId, kind: item.target.kind, key: item.target.key }, { first: 1 });
    const row = page.edges[0]?.node;
    out.push({
      position: item.position,
      verification: row === undefined ? { outcome: 'target-gone', message: `re-assessment ${reassessmentId} has no ${item.target.kind} ${item.target.key} for ${item.stigId}` } : verdictOf(row.status, reassessmentId),
    });
  }
  return out;
}
