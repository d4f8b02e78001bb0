/**
 * How manual reviews show in OSCAL assessment results: an attested result is examined (method EXAMINE), not
 * tested; its finding and observation carry who submitted and who accepted the review, when, and until when,
 * and the review's evidence becomes the observation's relevant evidence (text as description, URLs and files
 * as links). Reviews that matched without answering are named with why (expired, or the rule was decided
 * by a check). Props are in Plimsoll's namespace, so a generic OSCAL reader keeps them.
 */
import { reviewEvidenceDownloadPath } from '../domain/download.js';
import type { RuleResult } from '../domain/results.js';
import type { OscalPropJson } from './oscal-values.js';
import { oscalProse, prop } from './oscal-values.js';

/** Props of a result's attestation and review notes. */
export function attestationProps(r: RuleResult): OscalPropJson[] {
  const a = r.attestation;
  return [
    ...(a !== undefined
      ? [
          prop('attested-by-review', a.reviewId, { remarks: oscalProse(a.statement, `Manual review ${a.reviewId}`) }),
          prop('attested-result', a.result),
          prop('review-submitted-by', a.submittedBy),
          prop('review-submitted-at', a.submittedAt),
          prop('review-accepted-by', a.acceptedBy),
          prop('review-accepted-at', a.acceptedAt),
          prop('review-expires', a.expiresAt),
          prop('review-written-for', a.writtenFor),
        ]
      : []),
    ...(r.reviewNotes ?? []).map((n) =>
      n.why === 'expired'
        ? prop('expired-review-id', n.reviewId, { remarks: `Manual review ${n.reviewId} (accepted by ${n.acceptedBy}) expired at ${n.expiresAt} and no longer applies.` })
        : prop('ignored-review-id', n.reviewId, { remarks: `Manual review ${n.reviewId} was ignored: a check decided this rule, and a review never overrides an automated verdict.` }),
    ),
  ];
}

/** The methods of a result's observations: an attested or manual rule was examined, a checked one tested. */
export function methodsOf(r: RuleResult): string[] {
  return r.status === 'not-checked' || r.attestation !== undefined ? ['EXAMINE'] : ['TEST'];
}

/** The review's evidence as OSCAL relevant evidence (text → description; URL and file → a link). */
export function attestationEvidence(r: RuleResult): { href?: string; description: string; props?: OscalPropJson[] }[] {
  const a = r.attestation;
  if (a === undefined) return [];
  return a.evidence.map((e) => {
    switch (e.kind) {
      case 'text':
        return { description: oscalProse(e.text, 'Review evidence'), props: [prop('review-evidence', 'text')] };
      case 'url':
        return { href: e.url, description: `Review evidence at ${e.url}`, props: [prop('review-evidence', 'url')] };
      case 'file':
        return {
          href: reviewEvidenceDownloadPath(a.reviewId, e.sha256),
          description: `Review evidence file ${e.name} (${e.size} bytes, sha256 ${e.sha256})`,
          props: [prop('review-evidence', 'file'), prop('sha256', e.sha256), prop('media-type', e.mediaType)],
        };
    }
  });
}
