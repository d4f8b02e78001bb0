/**
 * Application of accepted manual reviews to a run's rule results: pure, in memory, after evaluation and
 * before exemptions and the OSCAL document. What it decides:
 *
 * - A review matches a result when its rule key (benchmark id, STIG id, check-content hash: any release) and
 *   scope (node, labels of the node, every node) match. Only accepted reviews count.
 * - An accepted, unexpired review answers a `not-checked` result: the status becomes the review's result
 *   (pass, fail, not-applicable) and the result carries the attestation (who submitted, who accepted, when,
 *   until when, the evidence). Among several, the most specific scope wins (node, then labels, then every
 *   node), then the latest acceptance, then the id: the choice never depends on list order.
 * - A review never overrides a verdict a check reached (or an `error`): a matching review on any other
 *   status is ignored and noted on the result (`reviewNotes`, why `automated`).
 * - An expired review never applies; one that matches is noted (why `expired`) so a lapsed attestation is
 *   visible, never silently gone — the rule is `not-checked` again until someone reviews it anew.
 */
import {
  type ManualReview,
  reviewExpired,
  type RuleAttestation,
  type RuleReviewNote,
  ruleMatches,
  scopeMatchesNode,
  scopeRank,
} from '../domain/review.js';
import type { RuleResult } from '../domain/results.js';

/** What matching needs beyond the results: the clock, the benchmark assessed and the nodes with their labels. */
export interface ReviewContext {
  now: Date;
  benchmarkId: string;
  nodes: readonly { id: string; labels: Readonly<Record<string, string>> }[];
}

/** Where an assessment reads reviews from (ReviewService.listAccepted). */
export interface ReviewSource {
  listAccepted(): Promise<ManualReview[]>;
}

type Accepted = ManualReview & { lifecycle: Extract<ManualReview['lifecycle'], { state: 'accepted' }> };

function isAccepted(r: ManualReview): r is Accepted {
  return r.lifecycle.state === 'accepted';
}

/** Most specific scope first, then latest acceptance, then id. */
function byPreference(a: Accepted, b: Accepted): number {
  return scopeRank(b.scope) - scopeRank(a.scope) || b.lifecycle.acceptedAt.localeCompare(a.lifecycle.acceptedAt) || a.id.localeCompare(b.id);
}

function attestationOf(r: Accepted): RuleAttestation {
  const l = r.lifecycle;
  return {
    reviewId: r.id,
    result: r.result,
    statement: r.statement,
    submittedBy: l.submittedBy.name,
    submittedAt: l.submittedAt,
    acceptedBy: l.acceptedBy.name,
    acceptedAt: l.acceptedAt,
    expiresAt: l.expiresAt,
    writtenFor: `${r.rule.release ?? r.rule.benchmarkId} (${r.rule.ruleId})`,
    evidence: r.evidence,
  };
}

function note(r: Accepted, why: RuleReviewNote['why']): RuleReviewNote {
  return { reviewId: r.id, why, expiresAt: r.lifecycle.expiresAt, acceptedBy: r.lifecycle.acceptedBy.name };
}

/** Results with reviews applied; results no review matches are returned unchanged (same objects). */
export function applyReviews(results: readonly RuleResult[], reviews: readonly ManualReview[], ctx: ReviewContext): RuleResult[] {
  const accepted = reviews.filter(isAccepted).filter((r) => r.rule.benchmarkId === ctx.benchmarkId);
  if (accepted.length === 0) return [...results];
  const nodes = new Map(ctx.nodes.map((n) => [n.id, n]));
  return results.map((r) => {
    const node = nodes.get(r.nodeId) ?? { id: r.nodeId, labels: {} };
    const matching = accepted.filter((v) => ruleMatches(v.rule, { benchmarkId: ctx.benchmarkId, stigId: r.stigId, checkContentHash: r.checkContentHash }) && scopeMatchesNode(v.scope, node));
    if (matching.length === 0) return r;
    const active = matching.filter((v) => !reviewExpired(v.lifecycle.expiresAt, ctx.now)).sort(byPreference);
    const notes = matching.filter((v) => reviewExpired(v.lifecycle.expiresAt, ctx.now)).sort(byPreference).map((v) => note(v, 'expired'));
    const chosen = r.status === 'not-checked' ? active[0] : undefined;
    if (chosen === undefined) notes.push(...active.map((v) => note(v, 'automated')));
    const out: RuleResult = { ...r, ...(notes.length > 0 ? { reviewNotes: notes } : {}) };
    if (chosen !== undefined) {
      const a = attestationOf(chosen);
      out.status = chosen.result;
      out.attestation = a;
      out.message = `Attested ${chosen.result} by manual review ${chosen.id}: submitted by ${a.submittedBy}, accepted by ${a.acceptedBy} at ${a.acceptedAt}, until ${a.expiresAt}. ${chosen.statement}`;
    }
    return out;
  });
}
