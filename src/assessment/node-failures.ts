/**
 * A node that could not be collected: why (a classified reason from the error code), and the results its
 * rules get: every rule `error` naming the node and the reason, never a verdict without evidence. The other
 * nodes of the assessment go on.
 */
import type { NodeFailureReason } from '../domain/assessment.js';
import type { BenchmarkRule } from '../domain/content.js';
import { ErrorCode, isPlimsollError } from '../domain/errors.js';
import type { RuleResult } from '../domain/results.js';
import { type ControlLookup, ruleResultOf } from './evaluate.js';

/** Why a node failed, from the collector's error. */
export function classifyNodeFailure(e: unknown): { reason: NodeFailureReason; message: string } {
  if (!isPlimsollError(e)) return { reason: 'internal', message: e instanceof Error && e.message !== '' ? e.message : String(e) };
  switch (e.code) {
    case ErrorCode.NODE_UNREACHABLE:
      return { reason: 'unreachable', message: e.message };
    case ErrorCode.NODE_TLS_FAILED:
      return { reason: 'tls', message: e.message };
    // The allow-list changed after the node was registered (or its name now resolves elsewhere): a policy
    // refusal, not a Plimsoll failure.
    case ErrorCode.NODE_NOT_ALLOWED:
      return { reason: 'not-allowed', message: e.message };
    case ErrorCode.NOT_FOUND:
    case ErrorCode.CONFLICT:
    case ErrorCode.BAD_INPUT:
      return { reason: 'engine-error', message: e.message };
    default:
      return { reason: 'internal', message: e.message };
  }
}

/** The sentence every rule of a failed node carries. */
export function nodeFailureMessage(nodeName: string, failure: { reason: NodeFailureReason; message: string }): string {
  return `Node ${nodeName} could not be collected (${failure.reason}): ${failure.message}`;
}

/** Every rule `error` on a node that could not be collected. */
export function failedNodeResults(rules: readonly BenchmarkRule[], node: { id: string; name: string }, failure: { reason: NodeFailureReason; message: string }, controls: ControlLookup): RuleResult[] {
  const message = nodeFailureMessage(node.name, failure);
  return rules.map((rule) => ruleResultOf(rule, node.id, { status: 'error', message, observations: [] }, controls));
}
