/**
 * The review marks of a rule result (attestation, review notes) as stored JSON (`rule_result.review_json`),
 * which the assessment repository stores with each result.
 */
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { RuleReviewMarks } from '../domain/review.js';

/** The review marks of a result as JSON; null when it has none. */
export function ruleReviewToJson(r: RuleReviewMarks): string | null {
  const notes = r.reviewNotes ?? [];
  if (r.attestation === undefined && notes.length === 0) return null;
  return JSON.stringify({ ...(r.attestation !== undefined ? { attestation: r.attestation } : {}), ...(notes.length > 0 ? { reviewNotes: notes } : {}) });
}

/** The review marks of a stored result (`where` names it in errors). */
export function ruleReviewFromJson(text: string | null, where: string): RuleReviewMarks {
  if (text === null) return {};
  let value: RuleReviewMarks;
  try {
    value = JSON.parse(text) as RuleReviewMarks;
  } catch (e) {
    throw new PlimsollError(ErrorCode.INTERNAL, `stored review marks of ${where} are not valid JSON`, [], { cause: e });
  }
  if (value === null || typeof value !== 'object') throw new PlimsollError(ErrorCode.INTERNAL, `stored review marks of ${where} are not an object`);
  return {
    ...(value.attestation !== undefined ? { attestation: value.attestation } : {}),
    ...(value.reviewNotes !== undefined && value.reviewNotes.length > 0 ? { reviewNotes: value.reviewNotes } : {}),
  };
}
