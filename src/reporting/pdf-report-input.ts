/**
 * What the PDF reports (attestation, remediation plan) are rendered from: the reporting input of a stored
 * assessment (the same one the OSCAL plan and results are built from) plus what other parts of Plimsoll know
 * about it: manual reviews, accepted risks, drift comparisons, the sha256 of the OSCAL results, the signers,
 * owners and first observations of findings. Everything beyond `report` is optional: a section whose data is
 * absent says so plainly, it never invents content.
 */
import type { MilestonePolicy } from '../domain/milestones.js';
import type { Severity } from '../domain/results.js';
import type { AssessmentReportInput } from './oscal-inventory.js';

/** A manual review as the attestation lists it (who answered a rule, and who approved the answer). */
export interface PdfReview {
  stigId: string;
  ruleId?: string;
  /** Where it applies, in words: a node name, a label selector, or "every node". */
  scope: string;
  /** The reviewer's answer. */
  status: 'pass' | 'fail' | 'not-applicable';
  /** Workflow state; `expired` once its expiry passed (it no longer answers the rule). */
  state: 'draft' | 'submitted' | 'accepted' | 'rejected' | 'expired';
  statement: string;
  /** Evidence as text, a URL, or `sha256:…` of an uploaded file. */
  evidence?: string;
  submittedBy: string;
  submittedAt?: string;
  approvedBy?: string;
  approvedAt?: string;
  /** Reason of a rejection. */
  rejectionReason?: string;
  expiresAt?: string;
}

/** A failed rule accepted as a risk (distinct from an exemption, and from an open finding). */
export interface PdfAcceptedRisk {
  stigId: string;
  /** The node it applies to; absent: every node of the assessment. */
  nodeId?: string;
  justification: string;
  approvedBy: string;
  approvedAt: string;
  expiresAt?: string;
}

/** One drift change, already described in one line (the drift service's own wording). */
export interface PdfDriftChange {
  /** regression, remediation, target-appeared, evidence-changed, expired… */
  kind: string;
  nodeName: string;
  stigId?: string;
  severity?: Severity;
  line: string;
}

/** The drift of this run against one earlier run. */
export interface PdfDriftComparison {
  against: 'previous' | 'reference';
  assessmentId: string;
  finishedAt?: string;
  changes: readonly PdfDriftChange[];
}

/** Who signs the attestation in one role of the layout's signature block. */
export interface PdfSigner {
  /** A role of the layout's `signatureRoles` (e.g. `assessor`, `approver`). */
  role: string;
  name: string;
  title?: string;
  /** When they signed (or approved in Plimsoll); absent: a blank date line. */
  date?: string;
}

export interface PdfReportInput {
  report: AssessmentReportInput;
  /** The information system the assessment is for (its name in the SSP, e.g. from a node label or the config). */
  system?: string;
  /** sha256 (hex) of the OSCAL assessment-results document this report goes with. */
  oscalResultsSha256?: string;
  reviews?: readonly PdfReview[];
  acceptedRisks?: readonly PdfAcceptedRisk[];
  drift?: readonly PdfDriftComparison[];
  signers?: readonly PdfSigner[];
  /** Owner of remediation per node id (e.g. the team running it). */
  owners?: Readonly<Record<string, string>>;
  /**
   * When each finding (key `nodeId/stigId`) was first observed, for findings carried over from earlier
   * assessments; absent: this assessment's start. Due dates count from it, so a re-run never postpones them.
   */
  firstObservedAt?: Readonly<Record<string, string>>;
  /**
   * The kind of each exemption by id (`risk-accepted`, `false-positive`, `operational-requirement`): an
   * exemption of kind `risk-accepted` is shown as an accepted risk, the others as exemptions with their kind.
   * Absent: every exemption is shown as an exemption.
   */
  exemptionKinds?: Readonly<Record<string, string>>;
  /**
   * Rules a manual review answered (key `nodeId/stigId`): who submitted the answer and who accepted it, shown
   * beside the result as attested.
   */
  attestations?: Readonly<Record<string, { submittedBy: string; acceptedBy: string; acceptedAt: string }>>;
  /** The milestone policy (config `poamDueDays`); default CAT I 30, CAT II 90, CAT III 180 days. */
  milestonePolicy?: MilestonePolicy;
}

/** The key of a finding in `firstObservedAt`. */
export function findingKey(nodeId: string, stigId: string): string {
  return `${nodeId}/${stigId}`;
}
